"""The docs' makeFinalBackup examples in TypeScript and Go (docs/examples/makeFinalBackup.ts,
.go), through the engine against the emulator: a `beforeDelete` hook calls the plugin's function
through an explicit provider, and the index is backed up, Ready, before it is deleted, on a
replacement and on `destroy` with the program run (TypeScript), on a replacement only (Go: its
SDK refuses calls once the program has returned). For want of Node and Go language hosts, each
program runs inline through its language's Automation API (support/hook_programs.py)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pinecone_backup.core.final_backup import final_backups
from pinecone_backup.emulator import EmulatorServer
from pinecone_backup.emulator.state import BackupRecord
from support.cli import PLUGIN_TYPES, CliProject, cli_env
from support.emulator import API_KEY, INDEX, assert_ready_before_delete, final_backups_of
from support.go_programs import GoProject
from support.hook_programs import GO_PROJECT, TS_PROJECT, copy_go, copy_typescript, go_binary
from support.node_programs import NodeProject

# A cold Go build cache compiles the Automation API first: minutes (see test_sdk_go.py).
pytestmark = [pytest.mark.engine, pytest.mark.sdk, pytest.mark.timeout(1800)]

RESTORED = "products-restored"  # the docs' IndexFromBackup's name
RESTORE_TYPE = PLUGIN_TYPES["IndexFromBackup"]


@pytest.fixture
def backups(emulator: EmulatorServer, index: str, client: Any) -> list[str]:
    """Two Ready backups of the test index, for the docs' IndexFromBackup to restore."""
    emulator.state.faults.update({"ready_delay": 0.3, "restore_delay": 0.5})
    found = []
    for name in ("source-a", "source-b"):
        backup = client.create_backup(INDEX, name=name)
        emulator.state.backups[backup.backup_id].ready_at = 0
        found.append(backup.backup_id)
    return found


@pytest.fixture
def typescript(cli_bin: Path, emulator: EmulatorServer, tmp_path: Path) -> Iterator[NodeProject]:
    started = time.monotonic()
    project = NodeProject(
        copy_typescript(tmp_path / "repo"), cli_bin, cli_env(cli_bin, tmp_path / "state", emulator.url)
    )
    project.timings.append(("dependencies", time.monotonic() - started))
    project.tsc()
    yield project
    print(project.report())  # shown by pytest when a test fails
    print("timings:", ", ".join(f"{command}: {seconds:.1f}s" for command, seconds in project.timings))


@pytest.fixture
def go(cli_bin: Path, emulator: EmulatorServer, tmp_path: Path) -> Iterator[GoProject]:
    build = go_binary()
    project = GoProject(
        copy_go(tmp_path / "repo"), cli_bin, cli_env(cli_bin, tmp_path / "state", emulator.url), binary=build.binary
    )
    project.timings.append(("go build", build.seconds))
    yield project
    print(project.report())
    print("timings:", ", ".join(f"{command}: {seconds:.1f}s" for command, seconds in project.timings))


def _assert_backed_up_before_delete(emulator: EmulatorServer, final: BackupRecord, project: str) -> None:
    """Named and described as the hook's; created, then seen Ready, then the index deleted."""
    assert re.fullmatch(rf"final-{RESTORED}-\d{{14}}", final.name)
    assert final.description == (
        f"Final backup of index {RESTORED} before it was deleted: "
        f"resource restored ({RESTORE_TYPE}) of stack {project}/dev"
    )
    assert_ready_before_delete(emulator, RESTORED, final)


def _up_and_replace(
    project: CliProject, run: Callable[[str], Any], name: str, emulator: EmulatorServer, backups: list[str]
) -> BackupRecord:
    """up; then another backup to restore from, a replacement: the old index backed up first."""
    first, second = backups
    project.init({"backupId": first}, secrets={"pinecone-backup:apiKey": API_KEY})
    run("up")
    assert RESTORED in emulator.state.indexes and project.outputs()["restoredHost"]
    assert final_backups_of(emulator, RESTORED) == []
    emulator.state.seed_index(RESTORED, record_count=777, namespace_count=2)  # written since the restore

    # The same name: the old index is deleted before the new one is restored, its final backup first.
    project.run("config", "set", "backupId", second)
    emulator.state.requests.clear()
    run("up")
    (replaced,) = final_backups_of(emulator, RESTORED)
    assert (replaced.record_count, replaced.namespace_count) == (777, 2)  # the old index's
    _assert_backed_up_before_delete(emulator, replaced, name)
    assert RESTORED in emulator.state.indexes  # the new one, restored from the second backup
    emulator.state.seed_index(RESTORED, record_count=4242, namespace_count=1)
    return replaced


def test_the_typescript_docs_example_backs_up_before_the_delete(typescript, emulator, client, backups):
    replaced = _up_and_replace(
        typescript, lambda command: typescript.program(command, "--yes"), TS_PROJECT, emulator, backups
    )

    # destroy, the program run (its hook registered): a final backup, then nothing left.
    emulator.state.requests.clear()
    destroyed = typescript.program("destroy", "--yes")
    assert RESTORED not in emulator.state.indexes and typescript.resources() == []
    older, final = final_backups_of(emulator, RESTORED)  # keep: 3, both kept
    assert older.backup_id == replaced.backup_id and final.record_count == 4242
    _assert_backed_up_before_delete(emulator, final, TS_PROJECT)
    assert f"Kept: final backup {final.name} of index {RESTORED}" in destroyed.stdout, destroyed.stdout
    assert [b.backup_id for b in final_backups(client, RESTORED)] == [final.backup_id, replaced.backup_id]
    assert API_KEY not in "\n".join(typescript.output)


def test_the_go_docs_example_backs_up_on_replace_but_its_hook_cannot_call_once_the_program_is_done(
    go, emulator, client, backups
):
    """Go's SDK (3.259) refuses any call through the program's Context once the program has
    returned (Context.wait: no more RPCs): a hook run after that, on `destroy` or a removal, fails,
    and the engine does not delete the index. Under a Go language host the same: pulumi.Run runs
    the program through the same RunWithContext."""
    replaced = _up_and_replace(go, lambda command: go.go(command, "--stack", "dev"), GO_PROJECT, emulator, backups)

    destroyed = go.go("destroy", "--stack", "dev", check=False)
    assert destroyed.returncode != 0
    assert 'before hook "final-backup" failed: attempted illegal RPC after program completion' in destroyed.stdout, (
        destroyed.stdout
    )
    # nothing deleted, nothing lost
    assert RESTORED in emulator.state.indexes and final_backups_of(emulator, RESTORED) == [replaced]
    assert API_KEY not in "\n".join(go.output)


def test_inline_node_programs_hooks_find_no_engine_without_the_runner_s_fallback(cli_bin, emulator, backups, tmp_path):
    """Why the runner makes the inline run's state the runtime's fallback (hook_programs.INDEX_TS):
    without it, @pulumi/pulumi 3.259 runs a hook's callback outside the inline run's async
    context, finds no engine there, and the hook's call fails; the engine then deletes nothing."""
    project = NodeProject(
        copy_typescript(tmp_path / "repo", fallback=False), cli_bin, cli_env(cli_bin, tmp_path / "state", emulator.url)
    )
    project.tsc()
    first, second = backups
    project.init({"backupId": first}, secrets={"pinecone-backup:apiKey": API_KEY})
    project.program("up", "--yes")
    project.run("config", "set", "backupId", second)
    failed = project.program("up", "--yes", check=False)
    assert failed.returncode != 0
    message = "before hook \"final-backup\" failed: Cannot read properties of undefined (reading 'invoke')"
    assert message in failed.stdout, project.report()
    # not deleted, nothing made
    assert RESTORED in emulator.state.indexes and final_backups_of(emulator, RESTORED) == []
