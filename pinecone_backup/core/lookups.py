"""Finding backups: by id, by index, the latest one, the latest one a schedule made, and a
schedule's runs. The program's functions (`pinecone_backup.lookups`) and the plugin's share these.

Each takes the client to ask. `LOOKED_UP` declares what a found backup reports, as a resource's
outputs are declared: the plugin's schema derives its types from it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pinecone_backup.core.backup import BACKUP_OUTPUTS
from pinecone_backup.core.fields import Output
from pinecone_backup.errors import NotFoundError, PineconeError

if TYPE_CHECKING:
    from pinecone_backup.api.client import PineconeClient
    from pinecone_backup.api.models import Backup, ScheduledRun

# What a look-up reports of each backup: the Backup resource's outputs, with its name and description.
LOOKED_UP = (
    Output("name", "the backup's name"),
    Output("description", "the backup's description"),
    Output("backup_id", "Pinecone's id of the backup"),  # a look-up is no resource: no resource id
    *(output for output in BACKUP_OUTPUTS if output.name != "backup_id"),
)
# A schedule's run: a backup it made, or (status `Scheduled`) the next one it will make.
SCHEDULED_RUN = (*LOOKED_UP, Output("scheduled_execution_at", "when the run is, or was, due (RFC 3339)"))


class NoMatchingBackupError(PineconeError):
    """No backup matched a look-up."""


def get_backup(client: PineconeClient, backup_id: str) -> Backup:
    """The backup with this id."""
    try:
        return client.describe_backup(backup_id)
    except NotFoundError:
        raise NoMatchingBackupError(f"no backup with id {backup_id!r} in this project") from None


def list_backups(client: PineconeClient, index_name: str | None = None) -> list[Backup]:
    """Every backup of an index, or of the whole project, across all pages."""
    return list(client.list_backups(index_name))


def latest_backup(
    client: PineconeClient, index_name: str, name_prefix: str | None = None, status: str | None = "Ready"
) -> Backup:
    """The most recently created backup of an index, optionally by name prefix and status (None: any).

    Backups created in the same instant are told apart by the API's list order, later wins.
    """
    backups = list_backups(client, index_name)
    matching = [
        backup
        for backup in backups
        if (status is None or backup.status == status)
        and (name_prefix is None or (backup.name or "").startswith(name_prefix))
    ]
    if not matching:
        wanted = " ".join(
            part
            for part in (
                status or "any",
                f"backup of index {index_name!r}",
                f"whose name starts with {name_prefix!r}" if name_prefix else "",
            )
            if part
        )
        raise NoMatchingBackupError(f"no {wanted} ({len(backups)} backups of that index looked at)")
    return max(reversed(matching), key=lambda backup: backup.created_at or "")


def latest_scheduled_backup(
    client: PineconeClient, index_name: str, schedule_name: str, status: str | None = "Ready"
) -> Backup | None:
    """The newest backup the schedule named so made of this index (by the run time in its name,
    `<schedule name>-YYYYMMDDTHHMMSSZ`), optionally of a status (None: any); None before its
    first run, which is no error: a new schedule has made nothing yet."""
    pattern = re.compile(re.escape(schedule_name) + r"-(\d{8}T\d{6}Z)")
    runs = [
        (match.group(1), backup)
        for backup in list_backups(client, index_name)
        if (match := pattern.fullmatch(backup.name or "")) and (status is None or backup.status == status)
    ]
    return max(runs, key=lambda run: run[0])[1] if runs else None


def schedule_history(client: PineconeClient, schedule_id: str) -> list[ScheduledRun]:
    """A schedule's runs as Pinecone lists them: the backups it made, and (status `Scheduled`) its next one."""
    try:
        return list(client.backup_schedule_history(schedule_id))
    except NotFoundError:
        raise NoMatchingBackupError(f"no backup schedule with id {schedule_id!r} in this project") from None
