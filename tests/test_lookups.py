"""Finding backups: by id, by index, the latest one."""

from __future__ import annotations

import pytest

from pinecone_backup import NoMatchingBackupError, get_backup, latest_backup, list_backups
from support.emulator import INDEX, create_index


@pytest.fixture
def backups(provider_env, index):
    state = provider_env.state
    state.faults.ready_delay = 0
    create_index(provider_env, "other")
    made = {name: state.create_backup(INDEX, {"name": name}).backup_id for name in ("daily-1", "weekly-1", "daily-2")}
    state.faults.ready_delay = 60
    made["daily-3"] = state.create_backup(INDEX, {"name": "daily-3"}).backup_id  # still Initializing
    made["other"] = state.create_backup("other", {"name": "daily-9"}).backup_id
    return made


def test_get_backup(backups):
    assert get_backup(backups["weekly-1"]).name == "weekly-1"
    with pytest.raises(NoMatchingBackupError, match="no backup with id 'nope'"):
        get_backup("nope")


def test_list_backups_of_an_index_and_of_the_project(backups):
    assert {b.name for b in list_backups(INDEX)} == {"daily-1", "weekly-1", "daily-2", "daily-3"}
    assert len(list_backups()) == 5


def test_latest_backup_is_the_newest_ready_one_matching_the_prefix(backups):
    assert latest_backup(INDEX).backup_id == backups["daily-2"]
    assert latest_backup(INDEX, name_prefix="weekly").backup_id == backups["weekly-1"]
    assert latest_backup(INDEX, status=None).backup_id == backups["daily-3"]


def test_latest_backup_says_what_did_not_match(backups):
    with pytest.raises(
        NoMatchingBackupError, match=r"no Ready backup of index 'products' whose name starts with 'monthly'"
    ):
        latest_backup(INDEX, name_prefix="monthly")
