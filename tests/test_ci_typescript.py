"""The CI recipe's TypeScript variant (examples/ci/pulumi-typescript.yml), checked as GitHub reads
it and for the Python recipe's shape. Its commands are not run: no Node.js language host here."""

from __future__ import annotations

from pinecone_backup import __version__
from support.cli import EXAMPLES
from support.workflows import assert_previews_pull_requests_and_deploys_main, load_workflow, run_commands, schema_errors

CI_PYTHON = EXAMPLES / "ci" / "pulumi.yml"
CI_TYPESCRIPT = EXAMPLES / "ci" / "pulumi-typescript.yml"


def test_typescript_ci_workflow_is_a_valid_github_actions_workflow():
    assert schema_errors(CI_TYPESCRIPT) is None


def test_typescript_ci_workflow_previews_pull_requests_and_deploys_main():
    workflow = load_workflow(CI_TYPESCRIPT)
    assert_previews_pull_requests_and_deploys_main(
        workflow, {"actions/checkout", "actions/setup-node", "actions/setup-python", "pulumi/actions"}
    )
    python_recipe = load_workflow(CI_PYTHON)
    for name in ("preview", "up"):
        job = workflow["jobs"][name]
        (node,) = [step for step in job["steps"] if step.get("uses", "").startswith("actions/setup-node")]
        assert node["with"]["node-version"] == 22
        commands = run_commands(job)
        # npm ci and the plugin, then the Python recipe's own pulumi commands, word for word.
        assert commands[:2] == [
            "npm ci",
            'pulumi plugin install resource pinecone-backup "$PINECONE_BACKUP_VERSION"'
            ' --server "$PINECONE_BACKUP_PLUGINS"',
        ]
        pulumi_commands = [
            command for command in run_commands(python_recipe["jobs"][name]) if command != "pulumi install"
        ]
        assert commands[2:] == pulumi_commands
    # The plugin this repository releases, from where the release workflow puts it.
    assert workflow["env"]["PINECONE_BACKUP_VERSION"] == __version__
    assert workflow["env"]["PINECONE_BACKUP_PLUGINS"] == "github://api.github.com/pinecone-backup/pinecone-backup"
