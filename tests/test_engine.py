"""End to end through the real Pulumi engine: preview, up, refresh, import, destroy.

The engine is the CLI that scripts/install-pulumi provides (built from Go modules here);
state lives in a local file backend; Pinecone is the emulator.
"""

from __future__ import annotations

import base64

import pulumi
import pytest
from pulumi import automation as auto

from pinecone_backup import Backup
from support.emulator import API_KEY, INDEX, RECORDS, calls, create_index
from support.engine import BackupSpec, install_engine, new_stack

pytestmark = [pytest.mark.engine, pytest.mark.timeout(600)]

WRITES = ("POST", "DELETE", "PATCH", "PUT")


@pytest.fixture(scope="session")
def engine_bin():
    return install_engine()


@pytest.fixture
def make_stack(engine_bin, emulator, index, tmp_path):
    def make(*specs: BackupSpec):
        return new_stack(engine_bin, emulator, tmp_path, list(specs), API_KEY)

    return make


def writes(emulator) -> list[tuple[str, str, int]]:
    return [call for call in calls(emulator) if call[0] in WRITES]


def nightly(**overrides) -> BackupSpec:
    return BackupSpec(**{"resource_name": "nightly", "index_name": INDEX, "name": "nightly", **overrides})


def test_preview_of_a_new_stack_shows_the_backup_and_calls_nothing(make_stack, emulator):
    stack = make_stack(nightly())
    result = stack.preview()
    assert result.change_summary.get(auto.OpType.CREATE) == 2  # the stack and the backup
    assert stack.steps() == [("create", "nightly", [])]
    assert calls(emulator) == []


def test_up_creates_a_ready_backup_and_exports_its_outputs(make_stack, emulator):
    stack = make_stack(nightly())
    outputs = stack.up().outputs
    (backup_id,) = emulator.state.backups
    described = emulator.state.backups[backup_id].to_api(float("inf"))
    assert outputs["nightly.backup_id"].value == backup_id
    assert outputs["nightly.status"].value == "Ready"
    assert outputs["nightly.record_count"].value == RECORDS == described["record_count"]
    assert outputs["nightly.size_bytes"].value == described["size_bytes"]
    assert stack.backup_ids_in_state() == {backup_id}


def test_second_up_and_preview_change_nothing_and_call_nothing(make_stack, emulator):
    stack = make_stack(nightly())
    stack.up()
    emulator.state.requests.clear()
    preview = stack.preview()
    up = stack.up()
    assert preview.change_summary == {auto.OpType.SAME: 2}
    assert up.summary.resource_changes == {"same": 2}
    assert calls(emulator) == []


def test_changed_description_replaces_new_before_old(make_stack, emulator):
    stack = make_stack(nightly(description="v1"))
    stack.up()
    (old_id,) = emulator.state.backups

    stack.specs[0] = nightly(description="v2")
    emulator.state.requests.clear()
    preview = stack.preview()
    assert preview.change_summary.get(auto.OpType.REPLACE) == 1
    assert ("replace", "nightly", ["description"]) in stack.steps()
    assert writes(emulator) == []

    stack.up()
    (new_id,) = emulator.state.backups
    assert new_id != old_id and emulator.state.backups[new_id].description == "v2"
    assert writes(emulator) == [("POST", f"/indexes/{INDEX}/backups", 200), ("DELETE", f"/backups/{old_id}", 202)]


def test_backup_deleted_outside_pulumi_is_dropped_by_refresh_then_recreated(make_stack, emulator):
    stack = make_stack(nightly())
    stack.up()
    (old_id,) = emulator.state.backups
    emulator.state.delete_backup(old_id)  # someone deleted it in the console

    stack.refresh()
    assert stack.backup_ids_in_state() == set()
    stack.up()
    (new_id,) = emulator.state.backups
    assert new_id != old_id and stack.backup_ids_in_state() == {new_id}


def test_refresh_makes_one_get_per_backup(make_stack, emulator):
    stack = make_stack(nightly(), nightly(resource_name="weekly", name="weekly"))
    stack.up()
    emulator.state.requests.clear()
    stack.refresh()
    assert sorted(calls(emulator)) == sorted(("GET", f"/backups/{bid}", 200) for bid in emulator.state.backups)


@pytest.mark.parametrize(
    ("fault", "spec", "message"),
    [
        ({"fail_backups": True}, nightly(), "is InitializationFailed"),
        ({"ready_delay": 30}, nightly(ready_timeout=1.0), "is Initializing after"),
    ],
    ids=["failed-backup", "ready-timeout"],
)
def test_failed_up_leaves_no_backup_that_state_does_not_hold(make_stack, emulator, fault, spec, message):
    emulator.state.faults.update(fault)
    stack = make_stack(spec)
    with pytest.raises(auto.CommandError) as raised:
        stack.up()
    assert message in str(raised.value) and "deleted so that nothing is left behind" in str(raised.value)
    assert emulator.state.backups == {}
    assert stack.backup_ids_in_state() == set()


def test_import_adopts_an_existing_backup_without_creating_one(make_stack, emulator):
    existing = emulator.state.create_backup(INDEX, {"name": "hand-made"})
    stack = make_stack(nightly(name="hand-made", opts=lambda: pulumi.ResourceOptions(import_=existing.backup_id)))
    outputs = stack.up().outputs
    assert outputs["nightly.backup_id"].value == existing.backup_id
    assert writes(emulator) == []
    assert stack.backup_ids_in_state() == {existing.backup_id}

    stack.specs[0] = nightly(name="hand-made")  # drop import_ afterwards, as Pulumi advises
    assert stack.up().summary.resource_changes == {"same": 2}
    stack.destroy()
    assert emulator.state.backups == {}  # adopted means managed: destroy deletes it


def test_import_of_a_backup_that_does_not_match_fails_clearly(make_stack, emulator):
    create_index(emulator, "other")
    existing = emulator.state.create_backup("other", {})
    stack = make_stack(nightly(name=None, opts=lambda: pulumi.ResourceOptions(import_=existing.backup_id)))
    with pytest.raises(auto.CommandError, match=r"index_name is 'other', the program says 'products'"):
        stack.up()
    assert list(emulator.state.backups) == [existing.backup_id]  # not ours: left alone


def test_get_reads_an_existing_backup(make_stack, emulator):
    existing = emulator.state.create_backup(INDEX, {"name": "hand-made"})
    stack = make_stack()
    stack.stack.workspace.program = lambda: pulumi.export("status", Backup.get("ref", existing.backup_id).status)
    assert stack.up().outputs["status"].value == "Ready"
    assert calls(emulator) == [("GET", f"/backups/{existing.backup_id}", 200)]


# The provider as pinecone-backup 0.1 pickled it into state: the class by its 0.1 name.
PICKLE_OF_0_1 = "gASVMgAAAAAAAACMGHBpbmVjb25lX2JhY2t1cC5wcm92aWRlcpSMDkJhY2t1cFByb3ZpZGVylJOUKYGULg=="


def test_upgraded_package_reads_old_state_and_replaces_nothing(make_stack, emulator):
    stack = make_stack(nightly())
    stack.up()
    deployment = stack.stack.export_stack()
    assert b"pinecone_backup.provider" in base64.b64decode(PICKLE_OF_0_1)
    for resource in deployment.deployment["resources"]:
        if resource["type"].endswith("pinecone:Backup"):
            resource["inputs"]["__provider"] = PICKLE_OF_0_1
            resource["outputs"]["__provider"] = PICKLE_OF_0_1
    stack.stack.import_stack(deployment)

    emulator.state.requests.clear()
    preview = stack.preview()
    assert preview.change_summary == {auto.OpType.SAME: 2}
    stack.up()
    assert writes(emulator) == []
    stack.refresh()  # read and delete unpickle the provider from the outputs: the 0.1 name must still load
    stack.destroy()
    assert emulator.state.backups == {}


def test_destroy_deletes_every_backup(make_stack, emulator):
    stack = make_stack(nightly(), nightly(resource_name="weekly", name="weekly"))
    stack.up()
    assert len(emulator.state.backups) == 2
    stack.destroy()
    assert emulator.state.backups == {}


def test_retain_on_delete_keeps_the_backup(make_stack, emulator):
    stack = make_stack(nightly(opts=lambda: pulumi.ResourceOptions(retain_on_delete=True)))
    stack.up()
    (kept,) = emulator.state.backups
    stack.destroy()
    assert list(emulator.state.backups) == [kept] and stack.backup_ids_in_state() == set()


def test_api_key_is_in_no_state_and_no_cli_output(make_stack, emulator):
    stack = make_stack(nightly())
    stack.preview()
    stack.up()
    stack.refresh()
    exported = stack.cli("stack", "export")
    on_disk = stack.state_files()
    stack.destroy()
    assert "Ready" in exported and "Ready" in on_disk  # the state really was read
    # The engine keeps the stack config as the default provider's inputs: encrypted, never plain.
    assert '"pinecone:apiKey"' in on_disk and "ciphertext" in on_disk
    for text in (exported, on_disk, stack.all_output()):
        assert API_KEY not in text


def test_backups_of_one_stack_are_created_in_parallel(make_stack, emulator):
    emulator.state.faults.ready_delay = 2.0
    specs = [nightly(resource_name=f"b{i}", name=f"b{i}", poll_interval=0.2) for i in range(6)]
    stack = make_stack(*specs)
    stack.up()
    in_flight = emulator.state.peak_backups_in_flight()
    print(f"backups in flight at once: {in_flight} of {len(specs)}")
    assert in_flight == len(specs)  # not Pulumi's 4: pinecone_backup._host widens the host's pool
