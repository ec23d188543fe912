"""`Backup`, the dynamic face: the resource class Python programs declare, and its provider."""

from __future__ import annotations

from typing import Any

import pulumi

from pinecone_backup._dynamic import DynamicProvider, WaitingResource
from pinecone_backup._program import owner, take_import
from pinecone_backup.core import credentials as _credentials
from pinecone_backup.core.backup import BACKUP_OUTPUTS, BackupLifecycle
from pinecone_backup.core.fields import docstring
from pinecone_backup.core.lifecycle import DEFAULT_POLL_INTERVAL, DEFAULT_READY_TIMEOUT, DEFAULT_WAIT_FOR_READY


class BackupProvider(DynamicProvider):
    """Backups' lifecycle (`core.backup`), as a dynamic provider. State holds it pickled by this
    name: it stays here, and carries nothing."""

    lifecycle = BackupLifecycle()


class Backup(WaitingResource, module="pinecone", name="Backup"):
    __doc__ = docstring(BackupProvider.lifecycle)

    index_name: pulumi.Output[str]
    name: pulumi.Output[str | None]
    description: pulumi.Output[str | None]
    triggers: pulumi.Output[Any]

    backup_id: pulumi.Output[str]
    status: pulumi.Output[str]
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
        triggers: pulumi.Input[Any] | None = None,
        wait_for_ready: pulumi.Input[bool] = DEFAULT_WAIT_FOR_READY,
        ready_timeout: pulumi.Input[float] = DEFAULT_READY_TIMEOUT,
        poll_interval: pulumi.Input[float] = DEFAULT_POLL_INTERVAL,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """`resource_name` is Pulumi's name for the resource, not the backup's; the class doc lists the rest."""
        _credentials.warn_if_plaintext_key()
        opts, import_id = take_import(opts)
        props: dict[str, Any] = {
            "index_name": index_name,
            "name": name,
            "description": description,
            "triggers": triggers,
            "wait_for_ready": wait_for_ready,
            "ready_timeout": ready_timeout,
            "poll_interval": poll_interval,
            "import_id": import_id,
            **owner(resource_name),
            **dict.fromkeys(output.name for output in BACKUP_OUTPUTS),
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
