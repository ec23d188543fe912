"""Pinecone's official SDKs, unchanged, against the emulator.

Python 8.x and 10.x, TypeScript 9.x and Go v5 each run every index, backup and restore call they
have (support/sdk_clients/: one scenario, the same steps and result shapes in every language),
pointed at the emulator through their documented host setting; the SDKs that speak 2026-07
(Python 10.x, TypeScript 9.x) also run every backup-schedule call (a second scenario). The test asserts what they got
back and what the emulator then holds. The SDKs are installed once per machine into
~/.cache/pinecone-backup/sdks (support/sdks.py), on first use: a missing install is installed,
and an install that fails fails the test. Each SDK talks to the emulator through a recording
proxy, so a failure shows the exact request and answer it choked on.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from concurrent.futures import Future
from datetime import datetime, timedelta
from typing import Any

import pytest

from pinecone_backup.emulator import EmulatorServer
from support import sdks
from support.emulator import API_KEY, DIMENSION, INDEX, RECORDS
from support.sdks import SDKS, ClientRun, RecordingProxy

pytestmark = pytest.mark.sdk

NEW, LEGACY, RESTORED = "sdk-new", "sdk-legacy", "sdk-restored"
NAMESPACES = 3  # support.emulator.create_index seeds 3
STEPS = {
    "create_index",
    "describe_index",
    "list_indexes",
    "delete_protected_index",
    "configure_index",
    "create_backups",
    "describe_backup",
    "ready_backups",
    "list_index_backups",
    "list_new_index_backups",
    "list_project_backups",
    "create_index_from_backup",
    "describe_restore_job",
    "list_restore_jobs",
    "describe_restored_index",
    "delete_backup",
    "describe_deleted_backup",
    "delete_indexes",
    "list_indexes_after",
}
# What only some SDKs have: the pre-2026-07 create form next to the new one, the methods kept
# flat on the client next to the namespaces, a paginator; 2026-07's `include_deleted`.
V2026_07_STEPS = {
    "create_index_legacy",
    "flat_methods",
    "list_backups_of_deleted_index",
    "list_backups_of_deleted_index_included",
}
EXTRA_STEPS = {"python-10": V2026_07_STEPS | {"list_all_index_backups"}, "typescript": V2026_07_STEPS}
# Every control-plane call of the index, backup and restore API, as the request log shows it.
ROUTES = {
    ("POST", "/indexes"),
    ("GET", "/indexes"),
    ("GET", "/indexes/{name}"),
    ("PATCH", "/indexes/{name}"),
    ("DELETE", "/indexes/{name}"),
    ("POST", "/indexes/{name}/backups"),
    ("GET", "/indexes/{name}/backups"),
    ("GET", "/backups"),
    ("GET", "/backups/{id}"),
    ("DELETE", "/backups/{id}"),
    ("POST", "/backups/{id}/create-index"),
    ("GET", "/restore-jobs"),
    ("GET", "/restore-jobs/{id}"),
}


@pytest.fixture(scope="session")
def sdk_installs(request: pytest.FixtureRequest) -> dict[str, Future[float]]:
    """The installs of the SDKs this session tests, started together on first use."""
    wanted = {
        item.callspec.params["sdk_name"]
        for item in request.session.items
        if hasattr(item, "callspec") and "sdk_name" in item.callspec.params
    }
    return sdks.install_in_background([SDKS[name] for name in SDKS if name in wanted])


@pytest.fixture
def proxy(emulator: EmulatorServer) -> Iterator[RecordingProxy]:
    with RecordingProxy(emulator.url) as recording:
        yield recording


def route(path: str) -> str:
    path = re.sub(r"^/(backups|restore-jobs|backup-schedules)/[^/]+", r"/\1/{id}", path)
    return re.sub(r"^/indexes/[^/]+", "/indexes/{name}", path)


def failure_report(run: ClientRun, proxy: RecordingProxy) -> str:
    """What the SDK raised, where, and the exchanges that explain it."""
    error = run.error or {}
    lines = [
        f"{run.sdk.name} {run.sdk.version} failed at step {error.get('step')!r}: "
        f"{error.get('type')} (status {error.get('status')}): {error.get('message')}",
    ]
    # The client stops at the first exception: the last exchange is the call that failed, or the
    # answer the SDK could not take.
    lines += ["last exchanges:", *(exchange.describe() for exchange in proxy.exchanges[-3:])]
    if error.get("traceback"):
        lines += ["traceback (tail):", str(error["traceback"])[-1500:]]
    if run.stderr.strip():
        lines += ["stderr (tail):", run.stderr[-1500:]]
    return "\n".join(lines)


def subset(actual: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    """`actual` narrowed to `expected`'s keys, for one readable == assertion."""
    return {key: actual.get(key) for key in expected}


def index_expectations(name: str, **overrides: Any) -> dict[str, Any]:
    expected = {
        "name": name,
        "dimension": DIMENSION,
        "metric": "cosine",
        "deletion_protection": "disabled",
        "tags": {},
        "ready": True,
        "state": "Ready",
    }
    return expected | overrides


@pytest.mark.parametrize("sdk_name", list(SDKS))
def test_sdk_index_backup_and_restore_calls(
    sdk_name: str,
    sdk_installs: dict[str, Future[float]],
    emulator: EmulatorServer,
    index: str,
    proxy: RecordingProxy,
    record_property: Any,
) -> None:
    sdk = SDKS[sdk_name]
    install_seconds = sdk_installs[sdk_name].result(timeout=sdks.INSTALL_TIMEOUT)  # raises what the install hit
    emulator.state.faults.restore_delay = 0.3

    run = sdk.run({"host": proxy.url, "api_key": API_KEY, "source_index": index, "dimension": DIMENSION})
    record_property("install_seconds", round(install_seconds, 1))
    record_property("client_seconds", round(run.seconds, 2))

    assert run.error is None, failure_report(run, proxy)
    assert run.returncode == 0, run.stderr
    assert run.output is not None
    assert run.output["sdk"]["version"] == sdk.version
    steps = run.steps
    assert set(steps) == STEPS | EXTRA_STEPS.get(sdk_name, set())

    # indexes: create (both forms where the SDK has two), describe, list, configure, delete
    created_index = index_expectations(NEW, deletion_protection="enabled", tags={"team": "search"})
    assert subset(steps["create_index"], created_index) == created_index
    assert NEW in str(steps["create_index"]["host"])
    if "create_index_legacy" in steps:
        assert subset(steps["create_index_legacy"], index_expectations(LEGACY)) == index_expectations(LEGACY)
    assert steps["describe_index"] == steps["create_index"]
    assert steps["list_indexes"] == sorted({INDEX, NEW} | ({LEGACY} if "create_index_legacy" in steps else set()))
    refused = steps["delete_protected_index"]["error"]
    assert refused is not None, "deleting a protected index succeeded"
    assert refused["status"] in (403, None), refused  # the TypeScript SDK's 403 error carries no status
    configured = index_expectations(NEW, tags={"env": "test"})  # "team": "" removed the tag
    assert subset(steps["configure_index"], configured) == configured

    # backups: create, describe until Ready, list per index and per project page by page, delete
    created = steps["create_backups"]
    ids = [backup["backup_id"] for backup in created]
    assert [(b["name"], b["description"], b["source_index_name"]) for b in created] == [
        ("nightly-1", "first", INDEX),
        ("nightly-2", "second", INDEX),
        ("new-1", "of the new index", NEW),
    ]
    assert {b["status"] for b in created} == {"Initializing"}
    ready = {"status": "Ready", "record_count": RECORDS, "namespace_count": NAMESPACES, "source_index_name": INDEX}
    assert subset(steps["describe_backup"], ready) == ready
    assert steps["describe_backup"]["backup_id"] == ids[0]
    assert steps["describe_backup"]["size_bytes"] > 0
    assert [(b["backup_id"], b["status"], b["record_count"]) for b in steps["ready_backups"]] == [
        (ids[1], "Ready", RECORDS),
        (ids[2], "Ready", 0),
    ]
    per_index = steps["list_index_backups"]
    assert per_index["pages"] == [1, 1], "limit=1 over 2 backups: 2 pages, the token followed"
    assert sorted(b["backup_id"] for b in per_index["items"]) == sorted(ids[:2])
    assert [b["backup_id"] for b in steps["list_new_index_backups"]["items"]] == [ids[2]]
    project = steps["list_project_backups"]
    assert project["pages"] == [2, 1], "limit=2 over 3 backups: 2 pages"
    assert sorted(b["backup_id"] for b in project["items"]) == sorted(ids)
    if "list_all_index_backups" in steps:
        assert sorted(b["backup_id"] for b in steps["list_all_index_backups"]) == sorted(ids[:2])

    # restore: create an index from a backup, follow the job, list jobs, the restored index
    [job] = emulator.state.restore_jobs.values()
    started = steps["create_index_from_backup"]
    assert started["restore_job_id"] == job.restore_job_id
    assert started["index_id"] in (job.target_index_id, None)  # Python 8.x answers with the index, not the ids
    finished = {"restore_job_id": job.restore_job_id, "backup_id": ids[0], "target_index_name": RESTORED}
    assert subset(steps["describe_restore_job"], finished) == finished
    assert steps["describe_restore_job"]["status"] == "Completed"
    assert steps["describe_restore_job"]["percent_complete"] == 100
    assert [j["restore_job_id"] for j in steps["list_restore_jobs"]["items"]] == [job.restore_job_id]
    restored = index_expectations(RESTORED, tags={"restored": "yes"})
    assert subset(steps["describe_restored_index"], restored) == restored
    if "flat_methods" in steps:
        assert steps["flat_methods"] == {
            "describe_index": NEW,
            **({"has_index": [True, False]} if sdk_name == "python-10" else {}),
            "list_indexes": sorted({INDEX, NEW, LEGACY, RESTORED}),
            "describe_backup": "Ready",
            "list_backups": [ids[2]],
            "describe_restore_job": "Completed",
            "list_restore_jobs": [job.restore_job_id],
        }

    # deletes: a backup (then described: 404), the indexes; a deleted index's backups stay
    missing = steps["describe_deleted_backup"]["error"]
    assert missing is not None, "a deleted backup was still described"
    assert missing["status"] in (404, None), missing

    # what the emulator holds afterwards
    deleted = {NEW, RESTORED} | ({LEGACY} if "create_index_legacy" in steps else set())
    assert set(steps["delete_indexes"]) == deleted
    assert steps["list_indexes_after"] == [INDEX]
    state = emulator.state
    assert set(state.indexes) == {INDEX}
    assert set(state.backups) == {ids[0], ids[2]}
    assert [state.backups[i].name for i in (ids[0], ids[2])] == ["nightly-1", "new-1"]
    if "list_backups_of_deleted_index" in steps:
        unlisted = steps["list_backups_of_deleted_index"]["error"]
        assert unlisted is not None, "the backups of a deleted index were listed without include_deleted"
        assert unlisted["status"] in (404, None), unlisted
        [orphan] = steps["list_backups_of_deleted_index_included"]
        assert orphan["backup_id"] == ids[2]
        assert orphan["source_index_deleted_at"]
    assert job.status(time.monotonic()) == "Completed"

    # every call of the API subset, all at the API version this SDK speaks, refused only where meant to
    log = state.request_log()
    assert {(entry.method, route(entry.path)) for entry in log} == ROUTES
    assert {entry.api_version for entry in log} == {sdk.api_version}
    refusals = sorted((e.method, route(e.path), e.status) for e in log if e.status >= 400)
    deletion_polls = ("GET", "/indexes/{name}", 404)  # SDKs that wait for a deleted index to be gone
    expected_refusals = [("DELETE", "/indexes/{name}", 403), ("GET", "/backups/{id}", 404)]
    if "list_backups_of_deleted_index" in steps:
        expected_refusals.append(("GET", "/indexes/{name}/backups", 404))
    assert [r for r in refusals if r != deletion_polls] == sorted(expected_refusals)


# -- backup schedules (2026-07) --------------------------------------------------------------------

SCHEDULE_SDKS = [name for name, sdk in SDKS.items() if sdk.api_version == "2026-07"]
SCHEDULE_STEPS = {
    "create_schedule",
    "describe_schedule",
    "list_schedules",
    "create_second_enabled_schedule",
    "update_schedule",
    "pause_schedule",
    "create_other_schedule",
    "re_enable_beside_another",
    "delete_other_schedule",
    "re_enable_schedule",
    "history",
    "history_pages",
    "delete_schedule",
    "describe_deleted_schedule",
    "list_schedules_after",
    "backups_after",
}
SCHEDULE_ROUTES = {
    ("POST", "/indexes/{name}/backup-schedules"),
    ("GET", "/indexes/{name}/backup-schedules"),
    ("GET", "/backup-schedules/{id}"),
    ("PATCH", "/backup-schedules/{id}"),
    ("DELETE", "/backup-schedules/{id}"),
    ("GET", "/backup-schedules/{id}/history"),
    ("GET", "/indexes/{name}/backups"),
}


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))  # Python 3.10 reads no "Z"


def refused(step: dict[str, Any], status: int) -> bool:
    """The SDK raised, with `status` where its error carries one."""
    error = step["error"]
    return error is not None and error["status"] in (status, None)


@pytest.mark.parametrize("sdk_name", SCHEDULE_SDKS)
def test_sdk_backup_schedule_calls(
    sdk_name: str,
    sdk_installs: dict[str, Future[float]],
    emulator: EmulatorServer,
    index: str,
    proxy: RecordingProxy,
) -> None:
    sdk = SDKS[sdk_name]
    sdk_installs[sdk_name].result(timeout=sdks.INSTALL_TIMEOUT)
    # Calendars all but stopped: the only run is the one re-enabling makes, so the answers are fixed.
    emulator.state.faults.day_length = 1e9

    run = sdk.run({"host": proxy.url, "api_key": API_KEY, "source_index": index, "scenario": "schedules"})

    assert run.error is None, failure_report(run, proxy)
    steps = run.steps
    assert set(steps) == SCHEDULE_STEPS

    # create, describe, list: the emulator's answers, decoded by the SDK's own models
    state = emulator.state
    created = steps["create_schedule"]
    expected = {
        "name": "sdk-nightly",
        "index_id": state.indexes[INDEX].id,
        "project_id": state.project_id,
        "schedule_type": "time-based",
        "frequency": "daily",
        "retention_expire_after_days": 7,
        "enabled": True,
    }
    assert subset(created, expected) == expected
    first_run = moment(created["next_scheduled_run"])
    assert (first_run.hour, first_run.minute, first_run.second) == (6, 0, 0)
    assert steps["describe_schedule"] == created
    assert steps["list_schedules"] == [created]

    # one enabled schedule per index: a second one, or re-enabling beside another, is refused
    assert refused(steps["create_second_enabled_schedule"], 409)
    updated = steps["update_schedule"]
    assert (updated["frequency"], updated["retention_expire_after_days"], updated["enabled"]) == ("weekly", 3650, True)
    assert updated["next_scheduled_run"] == created["next_scheduled_run"]
    paused = steps["pause_schedule"]
    assert (paused["enabled"], paused["next_scheduled_run"]) == (False, None)
    assert (steps["create_other_schedule"]["name"], steps["create_other_schedule"]["enabled"]) == ("sdk-monthly", True)
    assert refused(steps["re_enable_beside_another"], 409)
    assert steps["delete_other_schedule"] is None

    # re-enabling backs up at once and plans the next run a (weekly) period later
    enabled = steps["re_enable_schedule"]
    assert enabled["enabled"] is True
    next_run = moment(enabled["next_scheduled_run"])
    assert abs(next_run - (moment(created["created_at"]) + timedelta(days=7))) < timedelta(minutes=1)
    planned, ready = steps["history"]
    assert planned["status"] == "Scheduled" and moment(planned["scheduled_execution_at"]) == next_run
    assert planned["name"] == f"sdk-nightly-{next_run.strftime('%Y%m%dT%H%M%SZ')}"
    assert (ready["status"], ready["record_count"], ready["source_index_name"]) == ("Ready", RECORDS, INDEX)
    assert ready["name"] == f"sdk-nightly-{moment(ready['created_at']).strftime('%Y%m%dT%H%M%SZ')}"
    assert steps["history_pages"] == {"pages": [1, 1], "items": steps["history"]}

    # delete: the schedule is gone, the backup it made stays
    assert refused(steps["describe_deleted_schedule"], 404)
    assert steps["list_schedules_after"] == []
    assert steps["backups_after"] == [ready["name"]]
    assert state.schedules == {} and set(state.backups) == {ready["backup_id"]}

    log = state.request_log()
    assert {(entry.method, route(entry.path)) for entry in log} == SCHEDULE_ROUTES
    assert {entry.api_version for entry in log} == {"2026-07"}
    assert sorted((e.method, route(e.path), e.status) for e in log if e.status >= 400) == [
        ("GET", "/backup-schedules/{id}", 404),
        ("PATCH", "/backup-schedules/{id}", 409),
        ("POST", "/indexes/{name}/backup-schedules", 409),
    ]


def test_cached_installs_are_reused() -> None:
    """A second install of an installed SDK reads its record and builds nothing."""
    installed = [sdk for sdk in SDKS.values() if sdk.is_installed()]
    if not installed:  # the SDK tests install them; run alone, install the quickest
        SDKS["typescript"].install()
        installed = [SDKS["typescript"]]
    for sdk in installed:
        record = (sdk.home / ".installed.json").read_text()
        assert sdk.install() == 0.0
        assert (sdk.home / ".installed.json").read_text() == record
