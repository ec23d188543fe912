"""Backup schedules in the emulator (API 2026-07), over real HTTP: the six operations and their
refusals, one enabled schedule per index, runs on an accelerated calendar, retention, history,
what deleting a schedule or its index does, the older versions, plan gating, and the call counts.

Schedules run on calendars where a day lasts `day_length` real seconds (`/_emulator/faults`):
DAY below, so that a daily schedule runs several times in a second. Where a test reads several
answers that must agree, it first slows the calendars almost to a stop (`freeze`), which catches
them up and keeps them where they are.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from pinecone_backup.emulator import EmulatorServer, EmulatorState
from pinecone_backup.emulator.parsing import MAX_RETENTION_DAYS
from support.emulator import API_KEY, INDEX, RECORDS, create_index, eventually

DAY = 0.25  # real seconds one schedule day lasts in the accelerated tests
FROZEN = 1e9  # a day_length that stops the calendars for the length of a test
NAMESPACES = 3  # support.emulator.create_index seeds 3
OPERATIONS = [
    ("GET", "/indexes/{index}/backup-schedules"),
    ("POST", "/indexes/{index}/backup-schedules"),
    ("GET", "/backup-schedules/{schedule}"),
    ("PATCH", "/backup-schedules/{schedule}"),
    ("DELETE", "/backup-schedules/{schedule}"),
    ("GET", "/backup-schedules/{schedule}/history"),
]
RESPONSE_FIELDS = {
    "schedule_id",
    "name",
    "index_id",
    "project_id",
    "schedule_type",
    "frequency",
    "retention_expire_after_days",
    "enabled",
    "next_scheduled_run",
    "created_at",
}
BAD, UNREADABLE = (400, "INVALID_ARGUMENT"), (422, "UNPROCESSABLE_ENTITY")
HISTORY_ITEM_FIELDS = (  # BackupScheduleHistoryItem's properties in the 2026-07 spec
    "backup_id",
    "source_index_id",
    "source_index_name",
    "tags",
    "name",
    "description",
    "status",
    "cloud",
    "region",
    "schema",
    "record_count",
    "namespace_count",
    "size_bytes",
    "created_at",
    "scheduled_execution_at",
)


def client(emulator: EmulatorServer, version: str = "2026-07") -> httpx.Client:
    return httpx.Client(base_url=emulator.url, headers={"Api-Key": API_KEY, "X-Pinecone-Api-Version": version})


@pytest.fixture
def api(emulator: EmulatorServer) -> Iterator[httpx.Client]:
    with client(emulator) as speaking:
        yield speaking


def body(name: str = "nightly", frequency: str = "daily", days: Any = 7, kind: str = "time-based") -> dict[str, Any]:
    return {"name": name, "schedule": {"type": kind, "frequency": frequency}, "retention": {"expire_after_days": days}}


def create(api: httpx.Client, index: str = INDEX, **settings: Any) -> dict[str, Any]:
    response = api.post(f"/indexes/{index}/backup-schedules", json=body(**settings))
    assert response.status_code == 200, response.text
    created: dict[str, Any] = response.json()
    return created


def update(api: httpx.Client, schedule: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    response = api.patch(f"/backup-schedules/{schedule['schedule_id']}", json=changes)
    assert response.status_code == 200, response.text
    updated: dict[str, Any] = response.json()
    return updated


def faults(api: httpx.Client, **switches: Any) -> None:
    assert api.post("/_emulator/faults", json=switches).status_code == 200


def freeze(api: httpx.Client) -> None:
    faults(api, day_length=FROZEN)


def history(api: httpx.Client, schedule: dict[str, Any]) -> list[dict[str, Any]]:
    response = api.get(f"/backup-schedules/{schedule['schedule_id']}/history")
    assert response.status_code == 200, response.text
    rows: list[dict[str, Any]] = response.json()["data"]
    return rows


def made(api: httpx.Client, schedule: dict[str, Any]) -> list[dict[str, Any]]:
    """The history's rows of backups the schedule made (not its planned run), newest first."""
    return [row for row in history(api, schedule) if row["status"] != "Scheduled"]


def error(response: httpx.Response) -> tuple[int, str]:
    answer = response.json()
    assert answer["status"] == response.status_code and answer["error"]["message"]
    return response.status_code, answer["error"]["code"]


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))  # Python 3.10 reads no "Z"


def stamp(text: str) -> str:
    """A time as scheduled backups are named after it."""
    return moment(text).strftime("%Y%m%dT%H%M%SZ")


# -- the operations ------------------------------------------------------------------------------------


def test_create_describe_and_list(emulator, index, api):
    before = datetime.now(timezone.utc)
    created = create(api, name="daily-compliance-backup", days=90)
    assert set(created) == RESPONSE_FIELDS
    assert created["index_id"] == emulator.state.indexes[index].id  # the id, not the name
    expected = {"name": "daily-compliance-backup", "schedule_type": "time-based", "frequency": "daily"}
    assert {key: created[key] for key in expected} == expected
    assert created["retention_expire_after_days"] == 90 and created["enabled"] is True
    # the service picks the hour: the first 06:00 UTC after creation, as in every spec example
    made_at, first_run = moment(created["created_at"]), moment(created["next_scheduled_run"])
    assert abs(made_at - before) < timedelta(seconds=5)
    assert (first_run.hour, first_run.minute, first_run.second) == (6, 0, 0)
    assert timedelta(0) < first_run - made_at <= timedelta(days=1)

    assert api.get(f"/backup-schedules/{created['schedule_id']}").json() == created
    assert api.get(f"/indexes/{index}/backup-schedules").json() == {"data": [created]}
    # it runs later, not now: nothing yet but the planned run
    [planned] = history(api, created)
    assert planned["status"] == "Scheduled" and planned["scheduled_execution_at"] == created["next_scheduled_run"]
    assert api.get("/backups").json()["data"] == []


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        ({k: v for k, v in body().items() if k != "name"}, UNREADABLE),  # every field is required
        ({k: v for k, v in body().items() if k != "retention"}, UNREADABLE),
        ({k: v for k, v in body().items() if k != "schedule"}, UNREADABLE),
        ({**body(), "schedule": {"type": "time-based"}}, UNREADABLE),
        (body(name=""), BAD),
        ({**body(), "name": 7}, UNREADABLE),
        (body(frequency="hourly"), BAD),
        (body(kind="cron"), BAD),
        (body(days=0), BAD),
        (body(days=-3), BAD),
        (body(days=MAX_RETENTION_DAYS + 1), BAD),  # the service's maximum
        (body(days=2**31), UNREADABLE),  # not an int32
        (body(days="30"), UNREADABLE),
        (body(days=1.5), UNREADABLE),
        ([], UNREADABLE),
    ],
)
def test_create_refusals(emulator, index, api, sent, expected):
    assert error(api.post(f"/indexes/{index}/backup-schedules", json=sent)) == expected
    assert api.get(f"/indexes/{index}/backup-schedules").json() == {"data": []}


def test_any_name_and_the_longest_retention_are_accepted(emulator, index, api):
    created = create(api, name="Nightly Backup/2026 (a name no manual backup may have)", days=MAX_RETENTION_DAYS)
    assert created["retention_expire_after_days"] == MAX_RETENTION_DAYS


def test_unknown_indexes_and_schedules_are_404(emulator, index, api):
    response = api.post("/indexes/nothing/backup-schedules", json=body())
    assert error(response) == (404, "NOT_FOUND") and response.json()["error"]["message"] == "Index nothing not found."
    assert error(api.get("/indexes/nothing/backup-schedules")) == (404, "NOT_FOUND")
    for method, path in OPERATIONS[2:]:
        response = api.request(method, path.format(schedule="no-such-id"), json={} if method == "PATCH" else None)
        assert error(response) == (404, "NOT_FOUND"), (method, path)
        assert response.json()["error"]["message"] == "Backup schedule not found."


def test_a_body_that_is_not_json_is_400(emulator, index, api):
    response = api.post(
        f"/indexes/{index}/backup-schedules", content=b"{", headers={"Content-Type": "application/json"}
    )
    assert error(response) == BAD


def test_update_changes_only_what_is_given(emulator, index, api):
    created = create(api)
    assert update(api, created, {}) == created  # `{}`: nothing changes
    weekly = update(api, created, {"frequency": "weekly"})
    assert (weekly["frequency"], weekly["retention_expire_after_days"]) == ("weekly", 7)
    assert weekly["next_scheduled_run"] == created["next_scheduled_run"]  # the run already planned stays
    kept = update(api, created, {"retention": {"expire_after_days": 30}, "enabled": True})  # enabled already
    assert (kept["frequency"], kept["retention_expire_after_days"], kept["enabled"]) == ("weekly", 30, True)
    # name, type and index cannot change: the request has no such fields, and ignores them
    ignored = update(api, created, {"name": "renamed", "schedule": {"type": "other"}, "index_id": "x"})
    assert ignored == kept
    for changes, expected in [
        ({"frequency": "hourly"}, BAD),
        ({"retention": {"expire_after_days": 0}}, BAD),
        ({"retention": {"expire_after_days": MAX_RETENTION_DAYS + 1}}, BAD),
        ({"retention": {}}, UNREADABLE),
        ({"enabled": "yes"}, UNREADABLE),
        ({"frequency": 1}, UNREADABLE),
    ]:
        assert error(api.patch(f"/backup-schedules/{created['schedule_id']}", json=changes)) == expected, changes
    assert api.get(f"/backup-schedules/{created['schedule_id']}").json() == kept


def test_delete_answers_204_without_a_body(emulator, index, api):
    created = create(api)
    deleted = api.delete(f"/backup-schedules/{created['schedule_id']}")
    assert deleted.status_code == 204 and deleted.content == b""
    assert error(api.get(f"/backup-schedules/{created['schedule_id']}")) == (404, "NOT_FOUND")
    assert error(api.delete(f"/backup-schedules/{created['schedule_id']}")) == (404, "NOT_FOUND")  # a retry
    assert api.get(f"/indexes/{index}/backup-schedules").json() == {"data": []}


# -- one enabled schedule per index --------------------------------------------------------------------


def test_an_index_has_one_enabled_schedule_at_most(emulator, index, api):
    first = create(api, name="first")
    second = api.post(f"/indexes/{index}/backup-schedules", json=body(name="second"))
    assert error(second) == (409, "ALREADY_EXISTS")
    assert second.json()["error"]["message"] == (
        "This index already has an enabled backup schedule. Disable or delete it first."
    )
    # disabled ones pile up
    update(api, first, {"enabled": False})
    second_made = create(api, name="second")
    update(api, second_made, {"enabled": False})
    third = create(api, name="third", frequency="monthly")
    listed = api.get(f"/indexes/{index}/backup-schedules").json()["data"]
    assert [(s["name"], s["enabled"]) for s in listed] == [("first", False), ("second", False), ("third", True)]
    # re-enabling one while another is enabled: 409, and nothing changes
    assert error(api.patch(f"/backup-schedules/{first['schedule_id']}", json={"enabled": True})) == (
        409,
        "ALREADY_EXISTS",
    )
    assert api.get(f"/backup-schedules/{first['schedule_id']}").json()["enabled"] is False
    assert api.get("/backups").json()["data"] == []  # no backup was queued either
    update(api, third, {"enabled": False})
    assert update(api, first, {"enabled": True})["enabled"] is True
    # another index has its own
    create_index(emulator, "other")
    assert create(api, "other")["enabled"] is True


def test_list_pages(emulator, index, api):
    for name in ("a", "b", "c"):
        update(api, create(api, name=name), {"enabled": False})
    first = api.get(f"/indexes/{index}/backup-schedules", params={"limit": 2}).json()
    rest = api.get(f"/indexes/{index}/backup-schedules", params={"paginationToken": first["pagination"]["next"]})
    assert [s["name"] for s in first["data"] + rest.json()["data"]] == ["a", "b", "c"]
    assert "pagination" not in rest.json()
    assert error(api.get(f"/indexes/{index}/backup-schedules", params={"paginationToken": "garbage"})) == BAD


# -- runs ------------------------------------------------------------------------------------------------


def test_runs_make_backups_on_the_accelerated_calendar(emulator, index, api):
    faults(api, day_length=DAY, ready_delay=0.05)
    schedule = create(api, days=30)
    first_run = schedule["next_scheduled_run"]
    eventually(lambda: sum(row["status"] == "Ready" for row in made(api, schedule)) >= 3)
    freeze(api)

    planned, *rows = history(api, schedule)
    assert all(row["status"] == "Ready" for row in rows[1:])
    oldest = moment(rows[-1]["created_at"])
    assert stamp(rows[-1]["created_at"]) == stamp(first_run)  # the first run is the one announced
    # newest first, a schedule day apart, each named after its planned time, as a manual backup is
    runs = [moment(row["created_at"]) for row in rows]
    assert runs == [oldest + timedelta(days=n) for n in reversed(range(len(rows)))]
    for row, run in zip(rows, runs, strict=True):
        assert row["name"] == f"nightly-{run.strftime('%Y%m%dT%H%M%SZ')}"
        assert (row["source_index_name"], row["cloud"], row["region"]) == (index, "aws", "us-east-1")
        assert row["schema"]["fields"]["_values"]["type"] == "dense_vector" and row["description"] is None
    ready = rows[-1]
    assert (ready["record_count"], ready["namespace_count"]) == (RECORDS, NAMESPACES) and ready["size_bytes"] > 0
    # the planned run: the next day, created when the last run was, its backup id already chosen
    described = api.get(f"/backup-schedules/{schedule['schedule_id']}").json()
    assert planned["status"] == "Scheduled"
    assert planned["scheduled_execution_at"] == described["next_scheduled_run"]
    assert moment(planned["scheduled_execution_at"]) == runs[0] + timedelta(days=1)
    assert planned["created_at"] == rows[0]["created_at"]
    assert planned["name"] == f"nightly-{stamp(planned['scheduled_execution_at'])}"
    assert not {"record_count", "tags", "description"} & set(planned)

    # they are backups like any other: listed, described, named for their run
    backups = {b["backup_id"]: b for b in api.get(f"/indexes/{index}/backups").json()["data"]}
    assert set(backups) == {row["backup_id"] for row in rows}
    assert api.get(f"/backups/{ready['backup_id']}").json()["name"] == ready["name"]
    # the planned row's backup id is the next run's backup's
    faults(api, day_length=DAY)
    eventually(lambda: api.get(f"/backups/{planned['backup_id']}").status_code == 200)
    assert api.get(f"/backups/{planned['backup_id']}").json()["name"] == planned["name"]


STAMP_LENGTH = len("-20260403T060000Z")  # what a run adds to the schedule's name: 17 characters


@pytest.mark.parametrize(("length", "makes_backups"), [(28, True), (29, False)])
def test_a_run_whose_backup_name_would_break_the_rule_makes_no_backup(emulator, index, api, length, makes_backups):
    """2026-07 holds backup names to 1-45 characters: 28 + 17 is the longest a run can name. A run
    past it fails (the emulator's choice: the live service's answer is not documented), and the
    schedule goes on. The suffix's upper-case `T` and `Z` are the service's own, as in the spec's
    examples of Ready scheduled backups, and do not break the rule."""
    name = "n" * length
    faults(api, day_length=DAY, ready_delay=0)
    schedule = create(api, name=name)  # any name is accepted: the spec declares no rule for it
    eventually(lambda: len(made(api, schedule)) >= 2)
    freeze(api)

    planned, *rows = history(api, schedule)
    assert {len(row["name"]) for row in [planned, *rows]} == {length + STAMP_LENGTH}
    assert all(row["name"] == f"{name}-{stamp(row['created_at'])}" for row in rows)
    described = api.get(f"/backup-schedules/{schedule['schedule_id']}").json()
    assert described["enabled"] is True  # it goes on: enabled, its next run planned
    assert planned["status"] == "Scheduled" and planned["scheduled_execution_at"] == described["next_scheduled_run"]
    assert moment(planned["scheduled_execution_at"]) == moment(rows[0]["created_at"]) + timedelta(days=1)
    backups = api.get("/backups").json()["data"]
    if makes_backups:
        assert {row["status"] for row in rows} == {"Ready"}
        assert {b["backup_id"] for b in backups} == {row["backup_id"] for row in rows}
    else:
        assert {row["status"] for row in rows} == {"InitializationFailed"} and backups == []
        assert all(api.get(f"/backups/{row['backup_id']}").status_code == 404 for row in rows)
        failed = rows[0]
        assert (failed["source_index_name"], failed["cloud"], failed["region"]) == (index, "aws", "us-east-1")
        assert failed["record_count"] is None and failed["size_bytes"] is None and failed["description"] is None
        assert set(failed) <= set(HISTORY_ITEM_FIELDS)  # no field the spec does not declare
    # the same rule as a manual backup's (but for the service's own upper-case `T` and `Z`)
    manual = api.post(f"/indexes/{index}/backups", json={"name": rows[0]["name"].lower()})
    assert manual.status_code == (200 if makes_backups else 400)


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("a-schedule-name-too-long-for-its-runs", "InitializationFailed"),
        ("Nightly", "InitializationFailed"),  # characters a backup name may not have
        ("nightly backup", "InitializationFailed"),
        ("-nightly", "InitializationFailed"),
        ("nightly-", "Initializing"),  # "nightly--2026...": '-' may follow '-'
    ],
)
def test_a_run_on_re_enabling_follows_the_rule_too(emulator, index, api, name, status):
    faults(api, day_length=FROZEN, ready_delay=30)
    schedule = create(api, name=name)
    update(api, schedule, {"enabled": False})
    enabled = update(api, schedule, {"enabled": True})
    planned, run = history(api, schedule)
    assert enabled["enabled"] is True and planned["scheduled_execution_at"] == enabled["next_scheduled_run"]
    assert run["status"] == status and run["name"] == f"{name}-{stamp(run['created_at'])}"
    assert len(api.get("/backups").json()["data"]) == (status != "InitializationFailed")


def test_failed_runs_leave_the_history_with_the_retention(emulator, index, api):
    faults(api, day_length=DAY, ready_delay=0)
    schedule = create(api, name="n" * 40, days=1)
    eventually(lambda: bool(made(api, schedule)))
    first = made(api, schedule)[-1]["backup_id"]
    eventually(lambda: first not in {row["backup_id"] for row in made(api, schedule)})  # a day after its run
    assert made(api, schedule)  # the later ones are still there
    assert api.delete(f"/backup-schedules/{schedule['schedule_id']}").status_code == 204
    assert emulator.state.retired_schedules == []  # nothing of a deleted schedule's failed runs is kept


def test_a_scheduled_backup_honours_fail_backups(emulator, index, api):
    faults(api, day_length=DAY, ready_delay=0, fail_backups=True)
    schedule = create(api)
    eventually(lambda: bool(made(api, schedule)))
    failed = made(api, schedule)[-1]
    assert failed["status"] == "InitializationFailed" and failed["record_count"] is None


def test_a_paused_schedule_does_not_run(emulator, index, api):
    # Paused while the calendar stands still: near 06:00 UTC its first run would otherwise
    # come within the milliseconds between the create and the pause.
    faults(api, day_length=FROZEN)
    schedule = create(api)
    paused = update(api, schedule, {"enabled": False})
    assert paused["enabled"] is False and paused["next_scheduled_run"] is None
    faults(api, day_length=DAY)
    time.sleep(4 * DAY)
    assert history(api, schedule) == []  # no planned run, no runs
    assert api.get("/backups").json()["data"] == []


def test_re_enabling_backs_up_at_once_and_restarts_the_cadence(emulator, index, api):
    schedule = create(api)  # a real day: no run during the test
    update(api, schedule, {"enabled": False})
    enabled_at = datetime.now(timezone.utc)
    enabled = update(api, schedule, {"enabled": True})
    # the next run is a period after the update, not at the old 06:00 slot
    assert abs(moment(enabled["next_scheduled_run"]) - (enabled_at + timedelta(days=1))) < timedelta(seconds=5)
    planned, queued = history(api, schedule)
    assert planned["status"] == "Scheduled"
    assert queued["status"] == "Initializing" and queued["record_count"] is None  # counts come with Ready
    assert abs(moment(queued["created_at"]) - enabled_at) < timedelta(seconds=5)
    assert queued["name"] == f"nightly-{stamp(queued['created_at'])}"
    eventually(lambda: api.get(f"/backups/{queued['backup_id']}").json()["status"] == "Ready")
    assert made(api, schedule)[0]["record_count"] == RECORDS


def test_a_new_day_length_applies_from_when_it_is_set(emulator, index, api):
    """The calendar keeps its time and changes pace: the run planned at creation comes first."""
    schedule = create(api)  # a real day: the first run is hours away
    faults(api, day_length=DAY, ready_delay=0)
    eventually(lambda: bool(made(api, schedule)))
    assert made(api, schedule)[-1]["name"] == f"nightly-{stamp(schedule['next_scheduled_run'])}"
    assert error(api.post("/_emulator/faults", json={"day_length": 0})) == BAD


def test_an_idle_emulator_makes_only_the_backups_still_retained(emulator, index, api):
    """Runs are made when the state is next read; those whose backups have expired by then never are."""
    faults(api, day_length=0.01, ready_delay=0)  # a hundred days a second
    schedule = create(api, days=3)
    time.sleep(1.0)
    freeze(api)
    rows = made(api, schedule)
    assert len(rows) == 3  # today's, yesterday's and the day before's
    assert [moment(row["created_at"]) for row in rows] == [
        moment(rows[0]["created_at"]) - timedelta(days=n) for n in range(3)
    ]


# -- retention --------------------------------------------------------------------------------------------


def test_backups_expire_after_the_retention(emulator, index, api):
    faults(api, day_length=DAY, ready_delay=0)
    schedule = create(api, days=1)
    eventually(lambda: bool(made(api, schedule)))
    first = made(api, schedule)[-1]["backup_id"]
    eventually(lambda: api.get(f"/backups/{first}").status_code == 404)  # a schedule day after its run
    assert first not in {row["backup_id"] for row in made(api, schedule)}  # and gone from the history


def test_a_retention_change_re_times_the_backups_already_made(emulator, index, api):
    faults(api, day_length=DAY, ready_delay=0)
    schedule = create(api, days=MAX_RETENTION_DAYS)
    eventually(lambda: len(made(api, schedule)) >= 4)
    freeze(api)
    before = [row["backup_id"] for row in made(api, schedule)]
    # two days: of runs a day apart, the newest is less than a day old, so two are left
    update(api, schedule, {"retention": {"expire_after_days": 2}})
    assert [row["backup_id"] for row in made(api, schedule)] == before[:2]
    assert api.get(f"/backups/{before[2]}").status_code == 404
    # longer again: the ones left outlive their old window
    update(api, schedule, {"retention": {"expire_after_days": 30}})
    faults(api, day_length=DAY)
    time.sleep(4 * DAY)
    assert all(api.get(f"/backups/{backup_id}").status_code == 200 for backup_id in before[:2])


def test_deleting_a_schedule_keeps_its_backups_until_they_expire(emulator, index, api):
    faults(api, day_length=DAY, ready_delay=0)
    schedule = create(api, days=2)
    eventually(lambda: bool(made(api, schedule)))
    freeze(api)
    kept = [row["backup_id"] for row in made(api, schedule)]
    assert api.delete(f"/backup-schedules/{schedule['schedule_id']}").status_code == 204
    assert error(api.get(f"/backup-schedules/{schedule['schedule_id']}/history")) == (404, "NOT_FOUND")
    assert all(api.get(f"/backups/{backup_id}").status_code == 200 for backup_id in kept)
    faults(api, day_length=DAY)
    eventually(lambda: all(api.get(f"/backups/{backup_id}").status_code == 404 for backup_id in kept))
    assert api.get("/backups").json()["data"] == []  # and no run made another


def test_deleting_an_index_deletes_its_schedules(emulator, index, api):
    faults(api, day_length=DAY, ready_delay=0)
    schedule = create(api, days=MAX_RETENTION_DAYS)
    eventually(lambda: bool(made(api, schedule)))
    assert api.delete(f"/indexes/{index}").status_code == 202
    assert error(api.get(f"/backup-schedules/{schedule['schedule_id']}")) == (404, "NOT_FOUND")
    backups = api.get("/backups").json()["data"]
    assert backups and {b["source_index_name"] for b in backups} == {index}  # its backups stay
    # a new index of the same name inherits nothing, and may have an enabled schedule at once
    create_index(emulator, index)
    assert api.get(f"/indexes/{index}/backup-schedules").json() == {"data": []}
    renewed = create(api)
    assert renewed["index_id"] == emulator.state.indexes[index].id != schedule["index_id"]


def test_history_pages_newest_first(emulator, index, api):
    faults(api, day_length=DAY, ready_delay=0)
    schedule = create(api)
    eventually(lambda: len(made(api, schedule)) >= 3)
    freeze(api)
    rows = history(api, schedule)
    path = f"/backup-schedules/{schedule['schedule_id']}/history"
    page = api.get(path, params={"limit": 2}).json()
    paged = page["data"]
    while "pagination" in page:
        page = api.get(path, params={"paginationToken": page["pagination"]["next"]}).json()
        paged += page["data"]
    assert paged == rows and rows[0]["status"] == "Scheduled"
    assert [row["created_at"] for row in rows[1:]] == sorted((row["created_at"] for row in rows[1:]), reverse=True)
    assert error(api.get(path, params={"limit": "ten"})) == BAD


# -- versions, plan, counts, CLI ---------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["2025-04", "2025-10"])
def test_older_versions_have_no_schedule_paths(emulator, index, api, version):
    schedule = create(api)
    with client(emulator, version) as older:
        for method, template in OPERATIONS:
            path = template.format(index=index, schedule=schedule["schedule_id"])
            response = older.request(method, path, json=body() if method in ("POST", "PATCH") else None)
            assert error(response) == (404, "NOT_FOUND"), (method, path)
            assert response.json()["error"]["message"] == f"No such endpoint: {method} {path}"  # as any unknown path
    assert api.get(f"/backup-schedules/{schedule['schedule_id']}").status_code == 200  # untouched


def test_a_plan_without_scheduled_backups_is_403_on_create_and_update(emulator, index, api):
    schedule = create(api)
    faults(api, schedules_in_plan=False)
    refused = api.post(f"/indexes/{index}/backup-schedules", json=body(name="another"))
    assert error(refused) == (403, "PERMISSION_DENIED")
    assert refused.json()["error"]["message"] == "Scheduled backups are not available for your plan"
    assert error(api.patch(f"/backup-schedules/{schedule['schedule_id']}", json={"enabled": False})) == (
        403,
        "PERMISSION_DENIED",
    )
    assert error(api.patch("/backup-schedules/no-such-id", json={})) == (403, "PERMISSION_DENIED")  # plan first
    assert api.get(f"/backup-schedules/{schedule['schedule_id']}").json()["enabled"] is True


def test_every_api_call_is_counted_by_route(emulator, index, api):
    schedule = create(api)
    api.get(f"/backup-schedules/{schedule['schedule_id']}")
    api.get(f"/backup-schedules/{schedule['schedule_id']}")
    api.get("/backups/nothing")  # refused calls count too
    api.get("/no/such/path")
    api.delete("/indexes", headers={"Api-Key": ""})  # 401: counted under its route
    api.get("/_emulator/requests")  # hooks are not API calls
    assert api.get("/_emulator/counts").json() == {
        "POST /indexes/{index_name}/backup-schedules": 1,
        "GET /backup-schedules/{schedule_id}": 2,
        "GET /backups/{backup_id}": 1,
        "GET <unknown>": 1,
        "DELETE /indexes": 1,
    }
    assert emulator.state.request_log()[0].route == "/indexes/{index_name}/backup-schedules"
    api.post("/_emulator/reset")
    assert api.get("/_emulator/counts").json() == {}


def test_the_counts_outlive_the_request_log():
    with EmulatorServer(EmulatorState(log_size=3)) as server, client(server) as api:
        for _ in range(10):
            api.get("/indexes")
        assert len(server.state.request_log()) == 3
        assert api.get("/_emulator/counts").json() == {"GET /indexes": 10}


def test_the_cli_takes_day_length_and_log_size():
    command = [sys.executable, "-m", "pinecone_backup.emulator", "--day-length", "0.5", "--log-size", "2"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        url = process.stdout.readline().rsplit(" ", 1)[-1].strip()
        with httpx.Client(base_url=url, headers={"Api-Key": API_KEY, "X-Pinecone-Api-Version": "2026-07"}) as api:
            for _ in range(3):
                api.get("/indexes")
            assert api.post("/_emulator/faults", json={}).json()["day_length"] == 0.5
            assert len(api.get("/_emulator/requests").json()) == 2
            assert api.get("/_emulator/counts").json() == {"GET /indexes": 3}
    finally:
        process.terminate()
        process.wait(timeout=10)
