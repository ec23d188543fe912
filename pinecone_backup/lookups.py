"""Find backups from inside a Pulumi program (or any script): by id, by index, the latest one,
the latest one a schedule made, and a schedule's runs (`core.lookups`).

Each function has an `_output` twin that takes `pulumi.Input`s and returns a `pulumi.Output`,
for use with values that are only known during a deployment. They read the API key from the
stack config `pinecone:apiKey` when run in a program, else from $PINECONE_API_KEY.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pulumi

from pinecone_backup.core import credentials as _credentials
from pinecone_backup.core import lookups
from pinecone_backup.core.lookups import NoMatchingBackupError

if TYPE_CHECKING:
    from pinecone_backup.api.client import PineconeClient
    from pinecone_backup.api.models import Backup, ScheduledRun

__all__ = ["NoMatchingBackupError"]


def get_backup(backup_id: str) -> Backup:
    """The backup with this id."""
    return lookups.get_backup(_client(), backup_id)


def list_backups(index_name: str | None = None) -> list[Backup]:
    """Every backup of an index, or of the whole project, across all pages."""
    return lookups.list_backups(_client(), index_name)


def latest_backup(index_name: str, name_prefix: str | None = None, status: str | None = "Ready") -> Backup:
    """The most recently created backup of an index, optionally by name prefix and status (None: any).

    Backups created in the same instant are told apart by the API's list order, later wins.
    """
    return lookups.latest_backup(_client(), index_name, name_prefix, status)


def latest_scheduled_backup(index_name: str, schedule_name: str, status: str | None = "Ready") -> Backup | None:
    """The newest backup the schedule named so made of this index (by the run time in its name,
    `<schedule name>-YYYYMMDDTHHMMSSZ`), optionally of a status (None: any); None before its
    first run, which is no error: a new schedule has made nothing yet."""
    return lookups.latest_scheduled_backup(_client(), index_name, schedule_name, status)


def schedule_history(schedule_id: str) -> list[ScheduledRun]:
    """A schedule's runs as Pinecone lists them: the backups it made, and (status `Scheduled`) its next one."""
    return lookups.schedule_history(_client(), schedule_id)


def get_backup_output(backup_id: pulumi.Input[str]) -> pulumi.Output[Backup]:
    return pulumi.Output.from_input(backup_id).apply(get_backup)


def list_backups_output(index_name: pulumi.Input[str] | None = None) -> pulumi.Output[list[Backup]]:
    return pulumi.Output.from_input(index_name).apply(list_backups)


def latest_backup_output(
    index_name: pulumi.Input[str], name_prefix: pulumi.Input[str] | None = None, status: str | None = "Ready"
) -> pulumi.Output[Backup]:
    return pulumi.Output.all(index_name, name_prefix).apply(lambda args: latest_backup(args[0], args[1], status))


def latest_scheduled_backup_output(
    index_name: pulumi.Input[str], schedule_name: pulumi.Input[str], status: str | None = "Ready"
) -> pulumi.Output[Backup | None]:
    return pulumi.Output.all(index_name, schedule_name).apply(
        lambda args: latest_scheduled_backup(args[0], args[1], status)
    )


def schedule_history_output(schedule_id: pulumi.Input[str]) -> pulumi.Output[list[ScheduledRun]]:
    return pulumi.Output.from_input(schedule_id).apply(schedule_history)


def _client() -> PineconeClient:
    in_program = pulumi.runtime.get_config(_credentials.API_KEY_CONFIG)
    if in_program:
        _credentials.configure(in_program)
    return _credentials.client()
