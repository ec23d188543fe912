"""Pydantic models of the control-plane objects this package reads.

They tolerate unknown fields (the service adds some) and nulls (counts are null while a
backup initialises).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from pinecone_backup.statuses import BackupStatus, RestoreJobStatus

_TIMESTAMP = TypeAdapter(datetime)


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class Backup(_Model):
    backup_id: str
    status: str
    source_index_name: str | None = None
    source_index_id: str | None = None
    name: str | None = None
    description: str | None = None
    cloud: str | None = None
    region: str | None = None
    dimension: int | None = None
    metric: str | None = None
    record_count: int | None = None
    namespace_count: int | None = None
    size_bytes: int | None = None
    tags: dict[str, str] | None = None
    created_at: str | None = None
    metadata_schema: dict[str, Any] | None = Field(default=None, alias="schema")

    @property
    def created_time(self) -> datetime | None:
        """`created_at` parsed (RFC 3339 with `Z`, which `datetime.fromisoformat` rejects before 3.11)."""
        return _TIMESTAMP.validate_python(self.created_at) if self.created_at else None

    @property
    def is_ready(self) -> bool:
        return self.status == BackupStatus.READY

    @property
    def is_failed(self) -> bool:
        return self.status == BackupStatus.FAILED


class Pagination(_Model):
    next: str | None = None


class BackupList(_Model):
    data: list[Backup] = Field(default_factory=list)
    pagination: Pagination | None = None

    @property
    def next_token(self) -> str | None:
        return self.pagination.next if self.pagination else None


class RestoreJob(_Model):
    restore_job_id: str
    backup_id: str
    target_index_name: str
    target_index_id: str
    status: str
    created_at: str | None = None
    completed_at: str | None = None
    percent_complete: float | None = None

    @property
    def is_completed(self) -> bool:
        return self.status == RestoreJobStatus.COMPLETED

    @property
    def is_failed(self) -> bool:
        return self.status == RestoreJobStatus.FAILED


class IndexFromBackupStarted(_Model):
    """The answer to "create an index from a backup": the job to watch and the new index."""

    restore_job_id: str
    index_id: str


class IndexStatus(_Model):
    ready: bool = False
    state: str = "Unknown"


class Index(_Model):
    name: str
    metric: str | None = None
    dimension: int | None = None
    host: str | None = None
    vector_type: str | None = None
    deletion_protection: str | None = None
    tags: dict[str, str] | None = None
    spec: dict[str, Any] = Field(default_factory=dict)
    status: IndexStatus = Field(default_factory=IndexStatus)

    @property
    def is_serverless(self) -> bool:
        return "serverless" in self.spec
