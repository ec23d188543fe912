"""Pinecone backups as Pulumi resources.

`Backup`, `BackupSchedule` and `IndexFromBackup` are the resources; `get_backup`,
`list_backups`, `latest_backup` and `latest_scheduled_backup` look backups up, and
`schedule_history` a schedule's runs; `final_backup` is a resource hook that backs an index up
before it is deleted, and `final_backups` (with an `_output` twin) finds what it made;
`pinecone_backup.errors` holds every error raised; `pinecone_backup.api` is the typed
control-plane client; `pinecone_backup.emulator` is an offline Pinecone for tests and demos.
"""

from pinecone_backup._version import __version__
from pinecone_backup.backup import Backup
from pinecone_backup.errors import PineconeError
from pinecone_backup.hooks import final_backup, final_backups, final_backups_output
from pinecone_backup.index_from_backup import IndexFromBackup
from pinecone_backup.lookups import (
    NoMatchingBackupError,
    get_backup,
    get_backup_output,
    latest_backup,
    latest_backup_output,
    latest_scheduled_backup,
    latest_scheduled_backup_output,
    list_backups,
    list_backups_output,
    schedule_history,
    schedule_history_output,
)
from pinecone_backup.schedule import BackupSchedule

__all__ = [
    "Backup",
    "BackupSchedule",
    "IndexFromBackup",
    "NoMatchingBackupError",
    "PineconeError",
    "__version__",
    "final_backup",
    "final_backups",
    "final_backups_output",
    "get_backup",
    "get_backup_output",
    "latest_backup",
    "latest_backup_output",
    "latest_scheduled_backup",
    "latest_scheduled_backup_output",
    "list_backups",
    "list_backups_output",
    "schedule_history",
    "schedule_history_output",
]
