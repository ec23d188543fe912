"""The generated Go SDK through the engine: examples/go as a user runs it in the project
(`go run . preview|up|destroy`: the program inline through the Automation API, for want of a Go
language host), the plain CLI for the stack and its config, Pinecone = the emulator. The example
is built once per version of its sources (support/go_programs.py)."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from pinecone_backup.core.restore import OWNER_TAG
from support.cli import cli_env, diff_block
from support.emulator import API_KEY, INDEX, RECORDS, calls
from support.example_program import (
    BACKUP,
    RESOURCES,
    RESTORED,
    SCHEDULE,
    a_new_description_replaces_the_backup_and_the_restore,
    a_new_frequency_updates_the_schedule_in_place,
    changed_resources,
    destroy_left_only_the_source_index,
)
from support.go_programs import EXAMPLE, GoProject, copy_go_example, example_binary

# With an empty Go build cache, the first `go vet` or `go build` compiles the Automation API and
# the engine packages it imports: 4 to 6 minutes measured on 2 loaded cores. Warm, the file takes
# under a minute.
pytestmark = [pytest.mark.engine, pytest.mark.sdk, pytest.mark.timeout(1800)]
GO_TIMEOUT = 1200.0  # seconds, for one go command: a cold one included

# The example's two look-ups, latestBackup and latestScheduledBackup, each list the index's backups.
LOOK_UPS = [("GET", f"/indexes/{INDEX}/backups", 200)] * 2


def _go(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["go", *args], cwd=cwd, capture_output=True, text=True, timeout=GO_TIMEOUT, check=False)


def test_the_example_vets_and_the_sdk_types_its_inputs(tmp_path):
    """The example is gofmt- and vet-clean; an int where the SDK wants a string does not compile."""
    vet = _go("vet", "./...", cwd=EXAMPLE)
    assert vet.returncode == 0, vet.stderr
    unformatted = subprocess.run(["gofmt", "-l", "."], cwd=EXAMPLE, capture_output=True, text=True, check=True)
    assert unformatted.stdout == ""

    project = copy_go_example(tmp_path)
    program = project / "main.go"
    source = program.read_text()
    wrong = source.replace("IndexName:    indexName,", "IndexName:    pulumi.Int(7),", 1)
    assert wrong != source
    program.write_text(wrong)
    line = wrong[: wrong.index("pulumi.Int(7)")].count("\n") + 1
    vet = _go("vet", "./...", cwd=project)
    assert vet.returncode != 0
    assert f"main.go:{line}:" in vet.stderr, vet.stderr
    assert "pulumi.Int does not implement pulumi.StringInput" in vet.stderr, vet.stderr


@pytest.fixture
def project(cli_bin, emulator, tmp_path) -> Iterator[GoProject]:
    """A new stack of a copy of examples/go, its plugin this environment's."""
    emulator.state.faults.update({"ready_delay": 0.3, "restore_delay": 0.5})
    build = example_binary()
    project = GoProject(
        copy_go_example(tmp_path / "repo"),
        cli_bin,
        cli_env(cli_bin, tmp_path / "state", emulator.url),
        binary=build.binary,
    )
    project.timings.append(("example binary (built or found)", build.seconds))
    yield project
    print(project.report())  # shown by pytest when a test fails
    print("timings:", ", ".join(f"{command}: {seconds:.1f}s" for command, seconds in project.timings))


def test_a_go_program_through_the_plugin(project, emulator, index, client):
    project.init(
        {"indexName": INDEX, "restoredName": RESTORED, "pollInterval": "1"},
        secrets={"pinecone-backup:apiKey": API_KEY},  # the plugin's own config key
    )

    # A new stack's preview: three creates, the automatic names known, the restore's backupId
    # computed from the backup, the look-ups unknown until the resources exist; no Pinecone call.
    preview = project.go("preview", "--diff").stdout
    assert changed_resources(preview) == {("create", type_, name) for name, type_ in RESOURCES.items()}, preview
    assert re.search(r"^\s+backupId\s*: \[unknown\]$", diff_block(preview, "restored"), re.M), preview
    assert re.search(r'^\s+name\s*: "before-migration-[0-9a-f]{8}"$', diff_block(preview, "before-migration"), re.M)
    assert re.search(r"^\s+newestBackupId\s*: \[unknown\]$", preview, re.M), preview
    assert calls(emulator) == []

    # `up`: what Pinecone holds is what the state and the outputs say; progress on the rows.
    up = project.go("up").stdout
    outputs = project.outputs()
    assert set(emulator.state.backups) == {outputs["backupId"]} == project.ids_in_state(BACKUP)
    assert outputs["recordCount"] == RECORDS
    assert emulator.state.indexes[RESTORED].record_count == RECORDS and outputs["restoredHost"]
    (schedule,) = emulator.state.schedules.values()
    assert schedule.name == outputs["scheduleName"] and project.ids_in_state(SCHEDULE) == {schedule.schedule_id}
    assert outputs["newestBackupId"] == outputs["backupId"]  # looked up after the backup was made
    assert outputs.get("newestScheduledBackup") is None  # no run yet, and no error
    assert re.search(rf"Ready after \d+s: backup {outputs['backupId'][:8]}", up), up
    assert re.search(r"^\s+\+ 4 created$", up, re.M), up

    # A second preview: no change; only the look-ups read.
    emulator.state.requests.clear()
    same = project.go("preview", "--expect-no-changes").stdout
    assert re.search(r"^\s+4 unchanged$", same, re.M), same
    assert calls(emulator) == LOOK_UPS

    def preview_diff() -> str:
        return project.go("preview", "--diff").stdout

    def run_up() -> None:
        project.go("up")

    a_new_frequency_updates_the_schedule_in_place(project, preview_diff, run_up, client, schedule.schedule_id)
    replaced = a_new_description_replaces_the_backup_and_the_restore(
        project, preview_diff, run_up, emulator, outputs["backupId"]
    )
    assert project.outputs()["newestBackupId"] == replaced
    assert emulator.state.indexes[RESTORED].tags.get(OWNER_TAG)  # the proof of whose it is

    # `destroy`: nothing of the stack is left in Pinecone.
    project.go("destroy")
    destroy_left_only_the_source_index(project, emulator)


def test_missing_config_fails_the_preview_naming_it(project, emulator, index):
    """Pulumi.yaml declares the config: the CLI names what is missing before the program runs."""
    project.init({"indexName": INDEX}, secrets={"pinecone-backup:apiKey": API_KEY})
    failed = project.go("preview", check=False)
    assert failed.returncode != 0
    assert "Stack 'dev' is missing configuration value 'restoredName'" in failed.stderr, failed.stderr
    assert calls(emulator) == []


def test_the_driver_says_what_to_type(project):
    """Outside Pulumi, with no arguments or the wrong ones, the example says how it is run."""
    bare = project.go(check=False)
    assert bare.returncode == 2 and "usage: go run . preview|up|refresh|destroy" in bare.stderr, bare.stderr
    typo = project.go("upp", check=False)
    assert typo.returncode == 2 and 'unknown command "upp"' in typo.stderr, typo.stderr
    project.run("stack", "init", "dev")
    missing = project.go("up", "--stack", "prod", check=False)
    assert missing.returncode == 1, missing.stderr
    assert 'no stack named "prod": run `pulumi stack init prod`' in missing.stderr, missing.stderr
