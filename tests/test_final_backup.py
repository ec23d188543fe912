"""A final backup before an index goes away (`final_backup`, and the plugin's `makeFinalBackup`),
through the plain CLI against the emulator: on a replacement, a removal and `pulumi destroy --run-program`;
a failing backup stops the delete; Pinecone's own `pinecone.Index` (a test-only provider of its
type and outputs) is backed up the same way; a program's hook calls the plugin's function."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from pinecone_backup.core.final_backup import final_backups
from support import fake_pinecone
from support.cli import RESTORE_TYPE, CliProject, cli_env
from support.emulator import API_KEY, INDEX, RECORDS, assert_ready_before_delete, final_backups_of

pytestmark = [pytest.mark.engine, pytest.mark.timeout(600)]

FIRST, SECOND = "restored-a", "restored-b"
# An IndexFromBackup bound to the hook; `declared: false` removes it from the program.
RESTORE_PROGRAM = """
import pulumi
from pinecone_backup import IndexFromBackup, final_backup

config = pulumi.Config()
hook = final_backup(poll_interval=0.2)
if config.get_bool("declared") is not False:
    IndexFromBackup(
        "restored",
        backup_id=config.require("backupId"),
        name=config.require("indexName"),
        poll_interval=0.2,
        opts=pulumi.ResourceOptions(hooks=pulumi.ResourceHookBinding(before_delete=[hook])),
    )
"""
# Pinecone's own provider's index, its type and outputs played by `support.fake_pinecone`.
PINECONE_INDEX_PROGRAM = f"""
import pulumi
from pinecone_backup import final_backup

config = pulumi.Config()
hook = final_backup("final-backup-of-pinecone-index", poll_interval=0.2)
if config.get_bool("declared") is not False:
    pulumi.CustomResource(
        "{fake_pinecone.TYPE}",
        "vectors",
        {{"name": config.require("indexName"), "dimension": 8, "host": None}},
        opts=pulumi.ResourceOptions(hooks=pulumi.ResourceHookBinding(before_delete=[hook])),
    )
"""
# What a TypeScript or Go program's hook does: call the plugin's function, through an explicit
# provider the resource depends on (see the README: the engine answers no default provider's
# invoke once the program has finished, as when it deletes what the program no longer declares).
PLUGIN_PROGRAM = """
import pulumi

config = pulumi.Config()
api_key = pulumi.Config("pinecone-backup").require_secret("apiKey")
provider = pulumi.ProviderResource("pinecone-backup", "pinecone-backup", {"apiKey": api_key})


async def before_delete(args):
    await pulumi.runtime.invoke_async(
        "pinecone-backup:index:makeFinalBackup",
        {"indexName": args.old_outputs["name"], "reason": "deleted", "resourceUrn": args.urn,
         "keep": 1, "pollInterval": 0.2},
        pulumi.InvokeOptions(provider=provider),
    )


hook = pulumi.ResourceHook("final-backup", before_delete)
if config.get_bool("declared") is not False:
    pulumi.CustomResource(
        "pinecone-backup:index:IndexFromBackup",
        "restored",
        {"backupId": config.require("backupId"), "name": config.require("indexName"), "pollInterval": 0.2},
        opts=pulumi.ResourceOptions(
            provider=provider,
            depends_on=[provider],
            hooks=pulumi.ResourceHookBinding(before_delete=[hook]),
        ),
    )
"""


def _project(
    cli_bin: Path, emulator: Any, tmp_path: Path, program: str, plugins: dict[str, Path] | None = None
) -> CliProject:
    directory = tmp_path / "project"
    directory.mkdir()
    settings: dict[str, Any] = {"name": "hooked", "runtime": {"name": "python", "options": {"virtualenv": sys.prefix}}}
    if plugins:
        settings["plugins"] = {"providers": [{"name": name, "path": str(path)} for name, path in plugins.items()]}
    (directory / "Pulumi.yaml").write_text(yaml.safe_dump(settings, sort_keys=False))
    (directory / "__main__.py").write_text(program)
    return CliProject(directory, cli_bin, cli_env(cli_bin, tmp_path / "state", emulator.url))


@pytest.fixture
def source_backup(emulator, index, client) -> str:
    """A Ready backup of the test index, for IndexFromBackup to restore."""
    emulator.state.faults.update({"ready_delay": 0.3, "restore_delay": 0.5})
    backup = client.create_backup(INDEX, name="source")
    emulator.state.backups[backup.backup_id].ready_at = 0
    return backup.backup_id


def test_the_example_s_final_backups_on_replace_remove_and_destroy(open_project, emulator, index, client):
    """examples/final-backup, the README's example, from a new stack."""
    project = open_project("final-backup")
    project.init({"indexName": INDEX, "restoredName": FIRST, "pollInterval": "0.2"})
    project.run("config", "set", "--secret", "pinecone:apiKey", API_KEY)
    project.run("up", "--yes")
    assert FIRST in emulator.state.indexes and final_backups_of(emulator, FIRST) == []
    emulator.state.seed_index(FIRST, record_count=777, namespace_count=2)  # written since the restore

    # A new name replaces the index: its final backup is made and Ready before it is deleted.
    project.run("config", "set", "restoredName", SECOND)
    up = project.run("up", "--yes")
    assert FIRST not in emulator.state.indexes and SECOND in emulator.state.indexes
    (final,) = final_backups_of(emulator, FIRST)
    assert (final.record_count, final.namespace_count) == (777, 2)  # the old index's, not the source's
    assert final.description == (
        f"Final backup of index {FIRST} before it was replaced: "
        f"resource restored ({RESTORE_TYPE}) of stack pinecone-backup-final-backup/dev"
    )
    assert_ready_before_delete(emulator, FIRST, final)
    assert re.search(rf"Kept: final backup {final.name} of index {FIRST}", up.stdout), up.stdout
    assert "Ready after" in up.stdout

    # Removed from the program (the hook stays): a final backup, which says so.
    program = project.dir / "__main__.py"
    declared = program.read_text()
    program.write_text(declared.split("restored = IndexFromBackup(")[0])
    project.run("up", "--yes")
    assert SECOND not in emulator.state.indexes
    (removed,) = final_backups_of(emulator, SECOND)
    assert "before it was removed: resource restored" in removed.description
    assert removed.record_count == RECORDS

    # `pulumi destroy --run-program`: a final backup again.
    program.write_text(declared)
    project.run("up", "--yes")
    project.run("destroy", "--yes", "--run-program")
    assert SECOND not in emulator.state.indexes and project.resources() == []
    assert "before it was destroyed: resource restored" in final_backups_of(emulator, SECOND)[-1].description

    # They are the user's to keep: found by their name, newest first, after the index is gone.
    found = final_backups(client, SECOND)
    assert [backup.backup_id for backup in found] == [b.backup_id for b in reversed(final_backups_of(emulator, SECOND))]
    assert [backup.name for backup in final_backups(client, FIRST)] == [final.name]


def test_a_failing_final_backup_stops_the_delete(cli_bin, emulator, source_backup, tmp_path):
    project = _project(cli_bin, emulator, tmp_path, RESTORE_PROGRAM)
    project.init({"backupId": source_backup, "indexName": FIRST}, secrets={"pinecone:apiKey": API_KEY})
    project.run("up", "--yes")

    emulator.state.faults.fail_backups = True
    project.run("config", "set", "indexName", SECOND)
    failed = project.run("up", "--yes", check=False)
    assert failed.returncode != 0
    text = failed.stdout + failed.stderr
    assert re.search(rf"final backup final-{FIRST}-\d{{14}} of index {FIRST}", text), text
    assert f"The index {FIRST} was not deleted: nothing is lost" in text
    assert FIRST in emulator.state.indexes and final_backups_of(emulator, FIRST) == []  # the Failed one deleted

    emulator.state.faults.fail_backups = False
    project.run("up", "--yes")
    assert FIRST not in emulator.state.indexes and SECOND in emulator.state.indexes
    (final,) = final_backups_of(emulator, FIRST)
    assert "before it was replaced" in final.description
    project.run("destroy", "--yes", "--run-program")


def test_pinecone_s_own_index_gets_its_final_backup(cli_bin, emulator, index, tmp_path):
    plugins = {"pinecone": fake_pinecone.install(tmp_path / "plugins")}
    project = _project(cli_bin, emulator, tmp_path, PINECONE_INDEX_PROGRAM, plugins)
    project.init({"indexName": "vectors-a"}, secrets={"pinecone:apiKey": API_KEY})
    project.run("up", "--yes")
    assert "vectors-a" in emulator.state.indexes
    emulator.state.seed_index("vectors-a", record_count=4242, namespace_count=1)

    project.run("config", "set", "indexName", "vectors-b")  # replaced, deleted first (the provider's rule)
    project.run("up", "--yes")
    (final,) = final_backups_of(emulator, "vectors-a")
    assert final.record_count == 4242 and "vectors-a" not in emulator.state.indexes
    assert final.description.endswith(
        f"before it was replaced: resource vectors ({fake_pinecone.TYPE}) of stack hooked/dev"
    )

    project.run("destroy", "--yes", "--run-program")
    (final,) = final_backups_of(emulator, "vectors-b")
    assert "before it was destroyed" in final.description and "vectors-b" not in emulator.state.indexes


def test_a_hook_calls_the_plugin_s_final_backup_function(cli_bin, emulator, source_backup, client, tmp_path):
    plugins = {"pinecone-backup": Path(sys.executable).parent}
    project = _project(cli_bin, emulator, tmp_path, PLUGIN_PROGRAM, plugins)
    project.init(
        {"backupId": source_backup, "indexName": FIRST},
        secrets={"pinecone-backup:apiKey": API_KEY},
    )
    project.run("up", "--yes")

    project.run("config", "set", "declared", "false")  # removed, once the program has finished
    removed = project.run("up", "--yes")
    (first,) = final_backups_of(emulator, FIRST)
    assert FIRST not in emulator.state.indexes
    assert first.description.startswith(f"Final backup of index {FIRST} before it was deleted: resource restored")
    assert f"Kept: final backup {first.name}" in removed.stdout, removed.stdout

    project.run("config", "set", "declared", "true")
    project.run("up", "--yes")
    project.run("destroy", "--yes", "--run-program")
    (second,) = final_backups_of(emulator, FIRST)  # keep=1: the older one deleted once this one was Ready
    assert second.backup_id != first.backup_id and FIRST not in emulator.state.indexes
    assert [backup.backup_id for backup in final_backups(client, FIRST)] == [second.backup_id]
