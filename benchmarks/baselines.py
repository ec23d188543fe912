"""What a Backup is measured against: resources that cost the engine as little as Pulumi allows.

- `Nothing`: a dynamic resource whose provider does nothing (create returns an id): the engine's
  and the dynamic-provider host's own cost per resource;
- `Alike`: the same, with a Backup's properties (its 10 inputs and 13 typed outputs, the same
  values in state): what a Backup's schema costs, apart from this package's code;
- `Empty`: a component resource with no children: the engine's cost of registering a resource.

Imported by the provider host too (the benchmark puts the repository on its PYTHONPATH), so
the provider pickles by reference, as this package's does. `no_op_programs` is what the no-op
tables declare, inline (the Automation API) and from a project's `__main__.py` (the CLI).
`BACKUPS` declares Backups through either face: the dynamic resources, or the provider plugin
by type token.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from typing import Any

import pulumi
import pulumi.dynamic
from pulumi.dynamic import CreateResult

INDEX = "bench"
PLUGIN_BACKUP = "pinecone-backup:index:Backup"


class NothingProvider(pulumi.dynamic.ResourceProvider):
    serialize_as_secret_always = False  # as this package's providers

    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult(f"nothing-{props['index']}", props)


class Nothing(pulumi.dynamic.Resource):
    def __init__(self, name: str, index: int) -> None:
        super().__init__(NothingProvider(), name, {"index": index}, None)


OUTPUTS = {
    "backup_id": "272f65ff-29c9-4dbc-bab3-1884da7b22ab",
    "status": "Ready",
    "record_count": 500_000,
    "size_bytes": 3_104_000_000,
    "namespace_count": 2,
    "dimension": 1536,
    "metric": "cosine",
    "cloud": "aws",
    "region": "us-east-1",
    "source_index_id": "3580ad97-0b14-4c9d-a34c-fea58ef354dd",
    "source_index_name": "bench",
    "created_at": "2026-11-30T00:39:58.014Z",
    "tags": None,
}


class AlikeProvider(pulumi.dynamic.ResourceProvider):
    serialize_as_secret_always = False

    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult(f"alike-{props['name']}", {**props, **OUTPUTS})


class Alike(pulumi.dynamic.Resource):
    """A do-nothing dynamic resource declared as a Backup is: the same inputs, typed outputs, state."""

    def __init__(self, name: str, index_name: str, poll_interval: float, ready_timeout: float) -> None:
        props = {
            "index_name": index_name,
            "name": name,
            "description": None,
            "triggers": None,
            "wait_for_ready": True,
            "ready_timeout": ready_timeout,
            "poll_interval": poll_interval,
            "import_id": None,
            "name_seed": f"organization/pinecone-backup-bench/noop/{name}",
            **dict.fromkeys(OUTPUTS),
        }
        super().__init__(AlikeProvider(), name, props, None)


def _typed_like_a_backup() -> None:
    """Backup's typed outputs as plain class annotations (the way a dynamic resource usually
    declares them, which the SDK evaluates at each registration; Backup's are getters)."""
    from pinecone_backup import Backup

    getters = inspect.getmembers(Backup, lambda member: isinstance(member, property))
    Alike.__annotations__ = {name: typing.get_type_hints(getter.fget)["return"] for name, getter in getters}


_typed_like_a_backup()


class Empty(pulumi.ComponentResource):
    def __init__(self, name: str) -> None:
        super().__init__("bench:index:Empty", name, None, None)
        self.register_outputs({})


def dynamic_backups(count: int, *, poll_interval: float, ready_timeout: float, named: bool = True) -> None:
    """`count` Backups, the dynamic resources: `b0`, `b1`, ... (their Pinecone names the same, or automatic)."""
    from pinecone_backup import Backup

    for i in range(count):
        name = f"b{i}" if named else None
        Backup(f"b{i}", index_name=INDEX, name=name, poll_interval=poll_interval, ready_timeout=ready_timeout)


def plugin_inputs(name: str | None, poll_interval: float, ready_timeout: float) -> dict[str, Any]:
    """A plugin Backup's inputs, as a program in any language declares them (camelCase)."""
    return {"indexName": INDEX, "name": name, "pollInterval": poll_interval, "readyTimeout": ready_timeout}


def plugin_backups(count: int, *, poll_interval: float, ready_timeout: float, named: bool = True) -> None:
    """The same Backups through the provider plugin, declared by type token, as a program without a
    generated SDK declares them: no pickled provider, and the plugin does the rest. Nor a stack
    trace in each resource's state: the Python SDK records one only below a resource class's own
    `__init__` (the dynamic Backup's, or a generated SDK's)."""
    for i in range(count):
        inputs = plugin_inputs(f"b{i}" if named else None, poll_interval, ready_timeout)
        pulumi.CustomResource(PLUGIN_BACKUP, f"b{i}", {**inputs, "backupId": None})


BACKUPS: dict[str, Callable[..., None]] = {"dynamic": dynamic_backups, "plugin": plugin_backups}


def no_op_programs(count: int) -> dict[str, Callable[[], object]]:
    """The no-op tables' rows, `count` resources each: Backups, and what they are measured against."""
    return {
        "Backup": lambda: dynamic_backups(count, poll_interval=0.05, ready_timeout=60),
        "do-nothing dynamic": lambda: [Nothing(f"n{i}", i) for i in range(count)],
        "do-nothing, a Backup's properties": lambda: [Alike(f"b{i}", INDEX, 0.05, 60) for i in range(count)],
        "empty component": lambda: [Empty(f"e{i}") for i in range(count)],
    }
