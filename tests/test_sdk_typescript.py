"""The generated TypeScript SDK, as a user of examples/typescript meets it: the compiler checks a
program against its types, and the program's runner (the Node Automation API, there being no Node
language host here) drives the plugin through the engine against the emulator: preview, up, no-op,
update in place, replace, the newest-backup look-up, destroy."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pinecone_backup.emulator import EmulatorServer
from support.cli import cli_env, diff_block
from support.emulator import API_KEY, INDEX, RECORDS, calls
from support.example_program import (
    BACKUP,
    RESOURCES,
    RESTORED,
    a_new_description_replaces_the_backup_and_the_restore,
    a_new_frequency_updates_the_schedule_in_place,
    changed_resources,
    destroy_left_only_the_source_index,
)
from support.node_programs import NodeProject, copy_example

pytestmark = [pytest.mark.engine, pytest.mark.sdk, pytest.mark.timeout(900)]


@pytest.fixture
def project(cli_bin: Path, emulator: EmulatorServer, tmp_path: Path) -> Iterator[NodeProject]:
    """A fresh copy of examples/typescript, its dependencies installed, a file backend in tmp_path."""
    emulator.state.faults.update({"ready_delay": 0.3, "restore_delay": 0.5})
    started = time.monotonic()
    directory = copy_example(tmp_path / "repo")  # installs the npm dependencies on a cold cache
    project = NodeProject(directory, cli_bin, cli_env(cli_bin, tmp_path / "state", emulator.url))
    project.timings.append(("dependencies", time.monotonic() - started))
    yield project
    print(project.report())  # shown by pytest when a test fails
    print("timings:", ", ".join(f"{command}: {seconds:.1f}s" for command, seconds in project.timings))


def test_the_compiler_checks_a_program_against_the_sdks_types(project):
    built = project.tsc()  # `npm run build`
    assert built.stdout + built.stderr == ""
    assert (project.dir / "bin" / "index.js").is_file()

    # A number for a string input, a property the resource does not have, and an output of the
    # wrong type as another resource's input: each a compile error on its line, before anything runs.
    program = (project.dir / "index.ts").read_text()
    mistakes = {  # a line of the program (its first occurrence: the backup's indexName) -> the mistake
        "indexName,": "indexName: 42,",
        "retentionDays: 7,": "retentionDay: 7,",
        "backupId: backup.backupId,": "backupId: backup.recordCount,",
    }
    wrong = program
    for line, mistake in mistakes.items():
        assert f" {line}\n" in wrong
        wrong = wrong.replace(f" {line}\n", f" {mistake}\n", 1)
    (project.dir / "index.ts").write_text(wrong)
    failed = project.tsc("--noEmit", check=False)
    assert failed.returncode != 0
    errors = re.findall(r"^index\.ts\((\d+),\d+\): error TS\d+: (.*)$", failed.stdout, re.MULTILINE)
    lines = program.splitlines()
    assert {lines[int(number) - 1].strip() for number, _ in errors} == set(mistakes), failed.stdout
    messages = "\n".join(message for _, message in errors)
    assert "Type 'number' is not assignable to type 'Input<string>'" in messages
    assert "'retentionDay' does not exist in type 'BackupScheduleArgs'" in messages
    assert "Type 'OutputInstance<number | undefined>' is not assignable to type 'Input<string>'" in messages


def test_the_typescript_example_through_the_plugin(project, emulator, index, client):
    project.tsc()
    project.env["PINECONE_API_KEY"] = API_KEY  # the key from the environment, as in CI
    project.init({"indexName": INDEX, "restoredName": RESTORED, "pollInterval": "1"})

    # A new stack's preview: three creates, the restore's backupId computed from the backup, and
    # the look-ups that wait for the backup and the schedule unknown: no Pinecone call.
    preview = project.program("preview", "--diff")
    resources = changed_resources(preview.stdout)
    assert resources == {("create", type_, name) for name, type_ in RESOURCES.items()}, preview.stdout
    assert re.search(r"backupId\s*: \[unknown\]", diff_block(preview.stdout, "restored")), preview.stdout
    assert re.search(r"newestBackupId\s*: \[unknown\]", preview.stdout), preview.stdout
    assert "+ 4 to create" in preview.stdout
    assert calls(emulator) == []

    # `up`: what Pinecone holds is what the outputs say, the look-up included; progress printed.
    up = project.program("up")
    outputs = project.outputs()
    assert set(emulator.state.backups) == {outputs["backupId"]} == project.ids_in_state(BACKUP)
    assert outputs["newestBackupId"] == outputs["backupId"] and outputs["recordCount"] == RECORDS
    assert emulator.state.indexes[RESTORED].record_count == RECORDS and outputs["restoredHost"]
    (schedule,) = emulator.state.schedules.values()
    assert schedule.name == outputs["scheduleName"] and schedule.frequency == "daily"
    assert outputs.get("newestScheduledBackup") is None  # no scheduled run yet, and no error
    assert re.search(rf"Ready after \d+s: backup {outputs['backupId'][:8]}", up.stdout), up.stdout
    assert "+ 4 created" in up.stdout

    # A second preview: no change (the runner fails on one, as `--expect-no-changes` does), and
    # only the look-ups' reads.
    emulator.state.requests.clear()
    no_op = project.program("preview", "--expect-no-changes")
    assert "4 unchanged" in no_op.stdout
    assert {method for method, _, _ in calls(emulator)} == {"GET"}

    def preview_diff() -> str:
        return project.program("preview", "--diff").stdout

    def run_up() -> None:
        project.program("up")

    a_new_frequency_updates_the_schedule_in_place(project, preview_diff, run_up, client, schedule.schedule_id)
    # A new description: the look-up finds the new backup too.
    replaced = a_new_description_replaces_the_backup_and_the_restore(
        project, preview_diff, run_up, emulator, outputs["backupId"]
    )
    after = project.outputs()
    assert after["backupId"] == after["newestBackupId"] == replaced
    assert emulator.state.backups[replaced].description == "after the migration"

    # `destroy`: nothing of the stack is left in Pinecone; the key was never printed.
    destroyed = project.program("destroy")
    assert "- 4 deleted" in destroyed.stdout
    destroy_left_only_the_source_index(project, emulator)
