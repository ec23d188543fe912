"""`BackupSchedule`, the dynamic face: the resource class Python programs declare, and its provider."""

from __future__ import annotations

from typing import Any

import pulumi

from pinecone_backup._dynamic import DynamicProvider, TypedResource
from pinecone_backup._program import owner, take_import
from pinecone_backup.core import credentials as _credentials
from pinecone_backup.core.fields import docstring
from pinecone_backup.core.schedule import (
    DEFAULT_FREQUENCY,
    SCHEDULE_OUTPUTS,
    BackupScheduleLifecycle,
)


class BackupScheduleProvider(DynamicProvider):
    """Schedules' lifecycle (`core.schedule`), as a dynamic provider. State holds it pickled by
    this name: it stays here, and carries nothing."""

    lifecycle = BackupScheduleLifecycle()


class BackupSchedule(TypedResource, module="pinecone", name="BackupSchedule"):
    __doc__ = docstring(BackupScheduleProvider.lifecycle)

    index_name: pulumi.Output[str]
    name: pulumi.Output[str]
    frequency: pulumi.Output[str]
    retention_days: pulumi.Output[int]
    enabled: pulumi.Output[bool]

    schedule_id: pulumi.Output[str]
    next_scheduled_run: pulumi.Output[str | None]
    created_at: pulumi.Output[str | None]
    index_id: pulumi.Output[str]
    project_id: pulumi.Output[str | None]
    schedule_type: pulumi.Output[str | None]

    def __init__(
        self,
        resource_name: str,
        *,
        index_name: pulumi.Input[str],
        name: pulumi.Input[str] | None = None,
        frequency: pulumi.Input[str] = DEFAULT_FREQUENCY,
        retention_days: pulumi.Input[int],
        enabled: pulumi.Input[bool] = True,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """`resource_name` is Pulumi's name for the resource, not the schedule's; the class doc lists the rest."""
        _credentials.warn_if_plaintext_key()
        opts, import_id = take_import(opts)
        props: dict[str, Any] = {
            "index_name": index_name,
            "name": name,
            "frequency": frequency,
            "retention_days": retention_days,
            "enabled": enabled,
            "import_id": import_id,
            **owner(resource_name),
            **dict.fromkeys(output.name for output in SCHEDULE_OUTPUTS),
        }
        super().__init__(BackupScheduleProvider(), resource_name, props, opts)
