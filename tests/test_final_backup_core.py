"""The final backup's step against the emulator (`core.final_backup`), and what the hook reads of
its run: names that Pinecone accepts and that find them again, an index already gone, a Failed
backup, keep-the-newest-N, the URN a declared resource gets, the CLI command."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from pinecone_backup.core import final_backup, rules
from pinecone_backup.core.polling import PollSchedule
from pinecone_backup.errors import PineconeError
from pinecone_backup.hooks import _command_of, urn_of
from support.emulator import INDEX, RECORDS, create_index

FAST = PollSchedule(0.05, 30.0)
URN = "urn:pulumi:dev::shop::pulumi-python:dynamic/pinecone:IndexFromBackup::restored"


def test_names_obey_pinecone_s_rule_and_tell_the_index_and_when():
    when = datetime(2026, 12, 7, 5, 15, 0, tzinfo=timezone.utc)
    assert final_backup.name_for("products", when) == "final-products-20261207051500"
    long_name = "a" * 23 + "-" + "b" * 21  # 45 characters, a "-" where it is cut
    name = final_backup.name_for(long_name, when)
    assert len(name) <= rules.BACKUP_NAME_LENGTH and rules.backup_name(name) is None
    assert name == f"final-{'a' * 23}-20261207051500"


def test_the_description_says_which_index_why_and_which_resource_of_which_stack():
    assert final_backup.describe("products", "removed", URN) == (
        "Final backup of index products before it was removed: "
        "resource restored (pulumi-python:dynamic/pinecone:IndexFromBackup) of stack shop/dev"
    )
    assert final_backup.describe("products", "deleted", None) == "Final backup of index products before it was deleted"


def test_a_final_backup_is_ready_with_the_index_s_counts(emulator, index, client):
    emulator.state.faults.ready_delay = 0.3
    backup = final_backup.take(client, INDEX, reason="replaced", urn=URN, schedule=FAST)
    assert backup is not None and backup.status == "Ready" and backup.record_count == RECORDS
    assert "before it was replaced" in (backup.description or "")
    emulator.state.delete_index(INDEX)  # found after the index is gone
    assert [found.backup_id for found in final_backup.final_backups(client, INDEX)] == [backup.backup_id]


def test_an_index_already_gone_needs_no_backup(emulator, client):
    assert final_backup.take(client, "gone-already", schedule=FAST) is None
    assert emulator.state.backups == {}


def test_a_failed_backup_raises_naming_the_index_and_leaves_nothing(emulator, index, client):
    emulator.state.faults.update({"ready_delay": 0.2, "fail_backups": True})
    with pytest.raises(PineconeError, match=rf"final backup final-{INDEX}-\d{{14}} of index {INDEX}") as raised:
        final_backup.take(client, INDEX, schedule=FAST)
    assert f"The index {INDEX} was not deleted: nothing is lost" in str(raised.value)
    assert emulator.state.backups == {}


def test_a_timeout_raises(emulator, index, client):
    emulator.state.faults.ready_delay = 60
    with pytest.raises(PineconeError, match=r"ready_timeout=0.3s"):
        final_backup.take(client, INDEX, schedule=PollSchedule(0.05, 0.3))
    assert emulator.state.backups == {}


def test_keep_deletes_the_older_final_backups_of_the_index_only(emulator, index, client):
    emulator.state.faults.ready_delay = 0
    create_index(emulator, "other")
    older = [client.create_backup(INDEX, name=f"final-{INDEX}-2026010100000{n}") for n in range(3)]
    other = client.create_backup("other", name="final-other-20260101000000")
    mine = client.create_backup(INDEX, name="made-by-hand")
    newest = final_backup.take(client, INDEX, keep=2, schedule=FAST)
    assert newest is not None
    left = {backup.backup_id for backup in client.list_backups(None)}
    assert left == {newest.backup_id, older[2].backup_id, other.backup_id, mine.backup_id}


def test_bad_arguments_fail_before_any_call(emulator, client):
    with pytest.raises(PineconeError, match="reason"):
        final_backup.take(client, INDEX, reason="because", schedule=FAST)
    with pytest.raises(PineconeError, match="keep"):
        final_backup.take(client, INDEX, keep=0, schedule=FAST)
    assert emulator.state.request_log() == []


@pytest.mark.parametrize(
    ("parent", "expected"),
    [
        (None, "urn:pulumi:dev::shop::pinecone:index/index:Index::vectors"),
        (
            "urn:pulumi:dev::shop::pulumi:pulumi:Stack::shop-dev",
            "urn:pulumi:dev::shop::pinecone:index/index:Index::vectors",
        ),
        (
            "urn:pulumi:dev::shop::my:Search::search",
            "urn:pulumi:dev::shop::my:Search$pinecone:index/index:Index::vectors",
        ),
    ],
)
def test_the_urn_the_engine_gives_a_declared_resource(monkeypatch, parent, expected):
    monkeypatch.setattr("pulumi.get_stack", lambda: "dev")
    monkeypatch.setattr("pulumi.get_project", lambda: "shop")
    assert urn_of("pinecone:index/index:Index", "vectors", parent) == expected


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["/usr/bin/pulumi", "destroy", "--yes", "--run-program"], "destroy"),
        (["pulumi", "--cwd", "infra", "up", "--yes"], "up"),
        (["pulumi", "down", "-s", "dev"], "down"),
        (["/usr/bin/pulumi-language-python", "127.0.0.1:1"], None),
        (["python3", "destroy"], None),
        ([], None),
    ],
)
def test_the_cli_command_is_read_from_its_arguments(argv, command):
    assert _command_of(argv) == command
