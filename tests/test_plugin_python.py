"""A Python program through the provider plugin (not the dynamic resources): the same resources,
declared by type token, as a program in any language without a generated SDK declares them."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from support.cli import PLUGIN_TYPES, STACK_TYPE, UNKNOWN, CliProject, cli_env
from support.emulator import API_KEY, INDEX, RECORDS, calls

pytestmark = [pytest.mark.engine, pytest.mark.timeout(600)]

PROGRAM = f"""
import pulumi

backup = pulumi.CustomResource(
    "{PLUGIN_TYPES["Backup"]}",
    "nightly",
    {{"indexName": "{INDEX}", "pollInterval": 1, "backupId": None, "recordCount": None, "name": None}},
)
restored = pulumi.CustomResource(
    "{PLUGIN_TYPES["IndexFromBackup"]}",
    "restored",
    {{"backupId": backup.backupId, "name": "restored", "pollInterval": 1, "host": None}},
)
pulumi.export("backupId", backup.backupId)
pulumi.export("recordCount", backup.recordCount)
pulumi.export("backupName", backup.name)
pulumi.export("host", restored.host)
"""


@pytest.fixture
def project(cli_bin, emulator, tmp_path) -> CliProject:
    directory = tmp_path / "python-plugin"
    directory.mkdir()
    settings = {
        "name": "python-plugin",
        "runtime": {"name": "python", "options": {"virtualenv": sys.prefix}},
        # the plugin this Python's environment installed
        "plugins": {"providers": [{"name": "pinecone-backup", "path": str(Path(sys.executable).parent)}]},
    }
    (directory / "Pulumi.yaml").write_text(yaml.safe_dump(settings, sort_keys=False))
    (directory / "__main__.py").write_text(PROGRAM)
    project = CliProject(directory, cli_bin, cli_env(cli_bin, tmp_path / "state", emulator.url))
    project.init({}, secrets={"pinecone-backup:apiKey": API_KEY})
    yield project
    print(project.report())


def test_a_python_program_through_the_plugin(project, emulator, index):
    plan = project.preview_json()
    assert {step.name: step.type for step in plan.steps if step.type != STACK_TYPE} == {
        "nightly": PLUGIN_TYPES["Backup"],
        "restored": PLUGIN_TYPES["IndexFromBackup"],
    }
    assert plan.step("restored").inputs["backupId"] == UNKNOWN
    assert calls(emulator) == []

    project.run("up", "--yes")
    outputs = project.outputs()
    assert set(emulator.state.backups) == {outputs["backupId"]}
    assert outputs["recordCount"] == RECORDS and outputs["backupName"].startswith("nightly-")
    assert outputs["host"] and emulator.state.indexes["restored"].record_count == RECORDS

    emulator.state.requests.clear()
    assert set(project.preview_json("--expect-no-changes").change_summary) == {"same"}
    assert calls(emulator) == []

    project.run("destroy", "--yes")
    assert emulator.state.backups == {} and set(emulator.state.indexes) == {INDEX}
