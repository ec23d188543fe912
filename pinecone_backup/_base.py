"""What every resource and provider of this package shares.

Resources: typed outputs the SDK reads once per class. Providers: the declared inputs drive
check and diff. A provider instance is pickled into the stack's state and unpickled in the
provider process, so it carries nothing: the key and the client come from `pinecone_backup._credentials`.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pulumi
import pulumi.dynamic
from pulumi.dynamic import CheckResult, ConfigureRequest, DiffResult, ResourceProvider

from pinecone_backup import _credentials, _host
from pinecone_backup import _rules as rules
from pinecone_backup._fields import Inputs, Role, declare, is_unknown
from pinecone_backup._polling import PollSchedule
from pinecone_backup.errors import NotFoundError, PineconeError

DEFAULT_WAIT_FOR_READY = True
DEFAULT_READY_TIMEOUT = 3600.0
DEFAULT_POLL_INTERVAL = 10.0


@dataclass(frozen=True, kw_only=True)
class WaitSettings(Inputs):
    """The inputs that say how long `create` waits for what it made, shared by every resource."""

    wait_for_ready: bool = field(
        default=DEFAULT_WAIT_FOR_READY,
        metadata=declare(
            Role.WAIT,
            "wait until what the resource makes is usable (a backup `Ready`, a restore `Completed` and its "
            "index ready) before it counts as created",
            rules.boolean,
        ),
    )
    ready_timeout: float = field(
        default=DEFAULT_READY_TIMEOUT,
        metadata=declare(
            Role.WAIT, "seconds to wait; on timeout what was made is deleted and `up` fails", rules.ready_timeout
        ),
    )
    poll_interval: float = field(
        default=DEFAULT_POLL_INTERVAL,
        metadata=declare(
            Role.WAIT,
            "the shortest pause between status checks, in seconds; pauses grow to 10% of the time waited",
            rules.poll_interval,
        ),
    )

    @property
    def schedule(self) -> PollSchedule:
        return PollSchedule(self.poll_interval, self.ready_timeout)


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


class ProviderBase(ResourceProvider):
    """check and diff from the declared inputs; credentials per process, nothing on the instance."""

    inputs: ClassVar[type[Inputs]]
    serialize_as_secret_always = False  # it captures nothing secret, so state stays readable

    def configure(self, req: ConfigureRequest) -> None:
        """Runs in the provider host only, once per unpickled provider."""
        _credentials.configure(req.config)
        _host.adapt_host()

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        return CheckResult(self.inputs.with_defaults(news), self.inputs.check(news))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Replace on REPLACE inputs, update on UPDATE inputs. WAIT inputs are read by `create`
        alone, so a change of them is no change: reported as an update, the engine would preview
        this resource's outputs as unknown and replace everything that depends on them."""
        replaces = [key for key in self.inputs.names(Role.REPLACE) if self.differs(olds, news, key)]
        updates = [key for key in self.inputs.names(Role.UPDATE) if self.differs(olds, news, key)]
        return DiffResult(
            changes=bool(replaces or updates),
            replaces=replaces,
            delete_before_replace=self.delete_before_replace(replaces),
        )

    def differs(self, olds: dict[str, Any], news: dict[str, Any], key: str) -> bool:
        """Whether input `key` changed; a resource may leave some values unmanaged."""
        return changed(olds, news, key)

    def delete_before_replace(self, _replaces: list[str]) -> bool:
        """Whether a replacement must delete the old object first (default: create the new one first)."""
        return False


def changed(olds: dict[str, Any], news: dict[str, Any], key: str) -> bool:
    """Whether `key` differs; a value not known until `up` may differ, so it counts."""
    return is_unknown(news.get(key)) or olds.get(key) != news.get(key)


def cleaned_up(delete: Callable[[], None], what: str, error: Exception) -> PineconeError:
    """Delete `what` a failed create made (Pulumi cannot record it) and say so in the error.

    Any error counts, not only the API's: whatever stopped the create, the object it made must
    not stay in the project unknown to Pulumi."""
    try:
        delete()
    except NotFoundError:
        pass
    except Exception as delete_error:  # whatever stopped it, say what is left
        return PineconeError(
            f"{error}. It could not be deleted ({delete_error}): delete {what} by hand, "
            "or it stays in the project unknown to Pulumi."
        )
    reason = str(error) if isinstance(error, PineconeError) else f"{type(error).__name__}: {error}"
    return PineconeError(f"{reason}. The {what} was deleted so that nothing is left behind; run the command again.")
