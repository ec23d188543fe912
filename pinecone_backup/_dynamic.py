"""The dynamic face: Pulumi dynamic resources for Python programs, over the core lifecycles.

Resources: typed outputs the SDK reads once per class. Providers: a thin adapter from Pulumi's
`ResourceProvider` to a `core.lifecycle.Lifecycle`. A provider instance is pickled into the
stack's state and unpickled in the provider host, so it carries nothing: its lifecycle is a
class attribute, and the key and the client come from `core.credentials`.
"""

from __future__ import annotations

import inspect
import typing
from typing import Any, ClassVar

import pulumi
import pulumi.dynamic
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from pinecone_backup import _host
from pinecone_backup.core import credentials
from pinecone_backup.core.lifecycle import Lifecycle


class TypedResource(pulumi.dynamic.Resource):
    """A dynamic resource whose `pulumi.Output[...]` annotations become typed getters, as in
    Pulumi's generated SDKs.

    The SDK reads a resource's output types at each registration, to turn the engine's numbers
    into the declared types (10.0 into the int 10). From class annotations it evaluates them
    again for every resource (about 2 ms for a Backup, a sixth of a no-op preview); from getters
    it reads them once per class. So each annotation is made a getter when the class is made,
    and leaves the class's runtime annotations; type checkers still read it from the source.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        hints = inspect.get_annotations(cls, eval_str=True)
        outputs = {name: hint for name, hint in hints.items() if _is_output(hint)}
        for name, hint in outputs.items():
            setattr(cls, name, _typed_getter(name, hint))
        cls.__annotations__ = {name: hint for name, hint in hints.items() if name not in outputs}


def _is_output(hint: Any) -> bool:
    origin: object = typing.get_origin(hint)
    return origin is pulumi.Output


def _typed_getter(name: str, hint: Any) -> property:
    def get(self: pulumi.Resource) -> Any:
        return pulumi.get(self, name)

    get.__name__ = get.__qualname__ = name
    get.__annotations__ = {"return": hint}
    return property(pulumi.getter(name=name)(get))


class WaitingResource(TypedResource):
    """The typed outputs of the wait settings, which every resource of this package takes."""

    wait_for_ready: pulumi.Output[bool]
    ready_timeout: pulumi.Output[float]
    poll_interval: pulumi.Output[float]


class DynamicProvider(ResourceProvider):
    """Pulumi's dynamic-provider calls, answered by `lifecycle`; credentials per process."""

    lifecycle: ClassVar[Lifecycle]
    serialize_as_secret_always = False  # it captures nothing secret, so state stays readable

    def configure(self, req: ConfigureRequest) -> None:
        """Runs in the provider host only, once per unpickled provider."""
        credentials.configure(req.config.get(credentials.API_KEY_CONFIG))
        _host.adapt_host()

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        checked = self.lifecycle.check(olds, news)
        return CheckResult(checked.inputs, [CheckFailure(f.property, f.reason) for f in checked.failures])

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        diff = self.lifecycle.diff(id_, olds, news)
        return DiffResult(
            changes=diff.changes, replaces=diff.replaces, delete_before_replace=diff.delete_before_replace
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        made = self.lifecycle.create(props)
        return CreateResult(made.id, made.outs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        found = self.lifecycle.read(id_, props)
        return ReadResult(found.id, found.outs, inputs=found.inputs)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(self.lifecycle.update(id_, olds, news))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        self.lifecycle.delete(id_, props)
