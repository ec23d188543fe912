"""The engine's calls, answered by the core's lifecycles.

Values cross here: the engine's camelCase `PropertyValue`s become the core's snake_case plain
values (numbers arrive as floats, unknowns as `rpc.UNKNOWN`), and back. Each call that may wait
runs on a thread of its own (a backup waits minutes to hours), with the resource's URN in a
context variable, so that its progress lines reach the engine on that resource's row.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import json
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from pulumi.provider.experimental.property_value import Computed, PropertyValue
from pulumi.provider.experimental.provider import (
    CheckFailure,
    CheckRequest,
    CheckResponse,
    ConfigureRequest,
    ConfigureResponse,
    CreateRequest,
    CreateResponse,
    DeleteRequest,
    DiffRequest,
    DiffResponse,
    GetSchemaRequest,
    GetSchemaResponse,
    InvokeRequest,
    InvokeResponse,
    PropertyDiff,
    PropertyDiffKind,
    Provider,
    ReadRequest,
    ReadResponse,
    UpdateRequest,
    UpdateResponse,
)
from pulumi.runtime.rpc import UNKNOWN

from pinecone_backup.core import credentials, identity
from pinecone_backup.core.fields import Role, is_unknown
from pinecone_backup.core.lifecycle import Lifecycle
from pinecone_backup.errors import PineconeError
from pinecone_backup.plugin.schema import FUNCTIONS, RESOURCES, camel, returned, schema, snake

T = TypeVar("T")
WORKERS = 2048  # every wait a thread of its own, as in the dynamic provider host (`_host`)
# The resource a call is for: its progress lines go to the engine on that resource's row.
CURRENT_URN: contextvars.ContextVar[str] = contextvars.ContextVar("pinecone_backup_urn", default="")


class PineconeBackupProvider(Provider):
    def __init__(self) -> None:
        self._threads = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="pinecone-backup")

    async def _run(self, urn: str, call: Callable[..., T], *args: Any) -> T:
        """`call(*args)` on a thread of its own, its progress lines on `urn`'s row."""
        context = contextvars.copy_context()
        context.run(CURRENT_URN.set, urn)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, functools.partial(context.run, call, *args))

    async def get_schema(self, request: GetSchemaRequest) -> GetSchemaResponse:
        return GetSchemaResponse(json.dumps(schema()))

    async def configure(self, request: ConfigureRequest) -> ConfigureResponse:
        key = request.args.get("apiKey")
        credentials.configure(None if key is None else key.value)
        return ConfigureResponse(accept_secrets=True, supports_preview=True)

    async def check(self, request: CheckRequest) -> CheckResponse:
        lifecycle = _lifecycle(request.urn)
        news = {**to_core(request.new_inputs), **_owner(request.urn)}
        checked = lifecycle.check(to_core(request.old_inputs), news)
        failures = [CheckFailure(camel(failure.property), failure.reason) for failure in checked.failures]
        return CheckResponse(inputs=from_core(checked.inputs), failures=failures)

    async def diff(self, request: DiffRequest) -> DiffResponse:
        lifecycle = _lifecycle(request.urn)
        olds, news = to_core(request.old_state), to_core(request.new_inputs)
        diff = await self._run(request.urn, lifecycle.diff, request.resource_id, olds, news)  # it may look (one GET)
        changed = [
            key for key in lifecycle.inputs.names(Role.REPLACE, Role.UPDATE) if lifecycle.differs(olds, news, key)
        ]
        detailed = {camel(key): _property_diff(olds, news, key, key in diff.replaces) for key in changed}
        detailed.update(
            {
                camel(key): PropertyDiff(PropertyDiffKind.UPDATE_REPLACE, False)
                for key in diff.replaces
                if key not in changed
            }
        )
        return DiffResponse(
            changes=diff.changes,
            replaces=[camel(key) for key in diff.replaces],
            delete_before_replace=diff.delete_before_replace,
            diffs=list(detailed),
            detailed_diff=detailed,
        )

    async def create(self, request: CreateRequest) -> CreateResponse:
        lifecycle = _lifecycle(request.urn)
        props = to_core(request.properties)
        if request.preview:  # what the inputs say is known; what Pinecone will say is not
            unknown = dict.fromkeys((output.name for output in lifecycle.outputs), UNKNOWN)
            return CreateResponse("", from_core({**lifecycle.inputs.from_props(props).to_props(), **unknown}))
        made = await self._run(request.urn, lifecycle.create, _within(props, request.timeout))
        return CreateResponse(made.id, from_core(made.outs))

    async def read(self, request: ReadRequest) -> ReadResponse:
        lifecycle = _lifecycle(request.urn)
        found = await self._run(request.urn, lifecycle.read, request.resource_id, to_core(request.properties))
        if not found.id:
            return ReadResponse("", {}, {})  # gone: refresh drops it
        if found.inputs is not None:
            inputs = found.inputs
        elif request.inputs:
            inputs = to_core(request.inputs)
        else:  # `pulumi import`: the inputs are what the object says
            declared = lifecycle.inputs.names(Role.REPLACE, Role.UPDATE, Role.WAIT)
            inputs = {key: found.outs[key] for key in declared if found.outs.get(key) is not None}
        return ReadResponse(found.id, from_core(found.outs), from_core(inputs))

    async def update(self, request: UpdateRequest) -> UpdateResponse:
        lifecycle = _lifecycle(request.urn)
        olds, news = to_core(request.olds), to_core(request.news)
        if request.preview:  # the outputs stay as they are, so that what depends on them does too
            return UpdateResponse(from_core({**olds, **news}))
        outs = await self._run(request.urn, lifecycle.update, request.resource_id, olds, _within(news, request.timeout))
        return UpdateResponse(from_core(outs))

    async def delete(self, request: DeleteRequest) -> None:
        lifecycle = _lifecycle(request.urn)
        await self._run(request.urn, lifecycle.delete, request.resource_id, to_core(request.properties))

    async def invoke(self, request: InvokeRequest) -> InvokeResponse:
        """A function (`schema.FUNCTIONS`): a look-up, or a final backup; what a look-up cannot find, or a final
        backup that cannot be made, is a failure that says why."""
        function = FUNCTIONS.get(request.tok.rsplit(":", 1)[-1])
        if function is None:
            return InvokeResponse(failures=[CheckFailure("", f"{request.tok} is no function of pinecone-backup")])
        arguments = to_core(request.args)
        try:
            # progress on the row of the resource a final backup is for (its hook's URN), else the stack's
            urn = arguments.get("resource_urn")
            urn = urn if isinstance(urn, str) else ""
            found = await self._run(urn, lambda: function.call(credentials.client(), arguments))
        except PineconeError as error:
            return InvokeResponse(failures=[CheckFailure("", str(error))])
        return InvokeResponse(from_core(returned(function, found)))


def _lifecycle(urn: str) -> Lifecycle:
    return RESOURCES[urn.split("::")[2].rsplit(":", 1)[-1]]


def _within(props: dict[str, Any], timeout: float) -> dict[str, Any]:
    """The program's `ready_timeout`, or the resource's customTimeouts if shorter: the engine
    gives up then anyway, so the wait must end first, and clean up."""
    ready_timeout = props.get("ready_timeout")
    if timeout > 0 and (not isinstance(ready_timeout, (int, float)) or timeout < ready_timeout):
        return {**props, "ready_timeout": float(timeout)}
    return props


def _property_diff(olds: dict[str, Any], news: dict[str, Any], key: str, replaces: bool) -> PropertyDiff:
    if olds.get(key) is None:
        kind = PropertyDiffKind.ADD_REPLACE if replaces else PropertyDiffKind.ADD
    elif news.get(key) is None:
        kind = PropertyDiffKind.DELETE_REPLACE if replaces else PropertyDiffKind.DELETE
    else:
        kind = PropertyDiffKind.UPDATE_REPLACE if replaces else PropertyDiffKind.UPDATE
    return PropertyDiff(kind, True)


def _owner(urn: str) -> dict[str, Any]:
    """The hidden inputs (`core.identity.Owned`) of a resource: "/project/stack/name" (the plugin
    is not told the organization), and the stack instance, from the stack's config file in the
    project the engine runs the plugin for (its working directory)."""
    stack, project, _, name = urn.removeprefix("urn:pulumi:").split("::", 3)
    return {"name_seed": f"/{project}/{stack}/{name}", "stack_instance": _stack_instance(Path.cwd(), stack)}


@functools.cache
def _stack_instance(start: Path, stack: str) -> str | None:
    """Read once per process: a 500-resource YAML program's Pulumi.yaml takes 0.5 s to parse."""
    for directory in (start, *start.parents):
        if any((directory / name).is_file() for name in ("Pulumi.yaml", "Pulumi.yml", "Pulumi.json")):
            return identity.stack_instance(directory, stack)
    return None


def to_core(values: Mapping[str, PropertyValue]) -> dict[str, Any]:
    """The engine's properties as the core's inputs: snake_case keys, plain values."""
    return {snake(key): _plain(value) for key, value in values.items()}


def _plain(value: PropertyValue) -> Any:
    inner = value.value
    if isinstance(inner, Computed):
        return UNKNOWN
    if isinstance(inner, Mapping):
        return {key: _plain(item) for key, item in inner.items()}
    if isinstance(inner, Sequence) and not isinstance(inner, str):
        return [_plain(item) for item in inner]
    return inner


def from_core(values: Mapping[str, Any]) -> dict[str, PropertyValue]:
    """The core's values as the engine's properties: camelCase keys; numbers as floats."""
    return {camel(key): _property(value) for key, value in values.items()}


def _property(value: Any) -> PropertyValue:
    if isinstance(value, dict):
        return PropertyValue({key: _property(item) for key, item in value.items()})
    if isinstance(value, (list, tuple)):
        return PropertyValue([_property(item) for item in value])
    if isinstance(value, int) and not isinstance(value, bool):
        return PropertyValue(float(value))
    if is_unknown(value):
        return PropertyValue(UNKNOWN)  # `PropertyValue.computed()` does not marshal (SDK 3.259)
    return PropertyValue(value)
