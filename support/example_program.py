"""The program examples/yaml, examples/typescript and examples/go each declare (a backup, an index
restored from it, a schedule, the look-ups), and the steps their tests share, asserted the same
way whatever runs the program: the plain CLI, the Node runner or the Go driver."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from pinecone_backup.api.client import PineconeClient
from pinecone_backup.emulator import EmulatorServer
from support.cli import PLUGIN_TYPES, STACK_TYPE, CliProject, diff_blocks
from support.emulator import API_KEY, INDEX

RESTORED = "products-restored"
BACKUP, RESTORE, SCHEDULE = (PLUGIN_TYPES[kind] for kind in ("Backup", "IndexFromBackup", "BackupSchedule"))
RESOURCES = {"before-migration": BACKUP, "restored": RESTORE, "nightly": SCHEDULE}

PreviewDiff = Callable[[], str]  # the program's `preview --diff`: what it printed
Up = Callable[[], Any]  # the program's `up`


def changed_resources(diff: str) -> set[tuple[str, str, str]]:
    """(op, type, name) of each of the program's resources in `preview --diff` output."""
    return {block for block in diff_blocks(diff) if block[1] != STACK_TYPE}


def a_new_frequency_updates_the_schedule_in_place(
    project: CliProject, preview_diff: PreviewDiff, up: Up, client: PineconeClient, schedule_id: str
) -> None:
    project.run("config", "set", "frequency", "weekly")
    diff = preview_diff()
    assert changed_resources(diff) == {("update", SCHEDULE, "nightly")}, diff
    assert re.search(r'~ frequency\s*: "daily" => "weekly"', diff), diff
    up()
    assert client.describe_backup_schedule(schedule_id).frequency == "weekly"
    assert project.ids_in_state(SCHEDULE) == {schedule_id}


def a_new_description_replaces_the_backup_and_the_restore(
    project: CliProject, preview_diff: PreviewDiff, up: Up, emulator: EmulatorServer, old_backup_id: str
) -> str:
    """The replacement backup's id: the only backup in Pinecone and in state."""
    project.run("config", "set", "description", "after the migration")
    diff = preview_diff()
    assert changed_resources(diff) == {("replace", BACKUP, "before-migration"), ("replace", RESTORE, "restored")}, diff
    up()
    (replaced,) = project.ids_in_state(BACKUP)
    assert replaced != old_backup_id and set(emulator.state.backups) == {replaced}
    return replaced


def destroy_left_only_the_source_index(project: CliProject, emulator: EmulatorServer) -> None:
    """After `destroy`: nothing of the stack is left in Pinecone; the key was never printed."""
    assert emulator.state.backups == {} and emulator.state.schedules == {}
    assert set(emulator.state.indexes) == {INDEX}
    assert API_KEY not in "\n".join(project.output)
