"""The provider's lifecycle methods, called in-process against the emulator over HTTP."""

from __future__ import annotations

import pytest
from pulumi.dynamic import Config, ConfigureRequest
from pulumi.output import Unknown
from pulumi.runtime.rpc import UNKNOWN

from pinecone_backup import _credentials
from pinecone_backup.api import PineconeError
from pinecone_backup.backup import BackupProvider
from support.emulator import API_KEY, INDEX, RECORDS, calls

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
    assert made[0] == ("POST", f"/indexes/{INDEX}/backups", 201)
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
    failed_then_deleted = r"backup [0-9a-f]{8}… of products is Failed. The backup [0-9a-f-]{36} was deleted"
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


def test_lost_create_answer_adopts_the_backup_instead_of_orphaning_it(provider, emulator, index):
    emulator.state.faults.lose_create_responses = 1
    outs = provider.create(props()).outs
    assert list(emulator.state.backups) == [outs["backup_id"]]
    assert outs["status"] == "Ready"
    made = calls(emulator)
    assert made[:2] == [("POST", f"/indexes/{INDEX}/backups", 500), ("GET", f"/indexes/{INDEX}/backups", 200)]


def test_create_retries_a_503_that_created_nothing(provider, emulator, index):
    emulator.state.faults.update({"server_errors_next": 1})
    outs = provider.create(props()).outs
    assert list(emulator.state.backups) == [outs["backup_id"]]
    assert [status for method, _, status in calls(emulator, "POST")] == [503, 201]


def test_missing_index_is_a_clear_error(provider, emulator):
    with pytest.raises(PineconeError, match=r"index_name: no index named 'ghost'"):
        provider.create(props(index_name="ghost"))


def test_missing_api_key_names_both_ways(emulator, monkeypatch):
    monkeypatch.delenv("PINECONE_API_KEY", raising=False)
    _credentials.reset()
    with pytest.raises(PineconeError, match=r"pinecone:apiKey.*PINECONE_API_KEY"):
        BackupProvider().create(props())
    assert calls(emulator) == []


def test_stack_config_key_wins_over_the_environment(provider_env, index, monkeypatch):
    monkeypatch.setenv("PINECONE_API_KEY", "pcsk_wrong")
    provider = BackupProvider()
    provider.configure(ConfigureRequest(Config({"pinecone:apiKey": API_KEY}, project_name="test")))
    assert provider.create(props(wait_for_ready=False)).outs["status"] == "Initializing"


# -- read and delete --------------------------------------------------------------------------


def test_read_refreshes_outputs(provider, emulator, index):
    created = provider.create(props(wait_for_ready=False))
    emulator.state.faults.ready_delay = 0
    emulator.state.backups[created.id].ready_at = 0
    read = provider.read(created.id, created.outs)
    assert read.id == created.id
    assert read.outs["status"] == "Ready" and read.outs["record_count"] == RECORDS
    assert read.outs["ready_timeout"] == FAST["ready_timeout"]


def test_read_after_out_of_band_delete_drops_the_resource(provider, emulator, index):
    created = provider.create(props())
    del emulator.state.backups[created.id]
    read = provider.read(created.id, created.outs)
    assert read.id == "" and read.outs == {}


def test_read_of_a_bare_id_fills_inputs_from_the_backup(provider, emulator, index):
    created = provider.create(props())
    read = provider.read(created.id, {"index_name": None, "name": None})
    assert read.outs["index_name"] == INDEX and read.outs["name"] == "nightly"


def test_delete_twice_is_fine(provider, emulator, index):
    created = provider.create(props())
    provider.delete(created.id, created.outs)
    provider.delete(created.id, created.outs)
    assert emulator.state.backups == {}
    assert [status for _, _, status in calls(emulator, "DELETE")] == [202, 404]
