"""Whose object is it: two stacks of the same organization/project/stack names, each in a
self-managed backend of its own (two engineers with `file://` backends), one Pinecone project.

Each declares a backup and a schedule with automatic names, and restores one shared backup into
the same index name: through the dynamic resources (Python), and through the plugin (YAML).
Neither may take over, change or delete what the other made: the automatic names and the
restored index's owner tag come from each stack's own secrets-provider key material, not from
the names the two stacks share.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from pinecone_backup.core.restore import OWNER_TAG
from support.cli import BACKUP_TYPE, PLUGIN_TYPES, RESTORE_TYPE, SCHEDULE_TYPE, CliProject, cli_env
from support.emulator import API_KEY, INDEX

pytestmark = pytest.mark.engine

RESTORED = "restored"
PROGRAM = f'''
import pulumi
from pinecone_backup import Backup, BackupSchedule, IndexFromBackup

config = pulumi.Config()
wait = {{"poll_interval": 0.2, "ready_timeout": 60}}
backup = Backup("nightly", index_name="{INDEX}", **wait)
schedule = BackupSchedule("daily", index_name="{INDEX}", retention_days=7)
restored = IndexFromBackup("restored", backup_id=config.require("sharedBackupId"), name="{RESTORED}", **wait)
pulumi.export("backup_name", backup.name)
pulumi.export("schedule_name", schedule.name)
'''


YAML_PROGRAM = {
    "name": "shared",
    "runtime": "yaml",
    "plugins": {"providers": [{"name": "pinecone-backup", "path": str(Path(sys.executable).parent)}]},
    "config": {"sharedBackupId": {"type": "string"}},
    "resources": {
        "nightly": {"type": PLUGIN_TYPES["Backup"], "properties": {"indexName": INDEX, "pollInterval": 1}},
        "daily": {"type": PLUGIN_TYPES["BackupSchedule"], "properties": {"indexName": INDEX, "retentionDays": 7}},
        "restored": {
            "type": PLUGIN_TYPES["IndexFromBackup"],
            "properties": {"backupId": "${sharedBackupId}", "name": RESTORED, "pollInterval": 1},
        },
    },
    "outputs": {"backup_name": "${nightly.name}", "schedule_name": "${daily.name}"},
}
# face -> (the program's Pulumi.yaml, its __main__.py, the key's config, the types in state)
FACES = {
    "dynamic": (
        {"name": "shared", "runtime": {"name": "python", "options": {"virtualenv": sys.prefix}}},
        PROGRAM,
        "pinecone:apiKey",
        (BACKUP_TYPE, SCHEDULE_TYPE, RESTORE_TYPE),
    ),
    "plugin": (
        YAML_PROGRAM,
        None,
        "pinecone-backup:apiKey",
        (PLUGIN_TYPES["Backup"], PLUGIN_TYPES["BackupSchedule"], PLUGIN_TYPES["IndexFromBackup"]),
    ),
}


def engineer(tmp_path: Path, who: str, face: str, cli_bin: Path, emulator_url: str) -> CliProject:
    """One engineer's clone of the program and local backend: project `shared`, stack `dev`."""
    settings, program, _, _ = FACES[face]
    project_dir = tmp_path / who / "project"
    project_dir.mkdir(parents=True)
    (project_dir / "Pulumi.yaml").write_text(yaml.safe_dump(settings))
    if program is not None:
        (project_dir / "__main__.py").write_text(program)
    return CliProject(project_dir, cli_bin, cli_env(cli_bin, tmp_path / who / "state", emulator_url))


@pytest.mark.parametrize("face", sorted(FACES))
def test_two_stacks_of_the_same_names_in_two_backends_keep_their_own(face, cli_bin, emulator, index, tmp_path):
    _, _, key_config, (backup_type, schedule_type, restore_type) = FACES[face]
    emulator.state.faults.update({"ready_delay": 0.3, "restore_delay": 0.3})
    shared_backup = emulator.state.create_backup(INDEX, {"name": "shared"}).backup_id
    alice, bob = (engineer(tmp_path, who, face, cli_bin, emulator.url) for who in ("alice", "bob"))
    for project in (alice, bob):
        project.init({"sharedBackupId": shared_backup}, secrets={key_config: API_KEY})
    assert alice.stack_files()[0].read_text() != bob.stack_files()[0].read_text()  # each its own salt

    alice.run("up", "--yes")
    alices = {type_: alice.ids_in_state(type_) for type_ in (backup_type, schedule_type, restore_type)}
    (alices_backup,) = alices[backup_type]
    (alices_schedule,) = alices[schedule_type]
    assert alices[restore_type] == {RESTORED}
    token = emulator.state.indexes[RESTORED].tags[OWNER_TAG]

    # Bob's `up`: a backup of his own, and neither Alice's schedule nor her index taken over.
    up = bob.run("up", "--yes", check=False)
    assert up.returncode != 0
    printed = up.stdout + up.stderr
    assert "Adopted" not in printed
    assert "already has an enabled backup schedule" in printed and alices_schedule in printed
    assert f"an index named '{RESTORED}' already exists" in printed and OWNER_TAG in printed
    (bobs_backup,) = bob.ids_in_state(backup_type)
    assert bobs_backup != alices_backup
    assert bob.ids_in_state(schedule_type) == set() and bob.ids_in_state(restore_type) == set()
    assert bob.outputs().get("backup_name") != alice.outputs()["backup_name"]

    # Bob's `destroy` deletes his backup, and nothing of Alice's.
    bob.run("destroy", "--yes")
    # (Backups the schedule's runs made, should the test cross 06:00 UTC, are nobody's concern here.)
    assert {shared_backup, alices_backup} <= set(emulator.state.backups) and bobs_backup not in emulator.state.backups
    assert set(emulator.state.schedules) == {alices_schedule}
    assert emulator.state.indexes[RESTORED].tags[OWNER_TAG] == token

    # Alice sees no change, and her `destroy` deletes what she made.
    plan = alice.preview_json("--refresh", "--expect-no-changes")
    assert set(plan.change_summary) == {"same"}, plan.change_summary
    alice.run("destroy", "--yes")
    assert shared_backup in emulator.state.backups and alices_backup not in emulator.state.backups
    assert not emulator.state.schedules and RESTORED not in emulator.state.indexes
