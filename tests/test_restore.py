"""Restoring an index from a backup: the client, the emulator and the IndexFromBackup provider."""

from __future__ import annotations

import pytest

from pinecone_backup.api import AlreadyExistsError, NotFoundError, PineconeError, PreconditionFailedError
from pinecone_backup.provider import BackupProvider
from pinecone_backup.restore_provider import IndexFromBackupProvider

from conftest import INDEX, RECORDS, calls

FAST = {"poll_interval": 0.05, "ready_timeout": 30.0, "wait_for_ready": True}


@pytest.fixture
def ready_backup(emulator, index):
    emulator.state.faults.update({"ready_delay": 0, "restore_delay": 0.4})
    return emulator.state.create_backup(index, {"name": "nightly"}).backup_id


@pytest.fixture
def provider(provider_env):
    return IndexFromBackupProvider()


def restore_props(backup_id: str, **overrides):
    return {"backup_id": backup_id, "name": "restored", "deletion_protection": "disabled", **FAST, **overrides}


# -- the wire ---------------------------------------------------------------------------------


def test_client_restores_and_reports_progress(client, emulator, ready_backup):
    started = client.create_index_from_backup(ready_backup, name="restored", tags={"team": "search"})
    job = client.describe_restore_job(started.restore_job_id)
    assert job.backup_id == ready_backup and job.target_index_name == "restored"
    assert job.status in ("Pending", "Running") and 0 <= (job.percent_complete or 0) < 100
    assert client.describe_index("restored").status.ready is False
    assert calls(emulator, "POST")[0] == ("POST", f"/backups/{ready_backup}/create-index", 202)


@pytest.mark.parametrize(
    ("setup", "error"),
    [
        (lambda state, backup: None, AlreadyExistsError),  # the name of the source index is taken
        (lambda state, backup: state.delete_backup(backup), NotFoundError),
    ],
)
def test_restore_errors(client, emulator, ready_backup, setup, error):
    setup(emulator.state, ready_backup)
    with pytest.raises(error):
        client.create_index_from_backup(ready_backup, name=INDEX)


def test_restore_of_an_initializing_backup_is_412(client, emulator, index):
    emulator.state.faults.ready_delay = 30
    backup = emulator.state.create_backup(index, {}).backup_id
    with pytest.raises(PreconditionFailedError, match="not ready"):
        client.create_index_from_backup(backup, name="restored")


def test_backup_with_a_pending_restore_cannot_be_deleted(client, emulator, ready_backup, provider_env):
    client.create_index_from_backup(ready_backup, name="restored")
    with pytest.raises(PreconditionFailedError, match="pending restore jobs"):
        client.delete_backup(ready_backup)
    with pytest.raises(PineconeError, match=r"while a restore from it is pending.*Wait for the restore job"):
        BackupProvider().delete(ready_backup, {})
    assert ready_backup in emulator.state.backups


def test_configure_index_changes_protection_and_tags(client, emulator, ready_backup):
    emulator.state.faults.restore_delay = 0
    client.create_index_from_backup(ready_backup, name="restored", tags={"a": "1", "b": "2"})
    index = client.configure_index("restored", deletion_protection="enabled", tags={"a": "", "c": "3"})
    assert index.deletion_protection == "enabled" and index.tags == {"b": "2", "c": "3"}


# -- the provider -----------------------------------------------------------------------------


def test_create_waits_for_the_restore_and_the_index(provider, emulator, ready_backup, capsys):
    result = provider.create(restore_props(ready_backup, tags={"team": "search"}))
    outs = result.outs
    assert result.id == "restored"
    assert outs["restore_status"] == "Completed" and outs["percent_complete"] == 100.0 and outs["completed_at"]
    assert outs["index_id"] == emulator.state.indexes["restored"].id and outs["restore_job_id"]
    assert outs["host"] and outs["dimension"] == 8 and outs["metric"] == "cosine"
    restored = emulator.state.indexes["restored"]
    assert restored.record_count == RECORDS and restored.tags == {"team": "search"}
    assert "Completed 100% after" in capsys.readouterr().err


@pytest.mark.parametrize("protection", ["disabled", "enabled"])
def test_failed_restore_leaves_no_index_behind(provider, emulator, ready_backup, protection):
    emulator.state.faults.fail_restores = True
    with pytest.raises(PineconeError, match=r"is Failed.*index restored was deleted"):
        provider.create(restore_props(ready_backup, deletion_protection=protection))
    assert "restored" not in emulator.state.indexes


def test_restore_timeout_leaves_no_index_behind(provider, emulator, ready_backup):
    emulator.state.faults.restore_delay = 30
    with pytest.raises(PineconeError, match=r"is Pending \d+% after .*ready_timeout=0.3s.*deleted"):
        provider.create(restore_props(ready_backup, ready_timeout=0.3))
    assert "restored" not in emulator.state.indexes


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({"name": INDEX}, r"name: an index named 'products' already exists"),
        ({"backup_id": "no-such-backup"}, r"backup_id: no backup with id 'no-such-backup'"),
    ],
)
def test_create_errors_name_the_property(provider, emulator, ready_backup, props, message):
    with pytest.raises(PineconeError, match=message):
        provider.create({**restore_props(ready_backup), **props})


def test_create_from_a_backup_that_is_not_ready_says_what_to_do(provider, emulator, index):
    emulator.state.faults.ready_delay = 30
    backup = emulator.state.create_backup(index, {}).backup_id
    with pytest.raises(PineconeError, match=r"backup_id: .* is not Ready.*backup.backup_id"):
        provider.create(restore_props(backup))


def test_read_drops_an_index_deleted_outside_pulumi(provider, emulator, ready_backup):
    created = provider.create(restore_props(ready_backup))
    emulator.state.delete_index("restored")
    assert provider.read(created.id, created.outs).id == ""


def test_delete_with_deletion_protection_says_how_to_proceed(provider, emulator, ready_backup):
    created = provider.create(restore_props(ready_backup, deletion_protection="enabled"))
    with pytest.raises(PineconeError, match=r"deletion protection enabled.*deletion_protection='disabled'.*pulumi up"):
        provider.delete(created.id, created.outs)
    assert "restored" in emulator.state.indexes


def test_update_lifts_protection_in_place_then_delete_works(provider, emulator, ready_backup):
    created = provider.create(restore_props(ready_backup, deletion_protection="enabled", tags={"a": "1"}))
    news = restore_props(ready_backup, deletion_protection="disabled", tags={"b": "2"})
    diff = provider.diff(created.id, created.outs, news)
    assert diff.changes and diff.replaces == []
    updated = provider.update(created.id, created.outs, news).outs
    assert updated["deletion_protection"] == "disabled" and updated["tags"] == {"b": "2"}
    assert emulator.state.indexes["restored"].tags == {"b": "2"}
    provider.delete(created.id, updated)
    assert "restored" not in emulator.state.indexes


def test_diff_replaces_on_backup_or_name_and_orders_the_replacement():
    olds = restore_props("b1")
    same_name = IndexFromBackupProvider().diff("restored", olds, restore_props("b2"))
    assert same_name.replaces == ["backup_id"] and same_name.delete_before_replace is True
    new_name = IndexFromBackupProvider().diff("restored", olds, restore_props("b2", name="restored-2"))
    assert set(new_name.replaces) == {"backup_id", "name"} and new_name.delete_before_replace is False
    assert IndexFromBackupProvider().diff("restored", olds, restore_props("b1")).changes is False


@pytest.mark.parametrize(
    ("news", "prop"),
    [
        ({"name": "restored"}, "backup_id"),
        ({"backup_id": "b1"}, "name"),
        ({"backup_id": "b1", "name": "Bad_Name"}, "name"),
        ({"backup_id": "b1", "name": "ok", "deletion_protection": "on"}, "deletion_protection"),
        ({"backup_id": "b1", "name": "ok", "tags": {"a": 1}}, "tags"),
        ({"backup_id": "b1", "name": "ok", "ready_timeout": 0}, "ready_timeout"),
    ],
)
def test_check_names_the_property(news, prop):
    failures = IndexFromBackupProvider().check({}, news).failures
    assert [failure.property for failure in failures] == [prop]
