"""The answers' shapes, per API version: IndexModel, BackupModel, RestoreJobModel, backup
schedules and their history (2026-07), pages, errors.

Fields the spec declares without `nullable` are left out when there is no value (2025-04/10:
`tags`, `name`, `description`, the counts, `completed_at`); 2026-07 sends the nullable ones as
null where its spec says so ("`null` in responses when the index has no tags"; `completed_at`
"`null` until the job has completed"; `current_replicas` "`null` for `OnDemand` indexes").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pinecone_backup.emulator.clock import rfc3339
from pinecone_backup.emulator.versions import Dialect

if TYPE_CHECKING:
    from pinecone_backup.emulator.errors import EmulatorError
    from pinecone_backup.emulator.state import BackupRecord, IndexRecord, RestoreJobRecord, ScheduleRecord


def _vector_view(fields: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """How 2025-04/10 describe an index's vectors: `dimension` (dense only), `metric`, `vector_type`.

    From the dense field when there is one; an index without one (sparse, or full-text only) is
    `sparse` with `dotproduct`, the only metric sparse indexes have.
    """
    dense = next((config for config in fields.values() if config["type"] == "dense_vector"), None)
    if dense is None:
        return {"metric": "dotproduct", "vector_type": "sparse"}
    return {"dimension": dense["dimension"], "metric": dense["metric"], "vector_type": "dense"}


def _schema(fields: dict[str, dict[str, Any]], metadata_fields: list[str]) -> dict[str, Any]:
    """IndexSchema: the typed fields, plus legacy metadata fields (`{"filterable": true}`) that a
    2025-10 `spec.serverless.schema` declared."""
    reported = {name: dict(config) for name, config in fields.items()}
    for name in metadata_fields:
        reported.setdefault(name, {"filterable": True})
    return {"fields": reported}


def _metadata_schema(metadata_fields: list[str]) -> dict[str, Any]:
    return {"fields": {name: {"filterable": True} for name in metadata_fields}}


def _tags(tags: dict[str, str], speaking: Dialect) -> dict[str, Any]:
    if tags:
        return {"tags": dict(tags)}
    return {"tags": None} if speaking.typed_schema else {}


def host(record: IndexRecord) -> str:
    return f"{record.name}-{record.id[:7]}.svc.{record.region}-{record.cloud}.pinecone.io"


def index(record: IndexRecord, speaking: Dialect, now: float) -> dict[str, Any]:
    state = record.state(now)
    status = {"ready": state == "Ready", "state": state}
    if speaking.typed_schema:
        body: dict[str, Any] = {
            "name": record.name,
            "host": host(record),
            "status": status,
            "deployment": {"deployment_type": "managed", "cloud": record.cloud, "region": record.region},
            "read_capacity": {
                "mode": "OnDemand",
                "status": {"state": "Ready", "current_replicas": None, "current_shards": None},
            },
            "schema": _schema(record.fields, record.metadata_fields),
            "deletion_protection": record.deletion_protection,
            **_tags(record.tags, speaking),
        }
        if record.source_backup_id is not None:
            body["source_backup_id"] = record.source_backup_id
        return body
    serverless: dict[str, Any] = {"cloud": record.cloud, "region": record.region}
    if speaking.version != "2025-04":  # 2025-04's ServerlessSpec has no read_capacity or schema
        serverless["read_capacity"] = {"mode": "OnDemand", "status": {"state": "Ready"}}
        if record.metadata_fields:
            serverless["schema"] = _metadata_schema(record.metadata_fields)
    return {
        "name": record.name,
        **_vector_view(record.fields),
        "host": host(record),
        "deletion_protection": record.deletion_protection,
        **_tags(record.tags, speaking),
        "spec": {"serverless": serverless},
        "status": status,
    }


def backup(record: BackupRecord, speaking: Dialect, now: float) -> dict[str, Any]:
    status = record.status(now)
    body: dict[str, Any] = {
        "backup_id": record.backup_id,
        "source_index_name": record.index.name,
        "source_index_id": record.index.id,
        "status": speaking.backup_failed_status if status == "Failed" else status,
        "cloud": record.cloud,
        "region": record.region,
    }
    if record.name is not None:
        body["name"] = record.name
    if record.description is not None:
        body["description"] = record.description
    if speaking.typed_schema:
        if record.index.deleted_at is not None:
            body["source_index_deleted_at"] = record.index.deleted_at
        body["schema"] = _schema(record.fields, record.metadata_fields)
    else:
        view = _vector_view(record.fields)
        body.update({key: view[key] for key in ("dimension", "metric") if key in view})
        if record.metadata_fields and speaking.version != "2025-04":
            body["schema"] = _metadata_schema(record.metadata_fields)
    if status == "Ready":  # the live service reports counts once the backup is complete
        body.update(
            record_count=record.record_count, namespace_count=record.namespace_count, size_bytes=record.size_bytes
        )
    body.update(_tags(record.tags, speaking))
    body["created_at"] = record.created_at
    return body


def backup_schedule(record: ScheduleRecord) -> dict[str, Any]:
    """BackupScheduleResponse: all ten fields required; `next_scheduled_run` null while disabled
    (the spec's own PATCH example leaves it out, but its schema requires it: "Always present")."""
    return {
        "schedule_id": record.schedule_id,
        "name": record.name,
        "index_id": record.index.id,
        "project_id": record.project_id,
        "schedule_type": "time-based",
        "frequency": record.frequency,
        "retention_expire_after_days": record.retention_days,
        "enabled": record.enabled,
        "next_scheduled_run": None if record.next_run is None else rfc3339(record.next_run),
        "created_at": record.created_at,
    }


# BackupScheduleHistoryItem: a BackupModel's fields, the counts null until the backup is Ready.
# It declares no field for why a run failed: a failed run's row says so by its status alone.
HISTORY_FIELDS = ("backup_id", "source_index_id", "source_index_name", "name", "status", "cloud", "region")
HISTORY_NULLABLE = ("tags", "description", "schema", "record_count", "namespace_count", "size_bytes")


def schedule_history(
    schedule: ScheduleRecord, runs: list[BackupRecord], speaking: Dialect, now: float
) -> list[dict[str, Any]]:
    """The rows of `/history`, newest first: the planned run (while enabled), then the runs (the
    backups they made, and the runs that failed before making one)."""
    rows = [_scheduled_row(schedule)] if schedule.next_run is not None else []
    for record in runs:
        model = backup(record, speaking, now)
        rows.append(
            {
                **{key: model[key] for key in HISTORY_FIELDS},
                **{key: model.get(key) for key in HISTORY_NULLABLE},
                "created_at": model["created_at"],
            }
        )
    return rows


def _scheduled_row(schedule: ScheduleRecord) -> dict[str, Any]:
    """The planned run, as the spec's `scheduled-row` example shows it: the backup-to-be's id and
    name, its index's place and schema, created when it was planned, no counts."""
    assert schedule.next_run is not None
    index = schedule.index
    return {
        "backup_id": schedule.next_backup_id,
        "source_index_id": index.id,
        "source_index_name": index.name,
        "name": schedule.backup_name(schedule.next_run),
        "status": "Scheduled",
        "cloud": index.cloud,
        "region": index.region,
        "schema": _schema(index.fields, index.metadata_fields),
        "created_at": rfc3339(schedule.planned_at),
        "scheduled_execution_at": rfc3339(schedule.next_run),
    }


def restore_job(record: RestoreJobRecord, speaking: Dialect, now: float) -> dict[str, Any]:
    phase = record.phase(now)
    body: dict[str, Any] = {
        "restore_job_id": record.restore_job_id,
        "backup_id": record.backup_id,
        "target_index_name": record.target_index_name,
        "target_index_id": record.target_index_id,
        "created_at": record.created_at,
    }
    completed_at = record.completed_at(now)
    if speaking.restore_progress:
        body["status"] = phase
        if completed_at is not None:
            body["completed_at"] = completed_at
        body["percent_complete"] = record.progress(now)
        return body
    # 2026-07: Pending until it ends; `percent_complete` "`100` once the job is `Completed`,
    # absent while it is pending or after it has failed".
    body["status"] = "Pending" if phase == "Running" else phase
    body["completed_at"] = completed_at
    if phase == "Completed":
        body["percent_complete"] = 100
    return body


def restore_started(record: RestoreJobRecord) -> dict[str, Any]:
    return {"restore_job_id": record.restore_job_id, "index_id": record.target_index_id}


def error(failure: EmulatorError, speaking: Dialect | None) -> dict[str, Any]:
    """ErrorResponse. The 503 code follows the version (2026-07 renamed it SERVICE_UNAVAILABLE)."""
    code = failure.code
    if code in ("UNAVAILABLE", "SERVICE_UNAVAILABLE") and speaking is not None:
        code = speaking.unavailable_code
    return {"error": {"code": code, "message": failure.message}, "status": failure.status}
