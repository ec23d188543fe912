"""The resources users declare, `Backup` and `IndexFromBackup`: inputs in, typed outputs out."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi.dynamic

from pinecone_backup.inputs import (
    DEFAULT_POLL_INTERVAL,
    DEFAULT_READY_TIMEOUT,
    DEFAULT_WAIT_FOR_READY,
    IMPORT_INPUT,
)
from pinecone_backup.provider import BACKUP_OUTPUTS, BackupProvider
from pinecone_backup.restore_provider import INDEX_OUTPUTS, RESTORE_OUTPUTS, IndexFromBackupProvider


class Backup(pulumi.dynamic.Resource, module="pinecone", name="Backup"):
    """A backup of a Pinecone serverless index; any change of `index_name`, `name` or
    `description` replaces it (the new backup is made before the old one is deleted)."""

    index_name: pulumi.Output[str]
    """The index backed up."""
    name: pulumi.Output[str | None]
    description: pulumi.Output[str | None]
    wait_for_ready: pulumi.Output[bool]
    ready_timeout: pulumi.Output[float]
    poll_interval: pulumi.Output[float]

    backup_id: pulumi.Output[str]
    """Pinecone's id of the backup; also the resource's id."""
    status: pulumi.Output[str]
    """`Ready` once the backup is usable (or `Initializing` with wait_for_ready=False)."""
    record_count: pulumi.Output[int | None]
    size_bytes: pulumi.Output[int | None]
    namespace_count: pulumi.Output[int | None]
    dimension: pulumi.Output[int | None]
    metric: pulumi.Output[str | None]
    cloud: pulumi.Output[str]
    region: pulumi.Output[str]
    source_index_id: pulumi.Output[str]
    source_index_name: pulumi.Output[str]
    created_at: pulumi.Output[str | None]
    tags: pulumi.Output[dict[str, str] | None]

    def __init__(
        self,
        resource_name: str,
        *,
        index_name: pulumi.Input[str],
        name: pulumi.Input[str] | None = None,
        description: pulumi.Input[str] | None = None,
        wait_for_ready: pulumi.Input[bool] = DEFAULT_WAIT_FOR_READY,
        ready_timeout: pulumi.Input[float] = DEFAULT_READY_TIMEOUT,
        poll_interval: pulumi.Input[float] = DEFAULT_POLL_INTERVAL,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """
        :param resource_name: Pulumi's name for this resource (not the backup's name).
        :param index_name: the serverless index to back up.
        :param name: the backup's own name in Pinecone.
        :param description: the backup's description.
        :param wait_for_ready: wait until the backup is Ready before the resource is created.
        :param ready_timeout: seconds to wait for Ready; on timeout the backup is deleted and `up` fails.
        :param poll_interval: shortest pause between status checks, in seconds (pauses grow with the wait).
        """
        opts, import_id = _take_import(opts)
        props: dict[str, Any] = {
            "index_name": index_name,
            "name": name,
            "description": description,
            "wait_for_ready": wait_for_ready,
            "ready_timeout": ready_timeout,
            "poll_interval": poll_interval,
            IMPORT_INPUT: import_id,
            **dict.fromkeys(BACKUP_OUTPUTS),
        }
        super().__init__(BackupProvider(), resource_name, props, opts)

    @staticmethod
    def get(resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None) -> Backup:
        """Look up an existing backup by id, without managing it."""
        return Backup(
            resource_name,
            index_name=None,  # type: ignore[arg-type]  # filled in from the backup by read()
            wait_for_ready=None,  # type: ignore[arg-type]
            ready_timeout=None,  # type: ignore[arg-type]
            poll_interval=None,  # type: ignore[arg-type]
            opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id)),
        )


def _take_import(opts: pulumi.ResourceOptions | None) -> tuple[pulumi.ResourceOptions | None, str | None]:
    """Turn `import_=id` into an input the provider adopts.

    Pulumi's dynamic-provider host cannot import (pulumi#16175: its Read finds no
    `__provider` in an import's empty properties), so the adoption happens in create().
    """
    if opts is None or not opts.import_:
        return opts, None
    without_import = pulumi.ResourceOptions.merge(opts, None)
    without_import.import_ = None
    return without_import, opts.import_


class IndexFromBackup(pulumi.dynamic.Resource, module="pinecone", name="IndexFromBackup"):
    """A new serverless index restored from a backup. Changing `backup_id` or `name` replaces it;
    `tags` and `deletion_protection` change in place. The resource id is the index name."""

    backup_id: pulumi.Output[str]
    name: pulumi.Output[str]
    tags: pulumi.Output[dict[str, str] | None]
    deletion_protection: pulumi.Output[str]
    wait_for_ready: pulumi.Output[bool]
    ready_timeout: pulumi.Output[float]
    poll_interval: pulumi.Output[float]

    restore_job_id: pulumi.Output[str]
    index_id: pulumi.Output[str]
    host: pulumi.Output[str | None]
    """The index's data-plane host."""
    restore_status: pulumi.Output[str]
    """`Completed` once the index is usable (with wait_for_ready)."""
    percent_complete: pulumi.Output[float | None]
    completed_at: pulumi.Output[str | None]
    dimension: pulumi.Output[int | None]
    metric: pulumi.Output[str | None]

    def __init__(
        self,
        resource_name: str,
        *,
        backup_id: pulumi.Input[str],
        name: pulumi.Input[str],
        tags: pulumi.Input[dict[str, str]] | None = None,
        deletion_protection: pulumi.Input[str] = "disabled",
        wait_for_ready: pulumi.Input[bool] = DEFAULT_WAIT_FOR_READY,
        ready_timeout: pulumi.Input[float] = DEFAULT_READY_TIMEOUT,
        poll_interval: pulumi.Input[float] = DEFAULT_POLL_INTERVAL,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """
        :param resource_name: Pulumi's name for this resource (not the index's name).
        :param backup_id: the backup to restore, typically `backup.backup_id` of a `Backup`.
        :param name: the new index's name.
        :param tags: the new index's tags.
        :param deletion_protection: "enabled" or "disabled" (default).
        :param wait_for_ready: wait until the restore completes and the index is ready.
        :param ready_timeout: seconds to wait; on timeout the index is deleted and `up` fails.
        :param poll_interval: shortest pause between status checks, in seconds.
        """
        props: dict[str, Any] = {
            "backup_id": backup_id,
            "name": name,
            "tags": tags,
            "deletion_protection": deletion_protection,
            "wait_for_ready": wait_for_ready,
            "ready_timeout": ready_timeout,
            "poll_interval": poll_interval,
            **dict.fromkeys((*RESTORE_OUTPUTS, *INDEX_OUTPUTS)),
        }
        super().__init__(IndexFromBackupProvider(), resource_name, props, opts)
