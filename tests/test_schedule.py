"""`BackupSchedule`'s provider, called in-process against the emulator over HTTP, and the
schedule look-ups. The same lifecycle through the plain CLI is in test_schedule_cli.py."""

from __future__ import annotations

import pytest
from pulumi.runtime.rpc import UNKNOWN

from pinecone_backup import NoMatchingBackupError, latest_scheduled_backup, schedule_history
from pinecone_backup.api import PineconeError
from pinecone_backup.schedule import BackupScheduleProvider
from support.emulator import INDEX, calls, eventually

SEED = "org/project/dev/nightly"
OTHER_INDEX = "reviews"


def checked(olds=None, **inputs):
    """The inputs `check` settles on, for a program declaring a schedule of INDEX."""
    news = {"index_name": INDEX, "retention_days": 7, "name_seed": SEED, **inputs}
    result = BackupScheduleProvider().check(
        olds or {}, {key: value for key, value in news.items() if value is not None}
    )
    assert result.failures == []
    return result.inputs


@pytest.fixture
def provider(provider_env, index):
    return BackupScheduleProvider()


def schedules(client, index_name=INDEX):
    return {found.name: found for found in client.list_backup_schedules(index_name)}


def test_create_makes_an_enabled_schedule_named_for_this_resource(provider, client, emulator):
    created = provider.create(checked())
    outs = created.outs
    assert outs["name"].startswith("nightly-") and len(outs["name"]) == len("nightly-") + 8
    assert created.id == outs["schedule_id"]
    assert schedules(client) == {outs["name"]: client.describe_backup_schedule(created.id)}
    assert (outs["frequency"], outs["retention_days"], outs["enabled"]) == ("daily", 7, True)
    assert outs["next_scheduled_run"] and outs["created_at"]
    assert outs["index_id"] == emulator.state.indexes[INDEX].id and outs["schedule_type"] == "time-based"


def test_a_paused_schedule_is_created_paused(provider, client):
    outs = provider.create(checked(enabled=False)).outs
    assert outs["enabled"] is False and outs["next_scheduled_run"] is None
    assert client.describe_backup_schedule(outs["schedule_id"]).enabled is False


def test_frequency_retention_and_enabled_change_in_place(provider, client, emulator):
    olds = provider.create(checked()).outs
    news = checked(olds, frequency="weekly", retention_days=30)
    diff = provider.diff(olds["schedule_id"], olds, news)
    assert diff.changes and diff.replaces == []
    emulator.state.requests.clear()
    outs = provider.update(olds["schedule_id"], olds, news).outs
    assert (outs["frequency"], outs["retention_days"], outs["schedule_id"]) == ("weekly", 30, olds["schedule_id"])
    assert [call for call in calls(emulator) if call[0] != "GET"] == [
        ("PATCH", f"/backup-schedules/{olds['schedule_id']}", 200)
    ]
    paused = provider.update(
        olds["schedule_id"], outs, checked(outs, frequency="weekly", retention_days=30, enabled=False)
    )
    assert paused.outs["enabled"] is False and paused.outs["next_scheduled_run"] is None
    assert (
        provider.diff(
            olds["schedule_id"], paused.outs, checked(paused.outs, frequency="weekly", retention_days=30, enabled=False)
        ).changes
        is False
    )


def test_a_new_name_replaces_deleting_the_enabled_old_schedule_first():
    olds = {**checked(name="nightly"), "enabled": True, "schedule_id": "s1"}
    provider = BackupScheduleProvider()
    renamed = provider.diff("s1", olds, checked(olds, name="daily"))
    assert renamed.replaces == ["name"] and renamed.delete_before_replace is True  # two enabled would collide
    paused = provider.diff("s1", {**olds, "enabled": False}, checked(olds, name="daily", enabled=False))
    assert paused.delete_before_replace is False  # a paused old one does not collide: new first
    moved = provider.diff("s1", olds, checked(olds, index_name=OTHER_INDEX))
    assert moved.replaces == ["index_name", "name"] and moved.delete_before_replace is False
    unknown = provider.diff("s1", olds, checked(olds, index_name=UNKNOWN))
    assert unknown.delete_before_replace is True  # it may be the same index


def test_the_replacement_order_never_meets_the_one_enabled_schedule_rule(provider, client):
    """What the engine does with delete_before_replace: delete the old, then create the new."""
    olds = provider.create(checked(name="nightly")).outs
    news = checked(olds, name="daily")
    assert provider.diff(olds["schedule_id"], olds, news).delete_before_replace
    provider.delete(olds["schedule_id"], olds)
    outs = provider.create(news).outs
    assert set(schedules(client)) == {"daily"} and outs["enabled"]


def test_an_enabled_schedule_made_outside_the_stack_is_named_with_the_way_out(provider, client):
    other = client.create_backup_schedule(INDEX, name="hand-made", frequency="weekly", retention_days=3)
    with pytest.raises(PineconeError) as raised:
        provider.create(checked())
    message = str(raised.value)
    assert message.startswith("index_name: index 'products' already has an enabled backup schedule, 'hand-made'")
    assert other.schedule_id in message and f"import_={other.schedule_id!r}" in message
    assert "disable or delete it" in message
    assert set(schedules(client)) == {"hand-made"}  # nothing made, nothing left


def test_enabling_while_another_is_enabled_names_it(provider, client):
    olds = provider.create(checked(enabled=False)).outs
    other = client.create_backup_schedule(INDEX, name="hand-made", frequency="daily", retention_days=3)
    with pytest.raises(PineconeError, match=rf"'hand-made' \(id {other.schedule_id}.*refuses to enable schedule"):
        provider.update(olds["schedule_id"], olds, checked(olds))
    assert client.describe_backup_schedule(olds["schedule_id"]).enabled is False


def test_create_adopts_the_schedule_an_interrupted_run_made(provider, client, emulator):
    inputs = checked(frequency="weekly")
    left = client.create_backup_schedule(INDEX, name=inputs["name"], frequency="daily", retention_days=7)
    outs = provider.create(inputs).outs
    assert outs["schedule_id"] == left.schedule_id and outs["frequency"] == "weekly"  # set to the program's
    assert len(schedules(client)) == 1


def test_import_adopts_a_schedule_and_sets_it_to_the_program(provider, client):
    existing = client.create_backup_schedule(INDEX, name="hand-made", frequency="daily", retention_days=3)
    inputs = checked(import_id=existing.schedule_id, retention_days=14)
    assert inputs.get("name") is None  # adopted under its own name
    outs = provider.create(inputs).outs
    assert (outs["schedule_id"], outs["name"], outs["retention_days"]) == (existing.schedule_id, "hand-made", 14)
    after = checked(outs, retention_days=14)  # `import_` dropped from the program, as Pulumi advises
    assert after["name"] == "hand-made"
    assert provider.diff(outs["schedule_id"], outs, after).changes is False


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        (
            {"import_id": "0b6bd3c6-0000-0000-0000-000000000000"},
            r"has no backup schedule with id .* \(it has 'hand-made'\)",
        ),
        ({"name": "other"}, r"is named 'hand-made', the program says 'other'.*Set name='hand-made'"),
    ],
)
def test_import_refuses_what_is_not_the_programs(provider, client, inputs, message):
    existing = client.create_backup_schedule(INDEX, name="hand-made", frequency="daily", retention_days=3)
    with pytest.raises(PineconeError, match=message):
        provider.create(checked(**{"import_id": existing.schedule_id, **inputs}))


def test_a_missing_index_is_named(provider_env, emulator):
    with pytest.raises(PineconeError, match=r"^index_name: no index named 'products' in this Pinecone project"):
        BackupScheduleProvider().create(checked())


def test_read_reports_drift_and_drops_a_deleted_schedule(provider, client):
    outs = provider.create(checked()).outs
    client.update_backup_schedule(outs["schedule_id"], frequency="monthly")  # changed outside Pulumi
    read = provider.read(outs["schedule_id"], outs)
    assert read.outs["frequency"] == "monthly"
    diff = provider.diff(outs["schedule_id"], read.outs, checked(read.outs))
    assert diff.changes and diff.replaces == []  # the next `up` sets it back in place
    client.delete_backup_schedule(outs["schedule_id"])
    assert provider.read(outs["schedule_id"], outs).id == ""  # refresh drops it


def test_deleting_the_index_deletes_its_schedule(provider, client, emulator):
    outs = provider.create(checked()).outs
    client.delete_index(INDEX)
    assert provider.read(outs["schedule_id"], outs).id == ""
    provider.delete(outs["schedule_id"], outs)  # already gone: no error


def test_runs_make_backups_that_expire_and_delete_keeps_them(provider, client, emulator):
    emulator.state.faults.update({"day_length": 1.0, "ready_delay": 0.1})
    outs = provider.create(checked(retention_days=2)).outs
    name = outs["name"]

    def made() -> list[str]:
        return sorted(b.name or "" for b in client.list_backups(INDEX) if (b.name or "").startswith(f"{name}-"))

    eventually(lambda: len(made()) >= 2, timeout=8)
    first = made()[0]
    latest = latest_scheduled_backup(INDEX, name)
    assert latest is not None and latest.status == "Ready" and latest.name in made()
    history = schedule_history(outs["schedule_id"])
    assert {row.name for row in history if row.status != "Scheduled"} >= {first}
    eventually(lambda: first not in made(), timeout=8)  # retention: Pinecone deletes it

    provider.delete(outs["schedule_id"], outs)
    assert schedules(client) == {}
    assert made()  # the backups it made stay after the schedule is gone


def test_no_scheduled_backup_yet_is_none_and_an_unknown_schedule_is_an_error(provider_env, index):
    assert latest_scheduled_backup(INDEX, "nightly") is None
    with pytest.raises(NoMatchingBackupError, match="no backup schedule with id 'nope'"):
        schedule_history("nope")


def test_a_scheduled_backup_is_told_from_one_of_a_schedule_with_a_longer_name(provider_env, emulator, index):
    for name in ("nightly-20261130T060000Z", "nightly-eu-20261201T060000Z", "nightly-20261129T060000Z"):
        emulator.state.create_backup(INDEX, {"name": name})
    eventually(lambda: latest_scheduled_backup(INDEX, "nightly") is not None)
    latest = latest_scheduled_backup(INDEX, "nightly")
    assert latest is not None and latest.name == "nightly-20261130T060000Z"


def test_a_lost_create_answer_adopts_the_schedule_its_name_proves_ours(provider, client, emulator):
    emulator.state.faults.lose_create_responses = 1
    outs = provider.create(checked()).outs
    assert list(schedules(client)) == [outs["name"]] and outs["schedule_id"] in emulator.state.schedules
    posts = [call for call in calls(emulator) if call[0] == "POST"]
    assert posts == [
        ("POST", f"/indexes/{INDEX}/backup-schedules", 500),
        ("POST", f"/indexes/{INDEX}/backup-schedules", 409),
    ]


def test_a_lost_create_answer_with_a_chosen_name_is_never_adopted_on_a_guess(provider, client, emulator):
    emulator.state.faults.lose_create_responses = 1
    with pytest.raises(PineconeError, match=r"already has an enabled backup schedule, 'chosen'.*import_="):
        provider.create(checked(name="chosen"))
    assert list(schedules(client)) == ["chosen"]  # one, not two
