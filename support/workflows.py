"""The GitHub Actions workflows the repository ships (the CI recipes, the release), read and
checked as GitHub would: against GitHub's workflow schema, and for the shape each promises."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml


def load_workflow(path: Path) -> dict[str, Any]:
    workflow: dict[Any, Any] = yaml.safe_load(path.read_text())
    workflow["on"] = workflow.pop(True)  # YAML 1.1 reads the key `on` as true
    return workflow


def schema_errors(path: Path) -> str | None:
    """What `check-jsonschema --builtin-schema vendor.github-workflows` finds wrong, or None."""
    done = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return None if done.returncode == 0 else done.stdout + done.stderr


def run_step(script: str, cwd: Path, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """A step's `run:` as Actions runs it with `shell: bash`."""
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def run_commands(job: dict[str, Any]) -> list[str]:
    return [step["run"] for step in job["steps"] if "run" in step]


def assert_previews_pull_requests_and_deploys_main(workflow: dict[str, Any], actions: set[str]) -> None:
    """The CI recipe's shape, whatever the program's language: `pulumi preview` on pull requests
    (commented), `pulumi up` on pushes to main, one `up` per stack at a time and never cancelled,
    secrets from the repository's, and no action but `actions` (the pulumi action only installs).
    A `destroy` job, if any, runs by hand, never beside an `up`, and runs the program, so that
    its delete hooks (final backups) run."""
    preview, up = workflow["jobs"]["preview"], workflow["jobs"]["up"]
    destroy = workflow["jobs"].get("destroy")
    assert set(workflow["on"]) == {"pull_request", "push", *(["workflow_dispatch"] if destroy else [])}
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert "pull_request" in preview["if"] and "push" in up["if"]
    if destroy is not None:
        assert "workflow_dispatch" in destroy["if"] and destroy["concurrency"] == up["concurrency"]
        assert any(re.match(r"pulumi destroy\b.*--run-program", command) for command in run_commands(destroy))
    assert preview["permissions"]["pull-requests"] == "write"
    # one `up` per stack at a time, never cancelled by the next push
    assert "matrix.stack" in up["concurrency"]["group"] and up["concurrency"]["cancel-in-progress"] is False
    assert "matrix.stack" in preview["concurrency"]["group"]
    assert up["strategy"]["fail-fast"] is False
    assert up["timeout-minutes"] >= 300  # backups of large indexes take hours
    for key in ("PINECONE_API_KEY", "PULUMI_BACKEND_URL", "PULUMI_CONFIG_PASSPHRASE"):
        assert workflow["env"][key] == f"${{{{ secrets.{key} }}}}"
    assert int(workflow["env"]["PULUMI_PARALLEL"]) >= 64  # backups side by side, not 8 at a time
    for job in (preview, up, *([destroy] if destroy else [])):
        for command in run_commands(job):
            if re.match(r"pulumi (preview|up|destroy)\b", command):
                assert "--non-interactive" in command, command
        for step in job["steps"]:
            uses = step.get("uses", "")
            assert not uses or uses.split("@")[0] in actions, uses
            if uses.startswith("pulumi/actions"):
                assert "command" not in step.get("with", {}), "the pulumi action only installs the CLI"
