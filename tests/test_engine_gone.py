"""A CI job that drives `pulumi up` through the Automation API, cancelled as runners cancel jobs.

SIGINT to the job's process group kills the script at once and, usually, its `pulumi` child with it
(its output pipe is gone) before the engine records the creates; its provider host, in a process
group of its own, is told nothing. The host must notice by itself, delete what it made under
names that prove nothing (chosen names: the next `up` would make them again beside these), and
exit; automatic names are adopted by the next `up`. SIGINT to `pulumi` alone is an ordinary
cancel: the engine records what the waits return.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from support.cli import BACKUP_TYPE, CliProject, cli_env, copy_project
from support.emulator import API_KEY, INDEX, eventually
from support.engine import install_engine
from support.processes import assert_nothing_left, provider_hosts, session_processes

pytestmark = [pytest.mark.engine, pytest.mark.timeout(600)]

CHOSEN = [f"chosen-{number}" for number in range(3)]
PROGRAM = f'''
import pulumi
from pinecone_backup import Backup

wait = {{"poll_interval": 0.2, "ready_timeout": 120}}
for name in {CHOSEN!r}:
    Backup(name, index_name="{INDEX}", name=name, **wait)
Backup("automatic", index_name="{INDEX}", **wait)
'''
JOB = """
import sys
from pulumi import automation as auto

work_dir, pulumi_root = sys.argv[1:]
stack = auto.select_stack("dev", work_dir=work_dir, opts=auto.LocalWorkspaceOptions(
    pulumi_command=auto.PulumiCommand(root=pulumi_root)))
stack.up(on_output=print)
"""
HOST_EXIT_BOUND = 20.0  # seconds: 3 looks 1 s apart find the engine gone, then the deletes


@pytest.fixture
def project(emulator, index, tmp_path) -> CliProject:
    bin_dir = install_engine()
    directory = copy_project("quickstart", tmp_path / "repo")
    (directory / "__main__.py").write_text(PROGRAM)
    (tmp_path / "job.py").write_text(JOB)
    project = CliProject(directory, bin_dir, cli_env(bin_dir, tmp_path / "state", emulator.url))
    project.init({"indexName": INDEX}, secrets={"pinecone:apiKey": API_KEY})
    emulator.state.faults.ready_delay = 20.0  # still Initializing when the job is cancelled
    yield project
    print(project.report())


def start_job(project: CliProject) -> subprocess.Popen[str]:
    """The CI job: a Python script running `stack.up()`, leading a process group (and session) of its own."""
    job = project.dir.parent.parent.parent / "job.py"
    return project.start_job([sys.executable, str(job), str(project.dir), str(project.bin_dir.parent)])


def engine_of(job: subprocess.Popen[str]) -> int:
    """The job's `pulumi` child: the engine."""
    (engine,) = [pid for pid in session_processes(job.pid) if _argv0(pid).endswith(b"/pulumi")]
    return engine


def _argv0(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0]
    except OSError:
        return b""


def backup_names(emulator) -> Counter[str]:
    return Counter(backup.name for backup in emulator.state.backups.values())


@pytest.mark.parametrize("group", [True, False], ids=["process-group", "pulumi-alone"])
def test_a_cancelled_automation_job_leaves_no_orphan_and_no_duplicate(project, emulator, group):
    job = start_job(project)
    eventually(lambda: len(emulator.state.backups) == len(CHOSEN) + 1 or job.poll() is not None, timeout=120)
    assert job.poll() is None, f"the job ended before it was cancelled:\n{job.communicate()[0]}"
    if group:
        os.killpg(job.pid, signal.SIGINT)  # as a runner cancels a job
    else:
        os.kill(engine_of(job), signal.SIGINT)
    job.wait(timeout=60)
    cancelled = time.monotonic()
    project.transcript.append(job.stdout.read() if job.stdout else "")

    # The provider host exits on its own, engine or none; the language host and the program too.
    eventually(lambda: not provider_hosts(job.pid), timeout=HOST_EXIT_BOUND)
    print(f"provider host gone {time.monotonic() - cancelled:.1f}s after the job ended")
    assert_nothing_left(job.pid)

    recorded = project.ids_in_state(BACKUP_TYPE)
    if group:
        # Whether the engine outlived its job long enough to record the answers is a race. What it
        # did not record under a chosen name, which proves nothing, the host deleted; an automatic
        # name, which proves whose it is, stays for the next `up` to adopt. No orphan either way.
        unrecorded = Counter(b.name.split("-")[0] for i, b in emulator.state.backups.items() if i not in recorded)
        assert set(unrecorded) <= {"automatic"}, f"unrecorded backups under chosen names: {unrecorded}"
        print(f"the engine recorded {len(recorded)} of the {len(CHOSEN) + 1} answers before it ended")
        project.run("cancel", "--yes")  # a dead engine's lock, as the README says
    else:  # an ordinary cancel: everything recorded, nothing deleted
        assert recorded == set(emulator.state.backups) and len(recorded) == len(CHOSEN) + 1

    for backup in emulator.state.backups.values():  # no need to wait out the 20 s
        backup.ready_at = min(backup.ready_at, time.monotonic() + 1.0)
    emulator.state.faults.ready_delay = 0.5
    project.run("up", "--yes", timeout=300)
    names = backup_names(emulator)
    assert max(names.values()) == 1 and len(names) == len(CHOSEN) + 1  # no duplicate
    assert project.ids_in_state(BACKUP_TYPE) == set(emulator.state.backups)  # no orphan
    project.run("destroy", "--yes")
    assert emulator.state.backups == {}
