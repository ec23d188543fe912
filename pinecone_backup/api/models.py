"""Pydantic models of the control-plane objects this package reads, in the 2026-07 API's shapes.

They tolerate unknown fields (the service adds some) and nulls (counts are absent or null while
a backup initialises), and they still read the 2025-era shapes: a field 2026-07 dropped
(`dimension`, `metric` and `vector_type` of indexes and backups, an index's `spec`) is kept as an
extra field when a server sends it, and the properties of the same name fall back to it.

`Backup.dimension` and `Backup.metric` stay, derived from the backup's `schema` (its dense vector
field), so the `Backup` resource's outputs keep their meaning and their values: a backup of an
index made with `dimension=1536, metric="cosine"` reports a `_values` dense field of that
dimension and metric in 2026-07.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from pinecone_backup.statuses import BackupStatus, RestoreJobStatus

_TIMESTAMP = TypeAdapter(datetime)
DENSE_VECTOR = "dense_vector"
SPARSE_VECTOR = "sparse_vector"
SPARSE_METRIC = "dotproduct"  # the only metric a sparse index has


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    def _extra(self, name: str) -> Any:
        return (self.model_extra or {}).get(name)


def _timestamp(value: str | None) -> datetime | None:
    """RFC 3339 with `Z`, which `datetime.fromisoformat` rejects before 3.11."""
    return _TIMESTAMP.validate_python(value) if value else None


class SchemaField(_Model):
    """One field of an `IndexSchema`: typed (`dense_vector`, `sparse_vector`, `semantic_text`,
    `string`, ...) or a legacy metadata field that carries only `filterable`."""

    type: str | None = None
    dimension: int | None = None
    metric: str | None = None
    description: str | None = None
    filterable: bool | None = None


class IndexSchema(_Model):
    """The typed fields of an index, or of the index a backup was taken from."""

    fields: dict[str, SchemaField] = Field(default_factory=dict)

    @property
    def dense_field(self) -> SchemaField | None:
        """The one field with vectors of a fixed dimension (a dense vector, or semantic text with one)."""
        dense = [field for field in self.fields.values() if field.type == DENSE_VECTOR]
        dense = dense or [field for field in self.fields.values() if field.dimension is not None]
        return dense[0] if len(dense) == 1 else None

    @property
    def dimension(self) -> int | None:
        dense = self.dense_field
        return dense.dimension if dense else None

    @property
    def metric(self) -> str | None:
        """The dense field's metric; `dotproduct` for an index whose only vectors are sparse."""
        dense = self.dense_field
        if dense is not None:
            return dense.metric
        if any(field.type == SPARSE_VECTOR for field in self.fields.values()):
            return SPARSE_METRIC
        return None


class _WithSchema(_Model):
    """An object with a typed `schema` (2026-07): a backup, an index."""

    index_schema: IndexSchema | None = Field(default=None, alias="schema")

    @property
    def dimension(self) -> int | None:
        """The dimension of the dense vectors, from the `schema` (a 2025 server: its `dimension`)."""
        if self.index_schema is not None and self.index_schema.dimension is not None:
            return self.index_schema.dimension
        extra = self._extra("dimension")
        return extra if isinstance(extra, int) else None

    @property
    def metric(self) -> str | None:
        """The similarity metric, from the `schema` (a 2025 server: its `metric`)."""
        if self.index_schema is not None and self.index_schema.metric is not None:
            return self.index_schema.metric
        extra = self._extra("metric")
        return extra if isinstance(extra, str) else None


class Backup(_WithSchema):
    backup_id: str
    status: str
    source_index_name: str | None = None
    source_index_id: str | None = None
    source_index_deleted_at: str | None = None
    name: str | None = None
    description: str | None = None
    cloud: str | None = None
    region: str | None = None
    record_count: int | None = None
    namespace_count: int | None = None
    size_bytes: int | None = None
    tags: dict[str, str] | None = None
    created_at: str | None = None

    @property
    def created_time(self) -> datetime | None:
        return _timestamp(self.created_at)

    @property
    def is_ready(self) -> bool:
        return self.status == BackupStatus.READY

    @property
    def is_failed(self) -> bool:
        """`InitializationFailed` (2026-07) or `Failed` (2025)."""
        return self.status in BackupStatus.FAILED_ANY


class Pagination(_Model):
    next: str | None = None


class _Page(_Model):
    pagination: Pagination | None = None

    @property
    def next_token(self) -> str | None:
        return self.pagination.next if self.pagination else None


class BackupList(_Page):
    data: list[Backup] = Field(default_factory=list)


class RestoreJob(_Model):
    restore_job_id: str
    backup_id: str
    target_index_name: str
    target_index_id: str
    status: str
    created_at: str | None = None
    completed_at: str | None = None
    # 2026-07: 100 once Completed, absent otherwise; 2025: a number 0-100.
    percent_complete: float | None = None

    @property
    def created_time(self) -> datetime | None:
        return _timestamp(self.created_at)

    @property
    def is_completed(self) -> bool:
        return self.status == RestoreJobStatus.COMPLETED

    @property
    def is_failed(self) -> bool:
        """Ended without an index to use: `Failed`, or `Cancelled` (2026-07)."""
        return self.status in RestoreJobStatus.FAILED_ANY


class RestoreJobList(_Page):
    data: list[RestoreJob] = Field(default_factory=list)


class BackupSchedule(_Model):
    """A backup schedule (2026-07): a time-based backup of one index, daily, weekly or monthly,
    whose backups Pinecone deletes `retention_expire_after_days` days after each is made."""

    schedule_id: str
    name: str
    index_id: str
    project_id: str | None = None
    schedule_type: str | None = None
    frequency: str
    retention_expire_after_days: int
    enabled: bool
    next_scheduled_run: str | None = None  # null while disabled
    created_at: str | None = None


class BackupScheduleList(_Page):
    data: list[BackupSchedule] = Field(default_factory=list)


class ScheduledRun(Backup):
    """A row of a schedule's history: a backup it made, or (status `Scheduled`) the next one it
    will make, at `scheduled_execution_at`. Named `{schedule name}-{YYYYMMDDTHHMMSSZ}`."""

    scheduled_execution_at: str | None = None


class BackupScheduleHistory(_Page):
    data: list[ScheduledRun] = Field(default_factory=list)


class IndexFromBackupStarted(_Model):
    """The answer to "create an index from a backup": the job to watch and the new index."""

    restore_job_id: str
    index_id: str


class IndexStatus(_Model):
    ready: bool = False
    state: str = "Unknown"


class IndexDeployment(_Model):
    """Where an index runs: `deployment_type` `managed` (serverless), `pod` or `byoc`."""

    deployment_type: str | None = None
    cloud: str | None = None
    region: str | None = None
    environment: str | None = None


class Index(_WithSchema):
    name: str
    host: str | None = None
    deletion_protection: str | None = None
    tags: dict[str, str] | None = None
    status: IndexStatus = Field(default_factory=IndexStatus)
    deployment: IndexDeployment | None = None
    source_backup_id: str | None = None

    @property
    def spec(self) -> dict[str, Any]:
        """The 2025-era `spec`, when a server sends it."""
        extra = self._extra("spec")
        return extra if isinstance(extra, dict) else {}

    @property
    def is_serverless(self) -> bool:
        if self.deployment is not None and self.deployment.deployment_type is not None:
            return self.deployment.deployment_type == "managed"
        return "serverless" in self.spec
