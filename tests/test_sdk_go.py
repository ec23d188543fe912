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
from support.cli import PLUGIN_TYPES, STACK_TYPE, cli_env, diff_blocks
from support.emulator import API_KEY, INDEX, RECORDS, calls
from support.go_programs import EXAMPLE, GoProject, copy_go_example, example_binary

# With an empty Go build cache, the first `go vet` or `go build` compiles the Automation API and
# the engine packages it imports: 4 to 6 minutes measured on 2 loaded cores. Warm, the file takes
# under a minute.
pytestmark = [pytest.mark.engine, pytest.mark.sdk, pytest.mark.timeout(1800)]
GO_TIMEOUT = 1200.0  # seconds, for one go command: a cold one included

RESTORED = "products-restored"
BACKUP, RESTORE, SCHEDULE = (PLUGIN_TYPES[kind] for kind in ("Backup", "IndexFromBackup", "BackupSchedule"))
RESOURCES = {"before-migration": BACKUP, "restored": RESTORE, "nightly": SCHEDULE}
# The example's two look-ups, latestBackup and latestScheduledBackup, each list the index's backups.
LOOK_UPS = [("GET", f"/indexes/{INDEX}/backups", 200)] * 2
_HEADER = re.compile(r"^\s*[-+~<>=]{1,2}\s?[\w:/.-]+: \(")


def _go(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["go", *args], cwd=cwd, capture_output=True, text=True, timeout=GO_TIMEOUT, check=False)


def resource_block(diff: str, name: str) -> str:
    """The lines of one resource in `preview --diff` output: from its urn to the next resource."""
    lines = diff.splitlines()
    (start,) = [i for i, line in enumerate(lines) if line.strip().startswith("[urn=") and line.endswith(f"::{name}]")]
    block = []
    for line in lines[start + 1 :]:
        if _HEADER.match(line) or "--outputs:--" in line:
            break
        block.append(line)
    return "\n".join(block)


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
    assert {block for block in diff_blocks(preview) if block[1] != STACK_TYPE} == {
        ("create", type_, name) for name, type_ in RESOURCES.items()
    }, preview
    assert re.search(r"^\s+backupId\s*: \[unknown\]$", resource_block(preview, "restored"), re.M), preview
    assert re.search(r'^\s+name\s*: "before-migration-[0-9a-f]{8}"$', resource_block(preview, "before-migration"), re.M)
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

    # A new frequency: the schedule changes in place.
    project.run("config", "set", "frequency", "weekly")
    diff = project.go("preview", "--diff").stdout
    assert {block for block in diff_blocks(diff) if block[1] != STACK_TYPE} == {("update", SCHEDULE, "nightly")}, diff
    assert re.search(r'~ frequency\s*: "daily" => "weekly"', diff), diff
    project.go("up")
    assert client.describe_backup_schedule(schedule.schedule_id).frequency == "weekly"
    assert project.ids_in_state(SCHEDULE) == {schedule.schedule_id}

    # A new description: the backup is replaced, and the index restored from it.
    project.run("config", "set", "description", "after the migration")
    diff = project.go("preview", "--diff").stdout
    changed = {block for block in diff_blocks(diff) if block[1] != STACK_TYPE}
    assert changed == {("replace", BACKUP, "before-migration"), ("replace", RESTORE, "restored")}, diff
    project.go("up")
    (replaced,) = project.ids_in_state(BACKUP)
    assert replaced != outputs["backupId"] and set(emulator.state.backups) == {replaced}
    assert project.outputs()["newestBackupId"] == replaced
    assert emulator.state.indexes[RESTORED].tags.get(OWNER_TAG)  # the proof of whose it is

    # `destroy`: nothing of the stack is left in Pinecone.
    project.go("destroy")
    assert emulator.state.backups == {} and emulator.state.schedules == {}
    assert set(emulator.state.indexes) == {INDEX}
    assert API_KEY not in "\n".join(project.output)


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
