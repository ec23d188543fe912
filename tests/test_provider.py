"""The provider's lifecycle methods, called in-process against the emulator over HTTP."""

from __future__ import annotations

import threading

import pytest
from pulumi.output import Unknown
from pulumi.runtime.rpc import UNKNOWN

from pinecone_backup.api import PineconeError
from pinecone_backup.backup import BackupProvider
from pinecone_backup.core import credentials as _credentials
from pinecone_backup.core import polling as _polling
from support.emulator import INDEX, RECORDS, calls, eventually

FAST = {"poll_interval": 0.05, "ready_timeout": 30.0, "wait_for_ready": True}


def props(**overrides):
    return {"index_name": INDEX, "name": "nightly", "description": "before the migration", **FAST, **overrides}


@pytest.fixture
def provider(provider_env):
    return BackupProvider()


# -- check ------------------------------------------------------------------------------------


def failures_of(news):
    return {(f.property, f.reason) for f in BackupProvider().check({}, news).failures}


@pytest.mark.parametrize(
    ("news", "prop", "reason_part"),
    [
        ({}, "index_name", "is required"),
        ({"index_name": "Products"}, "index_name", "not a valid index name"),
        ({"index_name": "-products"}, "index_name", "not a valid index name"),
        ({"index_name": "products-"}, "index_name", "not a valid index name"),
        ({"index_name": "a" * 46}, "index_name", "not a valid index name"),
        ({"index_name": "under_score"}, "index_name", "not a valid index name"),
        ({"index_name": 42}, "index_name", "must be a string"),
        ({"index_name": "ok", "name": 5}, "name", "must be a string"),
        ({"index_name": "ok", "description": ["x"]}, "description", "must be a string"),
        ({"index_name": "ok", "ready_timeout": 0}, "ready_timeout", "number of seconds above 0"),
        ({"index_name": "ok", "ready_timeout": -5}, "ready_timeout", "number of seconds above 0"),
        ({"index_name": "ok", "ready_timeout": "1h"}, "ready_timeout", "number of seconds above 0"),
        ({"index_name": "ok", "ready_timeout": True}, "ready_timeout", "number of seconds above 0"),
        ({"index_name": "ok", "poll_interval": 0}, "poll_interval", "number of seconds above 0"),
        ({"index_name": "ok", "ready_timeout": float("nan")}, "ready_timeout", "number of seconds above 0"),
        ({"index_name": "ok", "ready_timeout": float("inf")}, "ready_timeout", "number of seconds above 0"),
        ({"index_name": "ok", "ready_timeout": 1e20}, "ready_timeout", "at most 604800"),
        ({"index_name": "ok", "poll_interval": float("nan")}, "poll_interval", "number of seconds above 0"),
        ({"index_name": "products\n"}, "index_name", "not a valid index name"),
        ({"index_name": "ok", "wait_for_ready": "yes"}, "wait_for_ready", "true or false"),
    ],
)
def test_check_names_the_property_and_the_fix(news, prop, reason_part):
    failures = failures_of(news)
    assert len(failures) == 1
    ((got_prop, reason),) = failures
    assert got_prop == prop and reason_part in reason


def test_check_accepts_valid_inputs_and_fills_defaults():
    result = BackupProvider().check({}, {"index_name": "a", "name": "n"})
    assert result.failures == []
    assert result.inputs == {
        "index_name": "a",
        "name": "n",
        "wait_for_ready": True,
        "ready_timeout": 3600.0,
        "poll_interval": 10.0,
    }
    assert failures_of({"index_name": "a" * 45}) == set()
    assert failures_of({"index_name": "0-9"}) == set()


def test_check_lets_unknown_values_through_during_preview():
    unknowns = {"index_name": UNKNOWN, "name": UNKNOWN, "description": UNKNOWN, "ready_timeout": UNKNOWN}
    assert failures_of(unknowns) == set()


def test_check_makes_no_api_call(emulator):
    BackupProvider().check({}, {"index_name": "bad name"})
    assert calls(emulator) == []


# -- diff -------------------------------------------------------------------------------------


def test_no_change_no_diff():
    olds = {**props(), "backup_id": "b1", "status": "Ready", "__provider": "old-pickle"}
    result = BackupProvider().diff("b1", olds, {**props(), "__provider": "old-pickle"})
    assert result.changes is False and result.replaces == []


def test_changed_provider_pickle_never_replaces():
    olds = {**props(), "backup_id": "b1", "__provider": "pickle-from-version-0.1"}
    result = BackupProvider().diff("b1", olds, {**props(), "__provider": "pickle-from-version-0.2"})
    assert result.changes is False and result.replaces == []


@pytest.mark.parametrize("key", ["index_name", "name", "description"])
def test_changed_backup_input_replaces(key):
    result = BackupProvider().diff("b1", props(), props(**{key: "changed"}))
    assert result.changes is True and result.replaces == [key]
    assert result.delete_before_replace is False  # the new backup exists before the old one goes


def test_unknown_backup_input_in_preview_is_a_replacement():
    result = BackupProvider().diff("b1", props(), props(description=UNKNOWN))
    assert result.replaces == ["description"]


def test_changed_wait_settings_are_no_change_at_all():
    # An update would make the engine preview this backup's outputs as unknown, and replace its restores.
    for change in ({"ready_timeout": 7200.0}, {"poll_interval": 1.0}, {"wait_for_ready": False}):
        result = BackupProvider().diff("b1", props(), props(**change))
        assert result.changes is False and result.replaces == []


def test_unknown_inputs_in_preview_pass_check_and_count_as_changes():
    news = props(index_name=Unknown(), description=Unknown())  # what the host hands over for computed inputs
    checked = BackupProvider().check({}, news)
    assert checked.failures == [] and isinstance(checked.inputs["index_name"], Unknown)
    result = BackupProvider().diff("b1", props(), news)
    assert result.changes is True and result.replaces == ["index_name", "description"]


# -- create -----------------------------------------------------------------------------------


def test_create_waits_until_ready_and_reports_every_field(provider, emulator, index, capsys):
    result = provider.create(props())
    outs = result.outs
    assert result.id == outs["backup_id"]
    assert outs["status"] == "Ready"
    assert outs["record_count"] == RECORDS and outs["namespace_count"] == 3 and outs["size_bytes"] > 0
    assert outs["dimension"] == 8 and outs["metric"] == "cosine"
    assert outs["source_index_name"] == INDEX and outs["source_index_id"]
    assert outs["cloud"] == "aws" and outs["region"] == "us-east-1" and outs["created_at"]
    assert outs["name"] == "nightly" and outs["description"] == "before the migration"

    made = calls(emulator)
    assert made[0] == ("POST", f"/indexes/{INDEX}/backups", 200)
    assert all(call[:2] == ("GET", f"/backups/{result.id}") for call in made[1:])
    progress = capsys.readouterr().err.splitlines()  # shown while waiting, state first
    assert any(line.startswith("Initializing 0s: backup ") for line in progress)
    assert progress[-1].startswith("Ready after ")


def test_create_without_waiting_returns_at_once(provider, emulator, index):
    outs = provider.create(props(wait_for_ready=False)).outs
    assert outs["status"] == "Initializing" and outs["record_count"] is None
    assert len(calls(emulator)) == 1


def test_failed_backup_is_deleted_and_named_in_the_error(provider, emulator, index):
    emulator.state.faults.fail_backups = True
    failed_then_deleted = (
        r"backup [0-9a-f]{8}… of products is InitializationFailed. The backup [0-9a-f-]{36} was deleted"
    )
    with pytest.raises(PineconeError, match=failed_then_deleted):
        provider.create(props())
    assert emulator.state.backups == {}


def test_timeout_deletes_the_backup_and_says_so(provider, emulator, index):
    emulator.state.faults.ready_delay = 30
    with pytest.raises(PineconeError, match=r"is Initializing after .*ready_timeout=0.3s.*deleted"):
        provider.create(props(ready_timeout=0.3))
    assert emulator.state.backups == {}


def test_cleanup_failure_names_the_backup_to_delete_by_hand(provider, emulator, index, monkeypatch):
    """The one fault the emulator cannot stage cheaply: a delete that keeps failing after retries."""
    emulator.state.faults.fail_backups = True

    def delete_fails(backup_id: str) -> None:
        raise PineconeError("service unavailable")

    monkeypatch.setattr(_credentials.client(), "delete_backup", delete_fails)
    with pytest.raises(PineconeError, match=r"could not be deleted.*delete backup [0-9a-f-]{36} by hand"):
        provider.create(props())


SEED = "org/project/dev/nightly"


def autonamed(**overrides):
    """A new backup's inputs after check, with no `name` given: the automatic name is settled."""
    news = {**props(name=None, name_seed=SEED), **overrides}
    checked = BackupProvider().check({}, {key: value for key, value in news.items() if value is not None})
    assert checked.failures == []
    return checked.inputs


def test_an_unset_name_becomes_a_name_of_this_resource_of_this_stack():
    name = autonamed()["name"]
    assert name.startswith("nightly-") and len(name) == len("nightly-") + 8
    assert autonamed()["name"] == name  # the same resource asks for the same name, run after run
    assert autonamed(name_seed="org/project/prod/nightly")["name"] != name  # another stack: another name
    assert autonamed(description="after")["name"] != name  # a replacement: a new name beside the old
    assert autonamed(name="chosen")["name"] == "chosen"
    long_name = autonamed(name_seed="o/p/s/" + "X_" * 40)["name"]
    assert len(long_name) <= 45 and long_name == long_name.lower()


def test_changed_triggers_replace_the_backup_and_name_a_new_one():
    olds = {**autonamed(triggers={"migration": "1"}), "backup_id": "b1", "status": "Ready"}
    news = autonamed(triggers={"migration": "2"})
    assert BackupProvider().diff("b1", olds, news).replaces == ["name", "triggers"]
    assert news["name"] != olds["name"]
    assert BackupProvider().diff("b1", olds, autonamed(triggers={"migration": "1"})).changes is False


def test_an_automatic_name_is_unknown_while_what_it_is_made_of_is():
    inputs = BackupProvider().check({}, {**props(name=None, name_seed=SEED), "description": Unknown()}).inputs
    assert inputs["name"] == UNKNOWN


def test_a_backup_an_earlier_release_made_unnamed_keeps_no_name():
    old_inputs = props(name=None)  # in state: no name, no seed
    inputs = BackupProvider().check(old_inputs, {**props(name=None), "name_seed": SEED}).inputs
    assert inputs.get("name") is None
    assert BackupProvider().diff("b1", {**old_inputs, "status": "Ready"}, inputs).changes is False


def test_lost_create_answer_adopts_the_backup_whose_name_proves_it_ours(provider, emulator, index):
    emulator.state.faults.lose_create_responses = 1
    outs = provider.create(autonamed()).outs
    assert list(emulator.state.backups) == [outs["backup_id"]]
    assert outs["status"] == "Ready"
    posts = [call for call in calls(emulator) if call[0] == "POST"]
    assert posts == [("POST", f"/indexes/{INDEX}/backups", 500)]  # adopted, not made twice


def test_lost_create_answer_with_a_chosen_name_is_never_adopted_on_a_guess(provider, emulator, index):
    emulator.state.faults.lose_create_responses = 1
    with pytest.raises(PineconeError, match=r"backups so named were made meanwhile \([0-9a-f-]{36}\).*import_"):
        provider.create(props())
    assert len(emulator.state.backups) == 1  # not a second one either


def test_two_stacks_with_the_same_unnamed_backup_each_keep_their_own(provider, emulator, index):
    first = provider.create(autonamed(name_seed="org/project/a/nightly")).outs
    emulator.state.faults.lose_create_responses = 1
    second = provider.create(autonamed(name_seed="org/project/b/nightly")).outs
    assert first["backup_id"] != second["backup_id"] and first["name"] != second["name"]
    assert set(emulator.state.backups) == {first["backup_id"], second["backup_id"]}


def test_create_adopts_the_backup_an_interrupted_run_made(provider, emulator, index):
    inputs = autonamed()
    left = emulator.state.create_backup(INDEX, {"name": inputs["name"], "description": inputs["description"]})
    outs = provider.create(inputs).outs
    assert outs["backup_id"] == left.backup_id and outs["status"] == "Ready"
    assert [call for call in calls(emulator) if call[0] == "POST"] == []


# Two stacks of the same organization/project/stack names in two self-managed backends: all that
# tells them apart is their secrets provider's key material (`stack_instance`).
SELF_MANAGED = {"name_seed": "organization/project/dev/nightly"}


def test_stacks_of_the_same_names_in_two_backends_name_their_backups_apart():
    first = autonamed(**SELF_MANAGED, stack_instance="instance-a")["name"]
    assert autonamed(**SELF_MANAGED, stack_instance="instance-a")["name"] == first  # run after run
    assert autonamed(**SELF_MANAGED, stack_instance="instance-b")["name"] != first
    assert autonamed(**SELF_MANAGED)["name"] != first


@pytest.mark.parametrize(
    ("leftover_by", "ours"),
    [
        ("instance-a", True),  # this stack's own interrupted run
        ("instance-b", False),  # the same names in another backend: never taken over
        (None, False),  # a self-managed backend's stack without key material proves nothing
    ],
)
def test_only_this_stack_instance_adopts_what_an_interrupted_run_left(provider, emulator, index, leftover_by, ours):
    left_inputs = autonamed(**SELF_MANAGED, stack_instance=leftover_by)
    left = emulator.state.create_backup(INDEX, {"name": left_inputs["name"], "description": left_inputs["description"]})
    inputs = autonamed(**SELF_MANAGED, stack_instance=leftover_by if ours else "instance-a")
    outs = provider.create(inputs).outs
    assert (outs["backup_id"] == left.backup_id) is ours
    assert left.backup_id in emulator.state.backups  # another's is left alone


def test_a_lost_answer_is_adopted_only_with_the_stack_instances_proof(provider, emulator, index):
    emulator.state.faults.lose_create_responses = 1
    with pytest.raises(PineconeError, match=r"backups so named were made meanwhile"):
        provider.create(autonamed(**SELF_MANAGED))  # no key material: the name proves nothing
    emulator.state.faults.lose_create_responses = 1
    outs = provider.create(autonamed(**SELF_MANAGED, stack_instance="instance-a")).outs
    assert outs["status"] == "Ready"


def test_create_replaces_a_failed_backup_an_interrupted_run_made(provider, emulator, index):
    inputs = autonamed()
    emulator.state.faults.fail_backups = True
    left = emulator.state.create_backup(INDEX, {"name": inputs["name"]})
    emulator.state.faults.fail_backups = False
    eventually(lambda: _credentials.client().describe_backup(left.backup_id).is_failed)
    outs = provider.create(inputs).outs
    assert outs["backup_id"] != left.backup_id and list(emulator.state.backups) == [outs["backup_id"]]


@pytest.mark.parametrize(
    ("status", "wait_for_ready", "exists", "expected"),
    [
        ("Initializing", True, True, (True, [])),  # recorded by a cancelled run: an update waits for it
        ("Initializing", True, False, (True, ["status"])),  # and gone since: made again
        ("Initializing", False, True, (False, [])),  # the program does not wait: nothing to do
        ("Failed", True, True, (True, ["status"])),  # a failed backup is replaced
        ("Ready", True, True, (False, [])),
    ],
)
def test_diff_finishes_what_a_cancelled_run_recorded(
    provider, emulator, index, status, wait_for_ready, exists, expected
):
    backup_id = emulator.state.create_backup(INDEX, {"name": "nightly"}).backup_id
    if not exists:
        emulator.state.delete_backup(backup_id)
    olds = {**props(), "backup_id": backup_id, "status": status}
    result = provider.diff(backup_id, olds, props(wait_for_ready=wait_for_ready))
    assert (result.changes, result.replaces) == expected


@pytest.fixture
def cancellable():
    """The process-wide cancellation, cleared again afterwards (a provider host cancels once)."""
    yield _polling.cancel
    _polling.CANCELLED.clear()


def test_cancelled_wait_records_the_backup_as_it_is(provider, emulator, index, cancellable):
    emulator.state.faults.ready_delay = 3.0
    threading.Timer(0.3, cancellable).start()
    outs = provider.create(props()).outs
    assert outs["status"] == "Initializing" and list(emulator.state.backups) == [outs["backup_id"]]

    _polling.CANCELLED.clear()  # the next `up`: a new provider host
    updated = provider.update(outs["backup_id"], outs, props()).outs
    assert updated["status"] == "Ready" and updated["backup_id"] == outs["backup_id"]


def test_creates_of_one_index_share_one_look_for_leftovers(provider, emulator, index):
    """The look for a backup an interrupted run left is one listing per index and `up`, not one per
    backup: 1000 backups of an index would otherwise list its pages 1000 times."""
    for stack in ("a", "b", "c"):
        provider.create(autonamed(name_seed=f"org/project/{stack}/nightly", wait_for_ready=False))
    assert calls(emulator, "GET", f"/indexes/{INDEX}/backups") == [("GET", f"/indexes/{INDEX}/backups", 200)]
    assert len(emulator.state.backups) == 3


def test_waiting_for_a_recorded_backup_that_is_gone_says_to_refresh(provider, emulator, index):
    outs = provider.create(props(wait_for_ready=False)).outs
    emulator.state.delete_backup(outs["backup_id"])
    with pytest.raises(PineconeError, match=r"no longer exists .*Run `pulumi refresh` to drop it"):
        provider.update(outs["backup_id"], outs, props())
