"""What every resource's lifecycle shares, whichever face serves it.

A resource's lifecycle is a `Lifecycle`: check, diff, create, read, update and delete over
plain dicts of its declared inputs (snake_case, as declared), answering with the face-neutral
results below. The dynamic resources (`pinecone_backup.backup`, ...) and the provider plugin
(`pinecone_backup.plugin`) each adapt them to their own protocol; nothing here imports either.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pinecone_backup.core import rules
from pinecone_backup.core.fields import CheckFailure, Inputs, Output, Role, declare, is_unknown
from pinecone_backup.core.polling import PollSchedule
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


@dataclass
class Checked:
    """`check`'s answer: the inputs with defaults (and settled names), and what is wrong with them."""

    inputs: dict[str, Any]
    failures: list[CheckFailure]


@dataclass
class Diff:
    """`diff`'s answer: whether anything changes, which inputs replace, and in what order."""

    changes: bool
    replaces: list[str] = field(default_factory=list)
    delete_before_replace: bool = False


@dataclass
class Made:
    """`create`'s answer: the new object's id and outputs."""

    id: str
    outs: dict[str, Any]


@dataclass
class Found:
    """`read`'s answer: id "" when the object is gone; `inputs`, where read records drift as inputs."""

    id: str
    outs: dict[str, Any]
    inputs: dict[str, Any] | None = None


class Lifecycle:
    """check and diff from the declared inputs; each resource adds create, read, update, delete."""

    summary: ClassVar[str]  # what the resource is, for its docs in both faces
    inputs: ClassVar[type[Inputs]]
    outputs: ClassVar[tuple[Output, ...]]

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> Checked:
        return Checked(self.inputs.with_defaults(news), self.inputs.check(news))

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> Diff:
        """Replace on REPLACE inputs, update on UPDATE inputs. WAIT inputs are read by `create`
        alone, so a change of them is no change: reported as an update, the engine would preview
        this resource's outputs as unknown and replace everything that depends on them."""
        replaces = [key for key in self.inputs.names(Role.REPLACE) if self.differs(olds, news, key)]
        updates = [key for key in self.inputs.names(Role.UPDATE) if self.differs(olds, news, key)]
        return Diff(bool(replaces or updates), replaces, self.delete_before_replace(replaces))

    def differs(self, olds: dict[str, Any], news: dict[str, Any], key: str) -> bool:
        """Whether input `key` changed; a resource may leave some values unmanaged."""
        return changed(olds, news, key)

    def delete_before_replace(self, _replaces: list[str]) -> bool:
        """Whether a replacement must delete the old object first (default: create the new one first)."""
        return False

    def create(self, props: dict[str, Any]) -> Made:
        raise NotImplementedError

    def read(self, id_: str, props: dict[str, Any]) -> Found:
        raise NotImplementedError

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        raise NotImplementedError


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
