"""`IndexFromBackup`, the dynamic face: the resource class Python programs declare, and its provider."""

from __future__ import annotations

from typing import Any

import pulumi

from pinecone_backup._dynamic import DynamicProvider, WaitingResource
from pinecone_backup._program import owner
from pinecone_backup.core import credentials as _credentials
from pinecone_backup.core.fields import docstring
from pinecone_backup.core.lifecycle import DEFAULT_POLL_INTERVAL, DEFAULT_READY_TIMEOUT, DEFAULT_WAIT_FOR_READY
from pinecone_backup.core.restore import INDEX_OUTPUTS, RESTORE_OUTPUTS, IndexFromBackupLifecycle


class IndexFromBackupProvider(DynamicProvider):
    """Restores' lifecycle (`core.restore`), as a dynamic provider. State holds it pickled by this
    name: it stays here, and carries nothing."""

    lifecycle = IndexFromBackupLifecycle()


class IndexFromBackup(WaitingResource, module="pinecone", name="IndexFromBackup"):
    __doc__ = docstring(IndexFromBackupProvider.lifecycle)

    backup_id: pulumi.Output[str]
    name: pulumi.Output[str]
    tags: pulumi.Output[dict[str, str] | None]
    deletion_protection: pulumi.Output[str]

    restore_job_id: pulumi.Output[str]
    index_id: pulumi.Output[str]
    restore_status: pulumi.Output[str]
    percent_complete: pulumi.Output[float | None]
    completed_at: pulumi.Output[str | None]
    host: pulumi.Output[str | None]
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
        """`resource_name` is Pulumi's name for the resource, not the index's; the class doc lists the rest."""
        _credentials.warn_if_plaintext_key()
        props: dict[str, Any] = {
            "backup_id": backup_id,
            "name": name,
            "tags": tags,
            "deletion_protection": deletion_protection,
            "wait_for_ready": wait_for_ready,
            "ready_timeout": ready_timeout,
            "poll_interval": poll_interval,
            **owner(resource_name),
            **dict.fromkeys(output.name for output in (*RESTORE_OUTPUTS, *INDEX_OUTPUTS)),
        }
        super().__init__(IndexFromBackupProvider(), resource_name, props, opts)
