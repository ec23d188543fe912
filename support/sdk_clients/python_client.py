"""Drive Pinecone's official Python SDK (8.x or 10.x) through every index, backup and restore call,
or (10.x, `"scenario": "schedules"`) through every backup-schedule call.

Run by tests/test_official_sdks.py with the interpreter of a venv holding one SDK (support/sdks.py
installs them). It reads its settings as JSON on stdin: {"host", "api_key", "source_index",
"dimension", "scenario"?}, the source index existing and holding records. It points the SDK at `host` through
its documented constructor argument, `Pinecone(api_key=..., host=...)`, and prints one JSON object
on stdout: {"sdk": ..., "steps": {step: result}, "error": null}. A call that raises stops the run:
"error" then names the step and the exception, and the exit status is 1. The scenario and the
result shapes are the same in every client of this directory (python, typescript, go), so the
test asserts them alike.

This file runs outside the repo's venv, under the SDK's venv: standard library and the SDK only.
"""

from __future__ import annotations

import json
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

import pinecone
from pinecone import Pinecone

NEW_INDEX = "sdk-new"
LEGACY_INDEX = "sdk-legacy"
RESTORED_INDEX = "sdk-restored"
SCHEDULE = "sdk-nightly"
OTHER_SCHEDULE = "sdk-monthly"
WAIT_SECONDS = 30.0
POLL_SECONDS = 0.05


def error_info(exc: BaseException) -> dict[str, Any]:
    status = getattr(exc, "status_code", None) or getattr(exc, "status", None)
    return {"status": status if isinstance(status, int) else None, "type": type(exc).__name__, "message": str(exc)}


def plain_tags(tags: Any) -> dict[str, str]:
    if not tags:
        return {}
    return dict(tags.to_dict() if hasattr(tags, "to_dict") else tags)  # 8.x wraps them in a model


def index_info(index: Any) -> dict[str, Any]:
    return {
        "name": index.name,
        "dimension": index.dimension,
        "metric": str(index.metric),
        "deletion_protection": str(index.deletion_protection),
        "tags": plain_tags(index.tags),
        "ready": bool(index.status.ready),
        "state": str(index.status.state),
        "host": index.host,
    }


def backup_info(backup: Any) -> dict[str, Any]:
    return {
        "backup_id": backup.backup_id,
        "name": backup.name,
        "description": backup.description,
        "status": backup.status,
        "source_index_name": backup.source_index_name,
        "record_count": backup.record_count,
        "namespace_count": backup.namespace_count,
        "size_bytes": backup.size_bytes,
    }


def job_info(job: Any) -> dict[str, Any]:
    return {
        "restore_job_id": job.restore_job_id,
        "backup_id": job.backup_id,
        "target_index_name": job.target_index_name,
        "status": job.status,
        "percent_complete": job.percent_complete,
    }


def moment(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def schedule_info(schedule: Any) -> dict[str, Any]:
    return {
        "schedule_id": schedule.schedule_id,
        "name": schedule.name,
        "index_id": schedule.index_id,
        "project_id": schedule.project_id,
        "schedule_type": schedule.schedule_type,
        "frequency": schedule.frequency,
        "retention_expire_after_days": schedule.retention_expire_after_days,
        "enabled": schedule.enabled,
        "next_scheduled_run": moment(schedule.next_scheduled_run),
        "created_at": moment(schedule.created_at),
    }


def history_info(row: Any) -> dict[str, Any]:
    return {
        "backup_id": row.backup_id,
        "name": row.name,
        "status": row.status,
        "source_index_name": row.source_index_name,
        "record_count": row.record_count,
        "created_at": moment(row.created_at),
        "scheduled_execution_at": moment(row.scheduled_execution_at),
    }


def next_token(page: Any) -> str | None:
    try:
        pagination = page.pagination
    except AttributeError:  # 8.x models raise for a field the answer left out
        return None
    return getattr(pagination, "next", None) if pagination else None


def walk(list_page: Callable[[str | None], Any], info: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    """Follow `pagination.next` through every page: page sizes and the items, in order."""
    pages: list[int] = []
    items: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        page = list_page(token)
        batch = [info(item) for item in page]
        pages.append(len(batch))
        items += batch
        token = next_token(page)
        if not token or len(pages) > 50:
            return {"pages": pages, "items": items}


def wait_for(describe: Callable[[], Any], done: Callable[[Any], bool]) -> Any:
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        found = describe()
        if done(found) or time.monotonic() > deadline:
            return found
        time.sleep(POLL_SECONDS)


class Sdk8:
    """8.x: flat methods on `Pinecone`, 2025-10 shapes (spec + dimension)."""

    def __init__(self, pc: Pinecone) -> None:
        self.pc = pc

    def create_index(self, name: str, dimension: int) -> Any:
        from pinecone import ServerlessSpec

        return self.pc.create_index(
            name=name,
            dimension=dimension,
            metric="cosine",
            spec=ServerlessSpec(cloud="aws", region="us-east-1"),
            deletion_protection="enabled",
            tags={"team": "search"},
        )

    create_index_legacy = None  # 8.x has one form

    def describe_index(self, name: str) -> Any:
        return self.pc.describe_index(name)

    def list_index_names(self) -> list[str]:
        return [index.name for index in self.pc.list_indexes()]

    def configure_index(self, name: str, **changes: Any) -> Any:
        self.pc.configure_index(name, **changes)  # returns None in 8.x
        return self.pc.describe_index(name)

    def delete_index(self, name: str) -> None:
        self.pc.delete_index(name)

    def create_backup(self, index_name: str, name: str, description: str) -> Any:
        return self.pc.create_backup(index_name=index_name, backup_name=name, description=description)

    def describe_backup(self, backup_id: str) -> Any:
        return self.pc.describe_backup(backup_id=backup_id)

    def list_backups(self, index_name: str | None, limit: int, token: str | None) -> Any:
        return self.pc.list_backups(index_name=index_name, limit=limit, pagination_token=token)

    has_backup_paginator = False  # 8.x lists one page per call
    flat_methods = None  # its methods are all flat
    include_deleted = False  # 2026-07 only

    def delete_backup(self, backup_id: str) -> None:
        self.pc.delete_backup(backup_id=backup_id)

    def restore(self, backup_id: str, name: str) -> dict[str, Any]:
        # 8.x answers with the new index, not the job: the job is found by the index's name.
        self.pc.create_index_from_backup(
            name=name, backup_id=backup_id, deletion_protection="disabled", tags={"restored": "yes"}, timeout=-1
        )
        jobs = [job for job in self.pc.list_restore_jobs(limit=100) if job.target_index_name == name]
        return {"restore_job_id": jobs[0].restore_job_id if jobs else None, "index_id": None}

    def describe_restore_job(self, job_id: str) -> Any:
        return self.pc.describe_restore_job(job_id=job_id)

    def list_restore_jobs(self, limit: int, token: str | None) -> Any:
        return self.pc.list_restore_jobs(limit=limit, pagination_token=token)


class Sdk10:
    """10.x: the `indexes`/`backups`/`restore_jobs` namespaces, 2026-07 shapes (schema + deployment)."""

    def __init__(self, pc: Pinecone) -> None:
        self.pc = pc

    def create_index(self, name: str, dimension: int) -> Any:
        return self.pc.indexes.create(
            name=name,
            schema={"fields": {"embedding": {"type": "dense_vector", "dimension": dimension, "metric": "cosine"}}},
            deployment={"deployment_type": "managed", "cloud": "aws", "region": "us-east-1"},
            deletion_protection="enabled",
            tags={"team": "search"},
        )

    def create_index_legacy(self, name: str, dimension: int) -> Any:
        """The 9.x call, still accepted by 10.x (deprecated sugar translated to schema + deployment)."""
        from pinecone import ServerlessSpec

        return self.pc.create_index(
            name=name, dimension=dimension, metric="cosine", spec=ServerlessSpec(cloud="aws", region="us-east-1")
        )

    def describe_index(self, name: str) -> Any:
        return self.pc.indexes.describe(name)

    def list_index_names(self) -> list[str]:
        return [index.name for index in self.pc.indexes.list()]

    def configure_index(self, name: str, **changes: Any) -> Any:
        return self.pc.indexes.configure(name, **changes)

    def delete_index(self, name: str) -> None:
        self.pc.indexes.delete(name)

    def create_backup(self, index_name: str, name: str, description: str) -> Any:
        return self.pc.backups.create(index_name=index_name, name=name, description=description)

    def describe_backup(self, backup_id: str) -> Any:
        return self.pc.backups.describe(backup_id=backup_id)

    def list_backups(self, index_name: str | None, limit: int, token: str | None) -> Any:
        return self.pc.backups.list(index_name=index_name, limit=limit, pagination_token=token)

    has_backup_paginator = True
    include_deleted = True

    def flat_methods(self, backup_id: str, job_id: str) -> dict[str, Any]:
        """The 9.x-style methods 10.x keeps on `Pinecone` (read-only ones), next to the namespaces."""
        pc = self.pc
        return {
            "describe_index": pc.describe_index(NEW_INDEX).name,
            "has_index": [pc.has_index(NEW_INDEX), pc.has_index("no-such-index")],
            "list_indexes": sorted(index.name for index in pc.list_indexes()),
            "describe_backup": pc.describe_backup(backup_id=backup_id).status,
            "list_backups": sorted(b.backup_id for b in pc.list_backups(index_name=NEW_INDEX)),
            "describe_restore_job": pc.describe_restore_job(job_id=job_id).status,
            "list_restore_jobs": [job.restore_job_id for job in pc.list_restore_jobs()],
        }

    def list_all_index_backups(self, index_name: str) -> list[Any]:
        """The paginator, which follows the pages itself."""
        return list(self.pc.indexes.list_backups(index_name).to_list())

    def delete_backup(self, backup_id: str) -> None:
        self.pc.backups.delete(backup_id=backup_id)

    def restore(self, backup_id: str, name: str) -> dict[str, Any]:
        response = self.pc.create_index_from_backup(
            name=name, backup_id=backup_id, deletion_protection="disabled", tags={"restored": "yes"}, timeout=-1
        )
        return {"restore_job_id": response.restore_job_id, "index_id": response.index_id}

    def describe_restore_job(self, job_id: str) -> Any:
        return self.pc.restore_jobs.describe(job_id=job_id)

    def list_restore_jobs(self, limit: int, token: str | None) -> Any:
        return self.pc.restore_jobs.list(limit=limit, pagination_token=token)


class Steps:
    """Each step's result, in order, and the step running now (to name the one an exception stops)."""

    def __init__(self) -> None:
        self.results: dict[str, Any] = {}
        self.current: str | None = None

    def __call__(self, name: str, call: Callable[[], Any]) -> Any:
        self.current = name
        self.results[name] = call()
        return self.results[name]

    def expect_error(self, name: str, call: Callable[[], Any]) -> None:
        """A call the emulator must refuse: the SDK's error (status, type, message), or null."""
        self.current = name
        try:
            call()
            self.results[name] = {"error": None}
        except Exception as exc:
            self.results[name] = {"error": error_info(exc)}


def scenario(sdk: Any, settings: dict[str, Any], step: Steps) -> None:
    source, dimension = settings["source_index"], settings["dimension"]
    legacy = sdk.create_index_legacy is not None

    step("create_index", lambda: index_info(sdk.create_index(NEW_INDEX, dimension)))
    if legacy:
        step("create_index_legacy", lambda: index_info(sdk.create_index_legacy(LEGACY_INDEX, dimension)))
    step("describe_index", lambda: index_info(sdk.describe_index(NEW_INDEX)))
    step("list_indexes", lambda: sorted(sdk.list_index_names()))
    step.expect_error("delete_protected_index", lambda: sdk.delete_index(NEW_INDEX))
    step(
        "configure_index",
        lambda: index_info(
            sdk.configure_index(NEW_INDEX, deletion_protection="disabled", tags={"env": "test", "team": ""})
        ),
    )

    created = step(
        "create_backups",
        lambda: [
            backup_info(sdk.create_backup(source, "nightly-1", "first")),
            backup_info(sdk.create_backup(source, "nightly-2", "second")),
            backup_info(sdk.create_backup(NEW_INDEX, "new-1", "of the new index")),
        ],
    )
    ids = [backup["backup_id"] for backup in created]

    def ready(backup_id: str) -> dict[str, Any]:
        return backup_info(wait_for(lambda: sdk.describe_backup(backup_id), lambda b: b.status != "Initializing"))

    step("describe_backup", lambda: ready(ids[0]))
    step("ready_backups", lambda: [ready(backup_id) for backup_id in ids[1:]])
    step("list_index_backups", lambda: walk(lambda token: sdk.list_backups(source, 1, token), backup_info))
    step("list_new_index_backups", lambda: walk(lambda token: sdk.list_backups(NEW_INDEX, 10, token), backup_info))
    step("list_project_backups", lambda: walk(lambda token: sdk.list_backups(None, 2, token), backup_info))
    if sdk.has_backup_paginator:
        step("list_all_index_backups", lambda: [backup_info(b) for b in sdk.list_all_index_backups(source)])

    restore = step("create_index_from_backup", lambda: sdk.restore(ids[0], RESTORED_INDEX))
    job_id = restore["restore_job_id"]
    step(
        "describe_restore_job",
        lambda: job_info(
            wait_for(lambda: sdk.describe_restore_job(job_id), lambda j: j.status not in ("Pending", "Running"))
        ),
    )
    step("list_restore_jobs", lambda: walk(lambda token: sdk.list_restore_jobs(1, token), job_info))
    step(
        "describe_restored_index",
        lambda: index_info(wait_for(lambda: sdk.describe_index(RESTORED_INDEX), lambda i: bool(i.status.ready))),
    )

    if sdk.flat_methods is not None:
        step("flat_methods", lambda: sdk.flat_methods(ids[0], job_id))

    step("delete_backup", lambda: sdk.delete_backup(ids[1]))
    step.expect_error("describe_deleted_backup", lambda: sdk.describe_backup(ids[1]))

    def delete_indexes() -> list[str]:
        names = [NEW_INDEX, RESTORED_INDEX] + ([LEGACY_INDEX] if legacy else [])
        for name in names:
            sdk.delete_index(name)
        return names

    step("delete_indexes", delete_indexes)
    step("list_indexes_after", lambda: sorted(sdk.list_index_names()))
    if sdk.include_deleted:  # 2026-07: the backups of a deleted index are listed on request only
        step.expect_error("list_backups_of_deleted_index", lambda: sdk.list_backups(NEW_INDEX, 10, None))
        step(
            "list_backups_of_deleted_index_included",
            lambda: [
                {"backup_id": b.backup_id, "source_index_deleted_at": b.source_index_deleted_at}
                for b in sdk.pc.backups.list(index_name=NEW_INDEX, include_deleted=True)
            ],
        )


def schedule_scenario(sdk: Any, settings: dict[str, Any], step: Steps) -> None:
    """10.x's `pc.backup_schedules`: create, describe, list, the one-enabled rule, update, pause,
    re-enable (which backs up at once), history page by page, delete."""
    schedules, source = sdk.pc.backup_schedules, settings["source_index"]

    created = step(
        "create_schedule",
        lambda: schedule_info(schedules.create(index_name=source, name=SCHEDULE, frequency="daily", retention_days=7)),
    )
    schedule_id = created["schedule_id"]
    step("describe_schedule", lambda: schedule_info(schedules.describe(schedule_id=schedule_id)))
    step("list_schedules", lambda: [schedule_info(s) for s in schedules.list(index_name=source)])
    step.expect_error(
        "create_second_enabled_schedule",
        lambda: schedules.create(index_name=source, name=OTHER_SCHEDULE, frequency="monthly", retention_days=30),
    )
    step(
        "update_schedule",
        lambda: schedule_info(schedules.update(schedule_id=schedule_id, frequency="weekly", retention_days=3650)),
    )
    step("pause_schedule", lambda: schedule_info(schedules.update(schedule_id=schedule_id, enabled=False)))
    other = step(
        "create_other_schedule",
        lambda: schedule_info(
            schedules.create(index_name=source, name=OTHER_SCHEDULE, frequency="monthly", retention_days=30)
        ),
    )
    step.expect_error("re_enable_beside_another", lambda: schedules.update(schedule_id=schedule_id, enabled=True))
    step("delete_other_schedule", lambda: schedules.delete(schedule_id=other["schedule_id"]))
    step("re_enable_schedule", lambda: schedule_info(schedules.update(schedule_id=schedule_id, enabled=True)))
    step(
        "history",
        lambda: [
            history_info(row)
            for row in wait_for(
                lambda: schedules.history(schedule_id=schedule_id),
                lambda page: any(row.status == "Ready" for row in page),
            )
        ],
    )
    step(
        "history_pages",
        lambda: walk(
            lambda token: schedules.history(schedule_id=schedule_id, limit=1, pagination_token=token), history_info
        ),
    )
    step("delete_schedule", lambda: schedules.delete(schedule_id=schedule_id))
    step.expect_error("describe_deleted_schedule", lambda: schedules.describe(schedule_id=schedule_id))
    step("list_schedules_after", lambda: [schedule_info(s) for s in schedules.list(index_name=source)])
    step("backups_after", lambda: sorted(b.name for b in sdk.pc.backups.list(index_name=source)))


SCENARIOS = {"backups": scenario, "schedules": schedule_scenario}


def main() -> int:
    settings = json.load(sys.stdin)
    major = int(pinecone.__version__.split(".")[0])
    pc = Pinecone(api_key=settings["api_key"], host=settings["host"])  # the documented host setting
    sdk = Sdk10(pc) if major >= 10 else Sdk8(pc)
    step = Steps()
    output: dict[str, Any] = {"sdk": {"language": "python", "version": pinecone.__version__}, "steps": step.results}
    try:
        SCENARIOS[settings.get("scenario", "backups")](sdk, settings, step)
        output["error"] = None
    except Exception as exc:
        output["error"] = {"step": step.current, **error_info(exc), "traceback": traceback.format_exc()}
    print(json.dumps(output, default=str))
    return 0 if output["error"] is None else 1


if __name__ == "__main__":
    sys.exit(main())
