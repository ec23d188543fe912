"""Waiting for a backup to become Ready: few calls, prompt notice, progress on stderr.

The pause between status checks grows with the time already waited (10% of it, plus the
floor), so a backup that is Ready at time T is seen by 1.1 x T + floor at the latest, while
a 10-minute backup costs about 20 checks. Pauses are shortened at random by up to 15% so
that many backups created together do not poll the API in lockstep.
"""

from __future__ import annotations

import contextlib
import random
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from pinecone_backup.errors import TRANSIENT_ERRORS, ApiError, PineconeError

if TYPE_CHECKING:
    from pinecone_backup.api.client import PineconeClient
    from pinecone_backup.api.models import Backup

T = TypeVar("T")
GROWTH = 0.1
MAX_PAUSE = 300.0
JITTER = 0.15


class WaitFailedError(PineconeError):
    """What was waited for ended Failed."""


class WaitTimeoutError(PineconeError):
    """What was waited for was not done before the timeout."""


class WaitCancelledError(PineconeError, Generic[T]):
    """The update was cancelled while waiting; `current` is the last state seen, to be recorded."""

    def __init__(self, subject: str, current: T) -> None:
        super().__init__(f"cancelled while waiting for {subject}")
        self.current = current


# Set once the engine cancels the update, or the provider host is told to stop (see _host):
# every wait then returns at once, so what the creates made is recorded in state.
CANCELLED = threading.Event()
# Set when the engine can no longer be reached (killed): what the waits made is recorded nowhere.
ENGINE_GONE = threading.Event()


_waits = threading.Condition()
_waiting = 0


def cancel() -> None:
    CANCELLED.set()


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


def report(message: str) -> None:
    """A progress line on stderr, which the Pulumi CLI shows beside the resource.

    One write per line, so that lines of backups waiting in other threads never interleave.
    The CLI's Info column shows only a line's start: callers lead with what changes.
    """
    try:
        sys.stderr.write(f"{message}\n")
        sys.stderr.flush()
    except OSError:  # the engine, which reads it, is gone (killed): nobody will record what waits
        ENGINE_GONE.set()
        CANCELLED.set()


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
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], object] = lambda seconds: CANCELLED.wait(seconds),
) -> T:
    """Check until `done`; raise WaitFailedError if `failed`, WaitTimeoutError past the timeout.

    `subject` names what is waited for ("backup 3f2a… of products"), `status` renders its current
    state ("Initializing"); progress lines put the state first: "Initializing 4m10s: backup 3f2a…
    of products, next check in 25s". A check that fails transiently (429, 5xx, no answer, after
    the client's own retries) is no news: the wait goes on, pausing at least as long as asked.
    Once the update is cancelled, WaitCancelledError carries the last state seen.
    """
    with busy():
        start = clock()
        current = first
        at_least = 0.0
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
            report(f"{status(current)} {format_duration(elapsed)}: {subject}, next check in {format_duration(pause)}")
            sleep(pause)
            if CANCELLED.is_set():
                raise WaitCancelledError(subject, current)
            try:
                current, at_least = check(), 0.0
            except TRANSIENT_ERRORS as exc:
                at_least = (exc.retry_after or 0.0) if isinstance(exc, ApiError) else 0.0
                report(f"Still waiting: {subject}: a status check failed ({exc})")


def wait_until_ready(client: PineconeClient, backup: Backup, schedule: PollSchedule) -> Backup:
    """Poll a backup until Ready; Failed or the timeout raise."""
    return wait_until(
        lambda: client.describe_backup(backup.backup_id),
        backup,
        schedule,
        subject=f"backup {short_id(backup.backup_id)} of {backup.source_index_name}",
        status=lambda b: b.status,
        done=lambda b: b.is_ready,
        failed=lambda b: b.is_failed,
    )
