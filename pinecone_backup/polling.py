"""Waiting for a backup to become Ready: few calls, prompt notice, progress on stderr.

The pause between status checks grows with the time already waited (10% of it, plus the
floor), so a backup that is Ready at time T is seen by about 1.1 x T + floor while a
10-minute backup costs ~20 checks and a 5-hour one ~50.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pinecone_backup.api.errors import PineconeError

if TYPE_CHECKING:
    from pinecone_backup.api.client import PineconeClient
    from pinecone_backup.api.models import Backup

GROWTH = 0.1
MAX_PAUSE = 300.0


class BackupFailedError(PineconeError):
    """The backup ended in status Failed."""


class ReadyTimeoutError(PineconeError):
    """The backup was not Ready before the timeout."""


@dataclass(frozen=True)
class PollSchedule:
    floor: float
    timeout: float

    def pause_after(self, elapsed: float) -> float:
        return min(self.floor + GROWTH * elapsed, MAX_PAUSE)


def format_duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


def report(message: str) -> None:
    """A progress line; the Pulumi CLI shows the provider's stderr to the user."""
    print(f"pinecone-backup: {message}", file=sys.stderr, flush=True)


def wait_until_ready(
    client: PineconeClient,
    backup: Backup,
    schedule: PollSchedule,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Backup:
    """Poll until Ready; raise BackupFailedError or ReadyTimeoutError otherwise."""
    start = clock()
    while True:
        if backup.is_ready:
            report(f"backup {backup.backup_id} of index {backup.source_index_name} is Ready")
            return backup
        if backup.is_failed:
            raise BackupFailedError(f"backup {backup.backup_id} of index {backup.source_index_name} ended Failed")
        elapsed = clock() - start
        remaining = schedule.timeout - elapsed
        if remaining <= 0:
            raise ReadyTimeoutError(
                f"backup {backup.backup_id} of index {backup.source_index_name} was still {backup.status} "
                f"after {format_duration(elapsed)} (ready_timeout={schedule.timeout:g}s)"
            )
        pause = min(schedule.pause_after(elapsed), remaining)
        report(
            f"backup {backup.backup_id} of index {backup.source_index_name} is {backup.status} "
            f"({format_duration(elapsed)} elapsed, next check in {format_duration(pause)})"
        )
        sleep(pause)
        backup = client.describe_backup(backup.backup_id)
