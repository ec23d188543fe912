"""The provider plugin through the plain CLI, from a Pulumi YAML program (examples/yaml), as a
user types it: preview, up, no-op, replace, update in place, refresh, import, customTimeouts,
destroy. The plugin is the `pulumi-resource-pinecone-backup` this Python's environment installed."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from pinecone_backup.core.restore import OWNER_TAG
from support.cli import STACK_TYPE, UNKNOWN, CliProject, cli_env
from support.emulator import API_KEY, INDEX, RECORDS, calls
from support.example_program import (
    BACKUP,
    RESOURCES,
    RESTORED,
    SCHEDULE,
    a_new_description_replaces_the_backup_and_the_restore,
    a_new_frequency_updates_the_schedule_in_place,
    destroy_left_only_the_source_index,
)

pytestmark = [pytest.mark.engine, pytest.mark.timeout(600)]

LOOK_UP = [("GET", f"/indexes/{INDEX}/backups", 200)]  # the example's latestScheduledBackup


@pytest.fixture
def project(open_project):
    project = open_project("yaml")
    project.init(
        {"indexName": INDEX, "restoredName": RESTORED, "pollInterval": "1"},
        secrets={"pinecone-backup:apiKey": API_KEY},  # the plugin's own config key
    )
    return project


def test_a_yaml_program_through_the_plugin(project, emulator, index, client):
    # A new stack's preview: three creates; the automatic names known, what Pinecone makes not,
    # the restore's backupId computed from the backup; no Pinecone call.
    plan = project.preview_json()
    assert {step.name: step.type for step in plan.steps if step.type != STACK_TYPE} == RESOURCES
    assert plan.ops() == {name: {"create"} for name in RESOURCES}
    assert plan.step("restored").inputs["backupId"] == UNKNOWN
    assert re.fullmatch(r"before-migration-[0-9a-f]{8}", plan.step("before-migration").inputs["name"])
    assert re.fullmatch(r"nightly-[0-9a-f]{8}", plan.step("nightly").inputs["name"])
    assert calls(emulator) == LOOK_UP  # the look-up reads, as look-ups do in a preview; nothing else

    # `pulumi up`: what Pinecone holds is what state and outputs say; progress on the rows.
    up = project.run("up", "--yes")
    outputs = project.outputs()
    assert set(emulator.state.backups) == {outputs["backupId"]} == project.ids_in_state(BACKUP)
    assert outputs["recordCount"] == RECORDS and outputs["backupName"] == plan.step("before-migration").inputs["name"]
    assert emulator.state.indexes[RESTORED].record_count == RECORDS and outputs["restoredHost"]
    (schedule,) = emulator.state.schedules.values()
    assert schedule.name == outputs["scheduleName"] and project.ids_in_state(SCHEDULE) == {schedule.schedule_id}
    assert outputs.get("newestScheduledBackup") is None  # a look-up: no run yet, and no error
    assert re.search(rf"Ready after \d+s: backup {outputs['backupId'][:8]}", up.stdout), up.stdout
    assert "Completed 100% after" in up.stdout  # the restore's progress, through the engine's log

    # A second preview: no change, no Pinecone call.
    emulator.state.requests.clear()
    plan = project.preview_json("--expect-no-changes")
    assert plan.ops() == {name: {"same"} for name in RESOURCES}
    assert calls(emulator) == LOOK_UP  # the look-up reads, as look-ups do in a preview; nothing else

    def preview_diff() -> str:
        return project.run("preview", "--diff").stdout

    def run_up() -> None:
        project.run("up", "--yes")

    a_new_frequency_updates_the_schedule_in_place(project, preview_diff, run_up, client, schedule.schedule_id)
    a_new_description_replaces_the_backup_and_the_restore(project, preview_diff, run_up, emulator, outputs["backupId"])
    assert emulator.state.indexes[RESTORED].tags.get(OWNER_TAG)  # the proof of whose it is

    # Deleted outside Pulumi: refresh drops it, and the next `up` makes it again.
    client.delete_backup_schedule(schedule.schedule_id)
    project.run("refresh", "--yes")
    assert project.ids_in_state(SCHEDULE) == set()
    project.run("up", "--yes")
    (again,) = client.list_backup_schedules(INDEX)
    assert project.ids_in_state(SCHEDULE) == {again.schedule_id}

    # `pulumi import` of a backup made by hand: adopted from the CLI, with its own inputs.
    by_hand = client.create_backup(INDEX, name="by-hand", description="made by hand")
    imported = project.run(
        "import", BACKUP, "by-hand", by_hand.backup_id, "--yes", "--protect=false", "--generate-code=false"
    )
    assert "1 imported" in imported.stdout, imported.stdout
    assert by_hand.backup_id in project.ids_in_state(BACKUP)

    # `pulumi destroy`: nothing of the stack is left in Pinecone, the imported backup included.
    project.run("destroy", "--yes")
    destroy_left_only_the_source_index(project, emulator)


def test_custom_timeouts_end_the_wait_and_leave_nothing(project, emulator, index):
    """`customTimeouts: {create: 3s}` on a backup that takes a minute: `up` fails within it, naming
    the timeout, and the backup is deleted (Pulumi cannot record a half-made resource)."""
    program = project.dir / "Pulumi.yaml"
    program.write_text(
        program.read_text().replace(
            "  before-migration:\n    type: pinecone-backup:index:Backup\n",
            "  before-migration:\n    type: pinecone-backup:index:Backup\n    options:\n"
            "      customTimeouts:\n        create: 3s\n",
        )
    )
    emulator.state.faults.ready_delay = 60.0
    failed = project.run("up", "--yes", check=False)
    assert failed.returncode != 0
    assert re.search(r"backup \S+ of products is Initializing after \ds \(ready_timeout=3s\)", failed.stdout), (
        failed.stdout
    )
    assert "was deleted so that nothing is left behind" in failed.stdout
    assert "Unexpected <class" not in failed.stdout  # our message, not gRPC's wrapping of it
    assert emulator.state.backups == {} and project.ids_in_state(BACKUP) == set()
    project.run("destroy", "--yes")
    assert emulator.state.schedules == {}


def test_bad_inputs_fail_the_preview_naming_the_property_with_no_api_call(project, emulator, index):
    program = project.dir / "Pulumi.yaml"
    valid = program.read_text()
    program.write_text(valid.replace("      retentionDays: 7\n", "      retentionDays: 0\n"))
    failed = project.run("preview", check=False)
    assert failed.returncode != 0
    assert re.search(
        r"property retentionDays value .*? has a problem: must be a whole number of at least 1", failed.stdout
    )

    program.write_text(valid)
    project.run("config", "set", "restoredName", "Restored_Index")
    failed = project.run("preview", check=False)
    assert failed.returncode != 0
    assert re.search(
        r"property name value .*? has a problem: 'Restored_Index' is not a valid index name", failed.stdout
    )
    assert calls(emulator) == []


LOOKUPS = """
name: look-ups
runtime: yaml
plugins:
  providers:
    - name: pinecone-backup
      path: {plugin}
config:
  backupId: {{type: string}}
  scheduleId: {{type: string}}
  namePrefix: {{type: string, default: nightly}}
variables:
  one:
    fn::invoke:
      function: pinecone-backup:index:getBackup
      arguments: {{backupId: "${{backupId}}"}}
  all:
    fn::invoke:
      function: pinecone-backup:index:listBackups
      arguments: {{indexName: {index}}}
      return: backups
  newest:
    fn::invoke:
      function: pinecone-backup:index:latestBackup
      arguments: {{indexName: {index}, namePrefix: "${{namePrefix}}", status: any}}
  scheduled:
    fn::invoke:
      function: pinecone-backup:index:latestScheduledBackup
      arguments: {{indexName: {index}, scheduleName: daily}}
      return: backup
  runs:
    fn::invoke:
      function: pinecone-backup:index:scheduleHistory
      arguments: {{scheduleId: "${{scheduleId}}"}}
      return: runs
outputs:
  one: ${{one}}
  count: ${{all}}
  newest: ${{newest.name}}
  scheduled: ${{scheduled}}
  runs: ${{runs}}
"""


def test_look_ups_through_the_plugin(cli_bin, emulator, index, client, tmp_path):
    first = client.create_backup(INDEX, name="nightly-1", description="first")
    second = client.create_backup(INDEX, name="nightly-2", description="second")
    schedule = client.create_backup_schedule(INDEX, name="daily", frequency="daily", retention_days=7)
    directory = tmp_path / "look-ups"
    directory.mkdir()
    plugin = Path(sys.executable).parent
    (directory / "Pulumi.yaml").write_text(LOOKUPS.format(plugin=plugin, index=INDEX))
    project = CliProject(directory, cli_bin, cli_env(cli_bin, tmp_path / "state", emulator.url))
    project.init(
        {"backupId": first.backup_id, "scheduleId": schedule.schedule_id}, secrets={"pinecone-backup:apiKey": API_KEY}
    )

    project.run("up", "--yes")
    outputs = project.outputs()
    assert outputs["one"]["backupId"] == first.backup_id and outputs["one"]["description"] == "first"
    assert outputs["one"]["recordCount"] == RECORDS and outputs["one"]["sourceIndexName"] == INDEX
    assert {backup["backupId"] for backup in outputs["count"]} == {first.backup_id, second.backup_id}
    assert outputs["newest"] == "nightly-2"
    assert outputs.get("scheduled") is None  # no run before Pinecone's 06:00 UTC: no error either
    assert [run["status"] for run in outputs["runs"]][-1:] == ["Scheduled"]

    project.run("config", "set", "namePrefix", "weekly")
    failed = project.run("preview", check=False)
    assert failed.returncode != 0
    assert "no any backup of index 'products' whose name starts with 'weekly'" in failed.stdout + failed.stderr
