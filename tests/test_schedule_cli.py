"""examples/schedule through the plain Pulumi CLI, as a user types it, against the emulator with
an accelerated clock (a schedule day lasts DAY seconds): preview, up, in-place changes, a pause,
runs that make backups and expire them, a replacement, the one-enabled-schedule rule, drift,
an out-of-band delete, and destroy (which keeps the backups)."""

from __future__ import annotations

import re

import pytest

from support.cli import SCHEDULE_TYPE, STACK_TYPE, diff_blocks
from support.emulator import API_KEY, INDEX, calls, create_index, eventually

pytestmark = [pytest.mark.timeout(600), pytest.mark.engine]

DAY = 2.0  # seconds a schedule day lasts in the emulator
OTHER_INDEX = "reviews"


def blocks(diff: str) -> set[tuple[str, str, str]]:
    return {block for block in diff_blocks(diff) if block[1] != STACK_TYPE}


def test_a_schedule_through_the_cli(open_project, emulator, index, client):
    emulator.state.faults.update({"day_length": DAY, "ready_delay": 0.2})
    project = open_project("schedule")
    project.init({"indexName": INDEX, "retentionDays": "1"}, secrets={"pinecone:apiKey": API_KEY})

    # A new stack's preview: one create, its name already settled; the one Pinecone call is the
    # program's look-up of what the schedule made (look-ups run in previews too).
    plan = project.preview_json()
    assert plan.ops() == {"nightly": {"create"}}
    assert plan.step("nightly").inputs["name"].startswith("nightly-")
    assert calls(emulator) == [("GET", f"/indexes/{INDEX}/backups", 200)]

    # `up`: the schedule in Pinecone is the one in state and outputs.
    project.run("up", "--yes")
    outputs = project.outputs()
    (schedule,) = client.list_backup_schedules(INDEX)
    schedule_id, name = schedule.schedule_id, schedule.name
    assert project.ids_in_state(SCHEDULE_TYPE) == {schedule_id}
    assert (outputs["schedule_id"], outputs["schedule_name"], outputs["frequency"]) == (schedule_id, name, "daily")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT06:00:00(\.0+)?(Z|\+00:00)", outputs["next_scheduled_run"])

    # Runs make backups named after the schedule; a day later (retention 1) each is deleted.
    seen: set[str] = set()

    def made() -> set[str]:
        current = {b.name or "" for b in client.list_backups(INDEX) if (b.name or "").startswith(f"{name}-")}
        seen.update(current)
        return current

    eventually(lambda: bool(made()), timeout=4 * DAY)
    first = min(seen)
    assert re.fullmatch(rf"{name}-\d{{8}}T\d{{6}}Z", first)
    eventually(lambda: first not in made() and len(seen) >= 2, timeout=4 * DAY)

    # A new frequency and retention: an update in place, the same schedule.
    project.run("config", "set-all", "--plaintext", "frequency=weekly", "--plaintext", "retentionDays=30")
    diff = project.run("preview", "--diff").stdout
    assert blocks(diff) == {("update", SCHEDULE_TYPE, "nightly")}, diff
    assert re.search(r'~ frequency\s*: "daily" => "weekly"', diff), diff
    emulator.state.requests.clear()
    project.run("up", "--yes")
    assert [call for call in calls(emulator) if call[0] != "GET"] == [
        ("PATCH", f"/backup-schedules/{schedule_id}", 200)
    ]
    now = client.describe_backup_schedule(schedule_id)
    assert (now.frequency, now.retention_expire_after_days) == ("weekly", 30)
    outputs = project.outputs()
    latest = outputs["latest_backup_name"]  # the look-up found the newest the schedule made
    assert re.fullmatch(rf"{name}-\d{{8}}T\d{{6}}Z", latest) and latest >= max(seen)

    # Paused, then enabled again: in place both times.
    project.run("config", "set", "enabled", "false")
    project.run("up", "--yes")
    assert client.describe_backup_schedule(schedule_id).enabled is False
    assert project.outputs().get("next_scheduled_run") is None  # null outputs are not listed
    project.run("config", "set", "enabled", "true")
    project.run("up", "--yes")
    assert client.describe_backup_schedule(schedule_id).enabled is True

    # Changed outside Pulumi: a refreshing preview shows the drift, the next `up` sets it back.
    client.update_backup_schedule(schedule_id, frequency="monthly")
    diff = project.run("preview", "--refresh", "--diff").stdout
    assert re.search(r'~ frequency\s*: "monthly" => "weekly"', diff), diff
    project.run("up", "--refresh", "--yes")
    assert client.describe_backup_schedule(schedule_id).frequency == "weekly"

    # Another index with an enabled schedule made by hand: `up` fails naming it and the way out,
    # and the stack's schedule is untouched (the new one would be made first, on another index).
    create_index(emulator, OTHER_INDEX)
    other = client.create_backup_schedule(OTHER_INDEX, name="hand-made", frequency="daily", retention_days=3)
    project.run("config", "set", "indexName", OTHER_INDEX)
    failed = project.run("up", "--yes", check=False)
    assert failed.returncode != 0
    assert f"already has an enabled backup schedule, 'hand-made' (id {other.schedule_id}" in failed.stdout
    assert f"import_={other.schedule_id!r}" in failed.stdout
    assert project.ids_in_state(SCHEDULE_TYPE) == {schedule_id}
    project.run("config", "set", "indexName", INDEX)

    # A new name: a replacement. Two enabled schedules on one index would collide, so the old one
    # is deleted first, then the new one made: the index is without one for one round trip.
    project.run("config", "set", "scheduleName", "renamed")
    diff = project.run("preview", "--diff").stdout
    assert blocks(diff) == {("replace", SCHEDULE_TYPE, "nightly")}, diff
    assert re.search(r'~ name\s*: "nightly-[0-9a-f]{8}" => "renamed"', diff), diff
    emulator.state.requests.clear()
    project.run("up", "--yes")
    writes = [call for call in calls(emulator) if call[0] != "GET"]
    assert writes == [
        ("DELETE", f"/backup-schedules/{schedule_id}", 204),
        ("POST", f"/indexes/{INDEX}/backup-schedules", 200),
    ]
    (renamed,) = client.list_backup_schedules(INDEX)
    assert renamed.name == "renamed" and project.ids_in_state(SCHEDULE_TYPE) == {renamed.schedule_id}

    # Deleted outside Pulumi: refresh drops it, and the next `up` makes it again.
    client.delete_backup_schedule(renamed.schedule_id)
    project.run("refresh", "--yes")
    assert project.ids_in_state(SCHEDULE_TYPE) == set()
    assert project.preview_json().ops() == {"nightly": {"create"}}
    project.run("up", "--yes")
    (again,) = client.list_backup_schedules(INDEX)

    # destroy: the schedule goes, the backups it made stay (until their retention ends).
    eventually(
        lambda: any(b.name and b.name.startswith("renamed-") for b in client.list_backups(INDEX)), timeout=4 * DAY
    )
    project.run("destroy", "--yes")
    assert list(client.list_backup_schedules(INDEX)) == []
    assert any(b.name and b.name.startswith("renamed-") for b in client.list_backups(INDEX))
    assert again.schedule_id not in project.ids_in_state(SCHEDULE_TYPE)
    project.run("stack", "rm", "--yes", project.stack)
    assert API_KEY not in "\n".join(project.output)
