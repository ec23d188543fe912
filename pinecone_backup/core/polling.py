"""Waiting for a backup (or a restore) to be done: few calls, prompt notice, readable progress.

The pause between status checks grows with the time already waited (10% of it, plus the
floor), so a backup that is Ready at time T is seen by 1.1 x T + floor at the latest, while
a 10-minute backup costs about 20 checks. Pauses are shortened at random by up to 15% so
that a few backups created together do not poll the API in lockstep.

Each wait keeps that schedule, its timeout and its cancellation; where its news comes from is
`_watch`'s business: many waits of one provider process share listings (one call per 100
backups) instead of each describing its own object.

Progress goes to stderr, one line per write. With a few waits in the process each check is
shown ("Initializing 4m10s: backup 3f2a… of products, next check in 25s"); with more than
`CROWD`, only what changes (the first state, a new state, the end), and `_watch` adds a count
of all of them after each shared listing, so 500 backups write about 1,000 lines, not 19,000.
"""

from __future__ import annotations

import contextlib
import random
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from pinecone_backup.errors import TRANSIENT_ERRORS, ApiError, NotFoundError, PineconeError

T = TypeVar("T")
GROWTH = 0.1
MAX_PAUSE = 300.0
JITTER = 0.15
CROWD = 10  # more waits than this in one process: progress lines only when something changes


class WaitFailedError(PineconeError):
    """What was waited for ended Failed."""


class WaitTimeoutError(PineconeError):
    """What was waited for was not done before the timeout."""


class WaitCancelledError(PineconeError, Generic[T]):
    """The update was cancelled while waiting; `current` is the last state seen, to be recorded."""

    def __init__(self, subject: str, current: T) -> None:
        super().__init__(f"cancelled while waiting for {subject}")
        self.current = current


class Interrupted(Exception):
    """Raised by a source of news once the update is cancelled: the wait records what it has."""


@dataclass(frozen=True)
class NoNews:
    """A status check that failed transiently (429, 5xx, no answer, after the client's own
    retries): the wait goes on, pausing at least `retry_after`. `reported`: already said once
    for every wait that shared the call."""

    reason: str
    retry_after: float = 0.0
    reported: bool = False

    @classmethod
    def of(cls, error: Exception, *, reported: bool = False) -> NoNews:
        retry_after = (error.retry_after or 0.0) if isinstance(error, ApiError) else 0.0
        return cls(str(error), retry_after, reported)


class _Cancellation(threading.Event):
    """An Event whose `set` also runs hooks: waits blocked on their own wake-up hear it at once."""

    def __init__(self) -> None:
        super().__init__()
        self._hooks: list[Callable[[], None]] = []

    def on_set(self, hook: Callable[[], None]) -> None:
        self._hooks.append(hook)

    def set(self) -> None:
        super().set()
        for hook in list(self._hooks):
            hook()


# Set once the engine cancels the update, or the provider host is told to stop (see _host):
# every wait then returns at once, so what the creates made is recorded in state.
CANCELLED = _Cancellation()
# Set when the engine can no longer be reached (killed): what the waits made is recorded nowhere.
ENGINE_GONE = threading.Event()


# Creates answered after the cancel, of objects whose names prove nothing (see `unless_recorded`).
_unrecorded: list[tuple[str, Callable[[], None]]] = []
_unrecorded_lock = threading.Lock()

_waits = threading.Condition()
_waiting = 0  # waits, and what settles their outcome, under way (the host stops only after)
_active = 0  # waits under way: more than CROWD, and progress shows only what changes


def cancel() -> None:
    CANCELLED.set()


def engine_gone() -> None:
    """The engine can no longer be reached: nothing more is recorded; every wait ends."""
    ENGINE_GONE.set()
    CANCELLED.set()


def unless_recorded(what: str, delete: Callable[[], None]) -> None:
    """A create is about to answer; if the update is cancelled, keep `delete` for `what` until
    the host knows whether the engine recorded the answer.

    An engine that dies after its cancel (a CI job's script killed with it) never records the
    answers; the host then deletes what they named (`delete_unrecorded`), since the next `up`
    would make a duplicate and leave this one an orphan. Only for objects whose name proves
    nothing: one with a proven name (an automatic name, an owner tag) is adopted by the next `up`."""
    if CANCELLED.is_set():
        with _unrecorded_lock:
            _unrecorded.append((what, delete))


def delete_unrecorded() -> None:
    """The engine is gone: delete what the creates answered after the cancel made (see above)."""
    with _unrecorded_lock:
        unrecorded, _unrecorded[:] = list(_unrecorded), []
    for what, delete in unrecorded:
        try:
            delete()
        except NotFoundError:
            continue  # gone already
        except Exception as exc:  # the others still go; nobody reads this, but a log may
            report(f"Left: {what}, made after the cancel and recorded nowhere; delete it by hand ({exc})")
        else:
            report(f"Deleted: {what}, made after the cancel and recorded nowhere (the engine is gone)")


def wait_for_waits_to_end(timeout: float) -> bool:
    """Whether every wait in this process, and what settles it, has ended within `timeout` seconds."""
    with _waits:
        return _waits.wait_for(lambda: _waiting == 0, timeout)


@contextlib.contextmanager
def busy() -> Iterator[None]:
    """Count a wait (or what settles its outcome) as under way: the host stops only after."""
    global _waiting
    with _waits:
        _waiting += 1
    try:
        yield
    finally:
        with _waits:
            _waiting -= 1
            _waits.notify_all()


@contextlib.contextmanager
def _counted() -> Iterator[None]:
    global _active
    with _waits:
        _active += 1
    try:
        yield
    finally:
        with _waits:
            _active -= 1


def crowded() -> bool:
    """Whether so many waits run in this process that progress shows only what changes."""
    return _active > CROWD


@dataclass(frozen=True)
class PollSchedule:
    floor: float
    timeout: float

    def pause_after(self, elapsed: float, jitter: float = 0.0) -> float:
        """The pause before the next check; `jitter` in [0, 1] shortens it by up to JITTER."""
        return min(self.floor + GROWTH * elapsed, MAX_PAUSE) * (1 - JITTER * jitter)


def format_duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


def next_check(pause: float) -> str:
    """', next check in 25s' for a progress line; nothing for a pause under a second, which
    whole seconds cannot show (it said "next check in 0s")."""
    return f", next check in {format_duration(pause)}" if pause >= 1 else ""


def report(message: str) -> None:
    """A progress line, which the Pulumi CLI shows beside the resource (see `report_to`).

    One write per line, so that lines of backups waiting in other threads never interleave.
    The CLI's Info column shows only a line's start: callers lead with what changes.
    """
    try:
        _sink(message)
    except OSError:  # the engine, which reads it, is gone (killed): nobody will record what waits
        engine_gone()


def _to_stderr(message: str) -> None:
    sys.stderr.write(f"{message}\n")
    sys.stderr.flush()


# Where progress lines go: stderr, which the CLI shows for the dynamic provider host; the plugin,
# whose stderr the CLI hides, sends them to the engine instead.
Sink = Callable[[str], None]
_sink: Sink = _to_stderr


def report_to(sink: Sink) -> None:
    """Send progress lines to `sink`, which raises OSError once the engine is gone."""
    global _sink
    _sink = sink


def short_id(identifier: str) -> str:
    """The start of a long id, enough to tell backups apart in a progress line."""
    return identifier if len(identifier) <= 12 else f"{identifier[:8]}…"


def wait_until(
    check: Callable[[], T],
    first: T,
    schedule: PollSchedule,
    *,
    subject: str,
    status: Callable[[T], str],
    done: Callable[[T], bool],
    failed: Callable[[T], bool],
    phase: Callable[[T], str] | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], object] = lambda seconds: CANCELLED.wait(seconds),
) -> T:
    """Check until `done`, each wait on its own: sleep the pause, then `check()`. See `waiting`."""

    def observe(pause: float) -> T | NoNews:
        sleep(pause)
        if CANCELLED.is_set():
            raise Interrupted
        try:
            return check()
        except TRANSIENT_ERRORS as exc:
            return NoNews.of(exc)

    return waiting(
        observe, first, schedule, subject=subject, status=status, done=done, failed=failed, phase=phase, clock=clock
    )


def waiting(
    observe: Callable[[float], T | NoNews],
    first: T,
    schedule: PollSchedule,
    *,
    subject: str,
    status: Callable[[T], str],
    done: Callable[[T], bool],
    failed: Callable[[T], bool],
    phase: Callable[[T], str] | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> T:
    """Observe until `done`; raise WaitFailedError if `failed`, WaitTimeoutError past the timeout.

    `observe(pause)` returns the state after at most `pause` seconds (sooner if news came
    sooner), or NoNews. `subject` names what is waited for ("backup 3f2a… of products"),
    `status` renders its current state ("Initializing", "Running 40%"), `phase` the part of it
    whose change is worth a line when many wait (default: `status`). Progress lines put the
    state first: "Initializing 4m10s: backup 3f2a… of products, next check in 25s". A check that
    fails transiently is no news: the wait goes on, pausing at least as long as asked. Once the
    update is cancelled, WaitCancelledError carries the last state seen.
    """
    phase = phase or status
    with busy(), _counted():
        start = clock()
        current = first
        at_least = 0.0
        shown: str | None = None
        while True:
            elapsed = clock() - start
            if done(current):
                report(f"{status(current)} after {format_duration(elapsed)}: {subject}")
                return current
            if failed(current):
                raise WaitFailedError(f"{subject} is {status(current)}")
            remaining = schedule.timeout - elapsed
            if remaining <= 0:
                limit = f"ready_timeout={schedule.timeout:g}s"
                raise WaitTimeoutError(f"{subject} is {status(current)} after {format_duration(elapsed)} ({limit})")
            if CANCELLED.is_set():
                raise WaitCancelledError(subject, current)
            pause = min(max(schedule.pause_after(elapsed, random.random()), at_least), remaining)
            if not crowded() or phase(current) != shown:
                report(f"{status(current)} {format_duration(elapsed)}: {subject}{next_check(pause)}")
                shown = phase(current)
            try:
                news = observe(pause)
            except Interrupted:
                raise WaitCancelledError(subject, current) from None
            if isinstance(news, NoNews):
                at_least = news.retry_after
                if not news.reported:
                    report(f"Still waiting: {subject}: a status check failed ({news.reason})")
            else:
                current, at_least = news, 0.0
