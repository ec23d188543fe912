"""Cancelled and killed `pulumi up`s leave nothing behind: through the plain CLI, as CI does it.

A CI runner cancels a job by sending SIGINT to the step's process group, then SIGKILL after a
grace period (GitHub Actions: about 7.5 s, then SIGTERM, then SIGKILL). Each test interrupts
`pulumi up` once the POSTs are made, runs `up` again and `destroy`, and counts what is left.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from support.cli import BACKUP_TYPE, PLUGIN_TYPES, CliProject, cli_env, copy_project
from support.emulator import API_KEY, INDEX, calls, eventually
from support.engine import install_engine
from support.processes import assert_nothing_left, kill_session, provider_hosts

pytestmark = [pytest.mark.engine, pytest.mark.timeout(600)]

BACKUPS = 3
GRACE = 10.0  # SIGINT, then SIGKILL this long after, if `up` is still running
# Once its waits are recorded, a cancelled `up` exits within this many seconds of SIGINT. Measured
# on 2 busy cores (233 runs, both signal shapes): median 0.2 s, p95 0.55 s, max 0.84 s. The engine
# closes each plugin with SIGINT and waits up to 5 s for it and its output pipes, so a process
# that outlives its plugin's SIGINT (as the Python program did its language host) shows as 5 s+.
STOP_BOUND = 3.0
PROGRAM = f'''
import pulumi
from pinecone_backup import Backup

for i in range({BACKUPS}):
    backup = Backup(f"b{{i}}", index_name="{INDEX}", poll_interval=0.2, ready_timeout=120)
    pulumi.export(f"b{{i}}", backup.backup_id)
'''


PLUGIN_PROGRAM = {
    "name": "interrupted",
    "runtime": "yaml",
    "plugins": {"providers": [{"name": "pinecone-backup", "path": str(Path(sys.executable).parent)}]},
    "resources": {
        f"b{i}": {
            "type": PLUGIN_TYPES["Backup"],
            "properties": {"indexName": INDEX, "pollInterval": 1, "readyTimeout": 120},
        }
        for i in range(BACKUPS)
    },
}


@dataclass(frozen=True)
class Face:
    """The same three backups through one face: the program, the key's config, the type in state."""

    name: str
    key_config: str
    backup_type: str

    def write(self, directory: Path) -> None:
        if self.name == "dynamic":
            (directory / "__main__.py").write_text(PROGRAM)
        else:
            (directory / "Pulumi.yaml").write_text(yaml.safe_dump(PLUGIN_PROGRAM, sort_keys=False))


FACES = [
    Face("dynamic", "pinecone:apiKey", BACKUP_TYPE),
    Face("plugin", "pinecone-backup:apiKey", PLUGIN_TYPES["Backup"]),
]


@pytest.fixture(params=FACES, ids=[face.name for face in FACES])
def face(request) -> Face:
    return request.param


@pytest.fixture
def project(face, emulator, index, tmp_path) -> CliProject:
    bin_dir = install_engine()
    directory = copy_project("quickstart", tmp_path / "repo")
    face.write(directory)
    project = CliProject(directory, bin_dir, cli_env(bin_dir, tmp_path / "state", emulator.url))
    project.init({"indexName": INDEX}, secrets={face.key_config: API_KEY})  # the quickstart declares indexName
    emulator.state.faults.ready_delay = 20.0  # still Initializing when the run is interrupted
    yield project
    print(project.report())


def interrupt(process: subprocess.Popen[str], emulator, *signals: signal.Signals, group: bool = True) -> float:
    """Once every POST is made, send `signals` (GRACE apart) to the process group, as a CI runner
    does, or to `pulumi` alone, as `kill -INT` does; seconds until `pulumi` exits."""
    eventually(lambda: len(emulator.state.backups) == BACKUPS or process.poll() is not None, timeout=120)
    assert process.poll() is None, f"`up` ended before it was interrupted:\n{process.communicate()[0]}"
    started = time.monotonic()
    for number, sent in enumerate(signals):
        if process.poll() is not None:
            break
        if sent == signal.SIGKILL and group:
            kill_session(process.pid)  # the runner tears the whole job down, plugins included
        elif group:
            os.killpg(process.pid, sent)
        else:
            process.send_signal(sent)
        if number + 1 < len(signals):
            try:
                process.wait(timeout=GRACE)
            except subprocess.TimeoutExpired:
                continue
    process.wait(timeout=60)
    return time.monotonic() - started


def posts(emulator) -> int:
    return sum(1 for method, _, _ in calls(emulator) if method == "POST")


def assert_the_next_up_finishes(project: CliProject, face: Face, emulator, first: set[str]) -> None:
    """The next `up` ends with the same backups, all Ready, held by state, and makes none."""
    posted = posts(emulator)
    for backup in emulator.state.backups.values():  # still Initializing; no need to wait out the 20 s
        backup.ready_at = min(backup.ready_at, time.monotonic() + 2.0)
    project.run("up", "--yes", timeout=300)
    assert set(emulator.state.backups) == first  # no duplicate
    assert project.ids_in_state(face.backup_type) == first
    assert {backup.to_api(float("inf"))["status"] for backup in emulator.state.backups.values()} == {"Ready"}
    assert posts(emulator) == posted


def assert_destroy_leaves_nothing(project: CliProject, emulator) -> None:
    assert project.pending_operations() == []
    project.run("destroy", "--yes")
    assert emulator.state.backups == {}  # no orphan


@pytest.mark.parametrize("group", [True, False], ids=["process-group", "pulumi-alone"])
def test_cancelled_up_records_its_backups_and_the_next_up_finishes_them(project, face, emulator, group):
    # To the group: the provider host (or plugin) hears SIGINT itself. To `pulumi` alone: the
    # engine's Cancel call.
    running = project.start("up", "--yes")
    seconds = interrupt(running, emulator, signal.SIGINT, signal.SIGKILL, group=group)
    print(f"`pulumi up` stopped {seconds:.1f}s after SIGINT")
    output = running.stdout.read() if running.stdout else ""
    project.transcript.append(output)
    first = set(emulator.state.backups)

    assert seconds < STOP_BOUND, f"`up` took {seconds:.1f}s to stop after SIGINT"  # no plugin outlived its SIGINT
    assert_nothing_left(running.pid)
    assert project.ids_in_state(face.backup_type) == first  # recorded, though not Ready yet
    assert project.pending_operations() == []
    assert "Recorded as Initializing" in output

    assert_the_next_up_finishes(project, face, emulator, first)  # it waits for them
    assert_destroy_leaves_nothing(project, emulator)


@pytest.mark.parametrize("whole_job", [True, False], ids=["whole-job", "engine-alone"])
def test_killed_up_is_adopted_by_the_next_up(project, face, emulator, whole_job):
    # The whole job: as a runner tears it down. The engine alone: its provider host (or plugin) is
    # orphaned, finds out (its progress lines can't be written, nobody answers at the engine's
    # address) and exits once its waits are settled.
    running = project.start("up", "--yes")
    if whole_job:
        interrupt(running, emulator, signal.SIGKILL)
    else:
        interrupt(running, emulator, signal.SIGKILL, group=False)
        eventually(lambda: not provider_hosts(running.pid), timeout=30)
        # The Python language host (scripts/language-host) ends its program once its parent is
        # gone; Pulumi's YAML language host gives its engine minutes (its own health check).
        assert_nothing_left(running.pid, but="pulumi-language-yaml")
    first = set(emulator.state.backups)
    assert project.ids_in_state(face.backup_type) == set()  # nothing recorded: the engine was killed

    locked = project.run("up", "--yes", check=False)
    assert locked.returncode != 0 and "locked" in locked.stdout + locked.stderr
    project.run("cancel", "--yes")  # the stale lock, as the README says

    assert_the_next_up_finishes(project, face, emulator, first)  # found by their names, not made again
    # Pulumi keeps a killed run's pending creates until told: safe now, they are all in state.
    assert len(project.pending_operations()) == BACKUPS
    project.run("refresh", "--clear-pending-creates", "--yes")
    assert project.ids_in_state(face.backup_type) == first
    assert_destroy_leaves_nothing(project, emulator)


def test_two_stacks_of_the_same_program_keep_their_own_backups_under_lost_answers(project, face, emulator):
    """Stack B's create answers are lost (the backups are made, the answers are 500s): B adopts
    the backups its names prove are its own, never stack A's, which look the same otherwise."""
    emulator.state.faults.ready_delay = 0.3
    project.run("up", "--yes")
    mine = project.ids_in_state(face.backup_type)

    other = CliProject(project.dir, project.bin_dir, project.env, stack="prod")
    other.init({"indexName": INDEX}, secrets={face.key_config: API_KEY})
    emulator.state.faults.lose_create_responses = BACKUPS
    other.run("up", "--yes")
    theirs = other.ids_in_state(face.backup_type)
    project.transcript.extend(other.transcript)

    assert len(mine) == len(theirs) == BACKUPS and not mine & theirs
    assert set(emulator.state.backups) == mine | theirs
    assert [status for method, _, status in calls(emulator) if method == "POST"][-BACKUPS:] == [500] * BACKUPS
    project.run("stack", "select", project.stack)  # `stack init prod` selected prod
    project.run("destroy", "--yes")
    assert set(emulator.state.backups) == theirs  # A's destroy deleted only A's
    other.run("stack", "select", other.stack)
    other.run("destroy", "--yes")
    assert emulator.state.backups == {}
