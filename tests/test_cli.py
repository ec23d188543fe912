"""The examples through the plain Pulumi CLI, as a user types it: `pulumi preview`, `pulumi up`...

Every example is a Pulumi project of its own (examples/quickstart, examples/restore, and the
top-level Pulumi.yaml, which runs the quickstart). Each test copies one into tmp_path, points
its virtualenv at the one pytest runs in, and runs `pulumi ... --non-interactive` there as a
subprocess: the engine starts the Python language host, which runs the program, and the
dynamic-provider host, which talks to the emulator. State is a file backend in tmp_path.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from pinecone_backup.core.restore import OWNER_TAG
from support.cli import (
    BACKUP_TYPE,
    EXAMPLES,
    RESTORE_TYPE,
    STACK_TYPE,
    UNKNOWN,
    cli_env,
    copy_project,
    diff_blocks,
)
from support.emulator import API_KEY, INDEX, RECORDS, calls
from support.workflows import assert_previews_pull_requests_and_deploys_main, load_workflow, run_step, schema_errors

pytestmark = pytest.mark.timeout(600)
engine = pytest.mark.engine

RESTORED = "products-restored"
FAST = {"pollInterval": "0.2", "readyTimeout": "60"}  # the emulator's backups are Ready in 0.3 s
WORKFLOW = EXAMPLES / "ci" / "pulumi.yml"

# What each example declares: resource name -> type.
RESOURCES = {
    "quickstart": {"nightly": BACKUP_TYPE},
    "root": {"nightly": BACKUP_TYPE},
    "restore": {"before-migration": BACKUP_TYPE, "restored": RESTORE_TYPE, "restored-baseline": BACKUP_TYPE},
}
CONFIG = {
    "quickstart": {"indexName": INDEX},
    "root": {"indexName": INDEX},
    "restore": {"indexName": INDEX, "restoredName": RESTORED},
}


def writes(emulator) -> list[tuple[str, str, int]]:
    return [call for call in calls(emulator) if call[0] != "GET"]


@engine
@pytest.mark.parametrize("example", ["quickstart", "restore", "root"])
def test_example_through_the_cli(example, open_project, emulator, index, client):
    project = open_project(example)
    project.init({**CONFIG[example], **FAST})
    project.run("config", "set", "--secret", "pinecone:apiKey", API_KEY)
    expected = RESOURCES[example]

    # `pulumi preview` of a new stack: a create for each resource, and no Pinecone call.
    plan = project.preview_json()
    assert {step.name: step.type for step in plan.steps if step.type != STACK_TYPE} == expected
    assert plan.ops() == {name: {"create"} for name in expected}
    if example == "restore":  # inputs computed from another resource's outputs are unknown in preview
        assert plan.step("restored").inputs["backup_id"] == UNKNOWN
        assert plan.step("restored-baseline").inputs["description"] == UNKNOWN
    assert calls(emulator) == []

    # `pulumi up`: what the emulator then holds is what state and outputs say.
    up = project.run("up", "--yes")
    outputs = project.outputs()
    backups = emulator.state.backups
    assert project.ids_in_state(BACKUP_TYPE) == set(backups)
    assert all(backup.to_api(float("inf"))["status"] == "Ready" for backup in backups.values())
    assert outputs["backup_id"] in backups
    assert outputs["record_count"] == RECORDS
    if example == "restore":
        assert len(backups) == 2
        assert outputs["restore_status"] == "Completed" and outputs["restored_index"] == RESTORED
        assert emulator.state.indexes[RESTORED].record_count == RECORDS
        baseline = backups[outputs["baseline_backup_id"]]
        assert baseline.to_api(float("inf"))["source_index_name"] == RESTORED
        assert project.ids_in_state(RESTORE_TYPE) == {RESTORED}
    else:
        assert len(backups) == 1 and outputs["status"] == "Ready"
    # The provider's progress lines (its stderr) reach the user: the CLI shows them on the stack.
    short_id = re.escape(outputs["backup_id"][:8])
    assert re.search(rf"^.*({short_id}.*Ready|Ready.*{short_id}).*$", up.stdout, re.MULTILINE), up.stdout

    # A second `pulumi preview`: no changes, no Pinecone call.
    emulator.state.requests.clear()
    plan = project.preview_json("--expect-no-changes")
    assert set(plan.change_summary) == {"same"}, plan.change_summary
    assert plan.ops() == {name: {"same"} for name in expected}
    assert calls(emulator) == []

    # A new description: the backup is replaced (and, in restore, the index restored from it,
    # whose backup_id input really changes, and that index's baseline backup). Nothing else is.
    project.run("config", "set", "description", "after the migration")
    diff = project.run("preview", "--diff").stdout
    changed = {(op, type_, name) for op, type_, name in diff_blocks(diff) if type_ != STACK_TYPE}
    if example == "restore":  # the index is restored from a new backup, so it gets a new baseline too
        assert changed == {
            ("replace", BACKUP_TYPE, "before-migration"),
            ("replace", RESTORE_TYPE, "restored"),
            ("replace", BACKUP_TYPE, "restored-baseline"),
        }, diff
    else:
        assert changed == {("replace", BACKUP_TYPE, "nightly")}, diff
    assert re.search(r'[~+] description\s*: (.* => )?"after the migration"', diff), diff
    assert calls(emulator) == []
    project.run("config", "rm", "description")

    if example == "quickstart":  # `triggers`: a new migration version, a new backup
        assert outputs["backup_name"].startswith("nightly-")  # no name given: the automatic one
        project.run("config", "set", "migrationVersion", "2")
        diff = project.run("preview", "--diff").stdout
        assert {block for block in diff_blocks(diff) if block[1] != STACK_TYPE} == {
            ("replace", BACKUP_TYPE, "nightly")
        }, diff
        assert re.search(r"[~+] triggers\s*:", diff), diff
        project.run("config", "rm", "migrationVersion")

    # A new wait setting: nothing to do, in Pinecone or in the plan (no update, no replace).
    project.run("config", "set", "readyTimeout", "120")
    plan = project.preview_json()
    assert plan.replaced() == set()
    assert plan.ops() == {name: {"same"} for name in expected}
    assert calls(emulator) == []

    if example == "restore":  # changed outside Pulumi: a refreshing preview shows it, `up` sets it back
        client.configure_index(RESTORED, deletion_protection="enabled", tags={"restored-from": "elsewhere", "x": "y"})
        diff = project.run("preview", "--refresh", "--diff").stdout
        assert ("update", RESTORE_TYPE, "restored") in diff_blocks(diff), diff
        assert re.search(r'~ deletion_protection\s*: "enabled" => "disabled"', diff), diff
        assert re.search(rf'~ restored-from\s*: "elsewhere" => "{INDEX}"', diff), diff
        assert re.search(r'- x\s*: "y"', diff), diff
        project.run("up", "--refresh", "--yes")
        assert project.outputs() == outputs  # changed in place: the index, its backups stay
        restored = client.describe_index(RESTORED)
        assert restored.deletion_protection == "disabled"
        assert restored.tags is not None and restored.tags.keys() == {"restored-from", OWNER_TAG}
        assert restored.tags["restored-from"] == INDEX
        emulator.state.requests.clear()

    # `pulumi refresh`: reads only; state still holds what Pinecone holds.
    project.run("refresh", "--yes")
    assert writes(emulator) == []
    assert project.ids_in_state(BACKUP_TYPE) == set(emulator.state.backups)

    # `pulumi destroy`: nothing of the stack is left in Pinecone; the source index stays.
    emulator.state.requests.clear()
    project.run("destroy", "--yes")
    if example == "restore":  # dependents first: the baseline, the index, then its backup
        assert writes(emulator) == [
            ("DELETE", f"/backups/{outputs['baseline_backup_id']}", 202),
            ("DELETE", f"/indexes/{RESTORED}", 202),
            ("DELETE", f"/backups/{outputs['backup_id']}", 202),
        ]
    assert emulator.state.backups == {}
    assert set(emulator.state.indexes) == {INDEX}
    project.run("stack", "rm", "--yes", project.stack)
    assert project.stack_files() == []
    assert API_KEY not in "\n".join(project.output)  # no command printed the key


# -- the CI recipe ----------------------------------------------------------------------------


_EXPRESSION = re.compile(r"\$\{\{\s*(?P<expr>[^}]*?)\s*\}\}")


def expand(text: str, context: dict[str, dict[str, str]]) -> str:
    """Substitute `${{ env.X }}` / `${{ matrix.X }}` as Actions does; anything else can't run locally."""

    def one(match: re.Match[str]) -> str:
        scope, _, name = match["expr"].partition(".")
        if scope not in context or name not in context[scope]:
            raise AssertionError(f"{match[0]} cannot be evaluated outside GitHub Actions")
        return context[scope][name]

    return _EXPRESSION.sub(one, text)


def test_ci_workflow_is_a_valid_github_actions_workflow():
    assert schema_errors(WORKFLOW) is None


def test_ci_workflow_previews_pull_requests_and_deploys_main():
    workflow = load_workflow(WORKFLOW)
    assert_previews_pull_requests_and_deploys_main(
        workflow, {"actions/checkout", "actions/setup-python", "pulumi/actions"}
    )
    assert "destroy" in workflow["jobs"]  # by hand, running the program: final backups are made


@engine
def test_ci_workflow_commands_run_locally(cli_bin, emulator, index, tmp_path):
    """The workflow's own `run:` commands (read from the YAML), run here against the emulator:
    the preview job, the up job, then the destroy job, with local stand-ins for the secrets."""
    workflow = load_workflow(WORKFLOW)
    emulator.state.faults.update({"ready_delay": 0.3})
    workflow_env = {key: str(value) for key, value in workflow["env"].items()}
    project_dir = workflow_env["PROJECT_DIR"]
    assert project_dir.startswith("examples/"), "the recipe runs one of the examples"
    copy_project(project_dir.removeprefix("examples/"), tmp_path / "repo")

    env = cli_env(cli_bin, tmp_path / "state", emulator.url)  # PULUMI_BACKEND_URL + passphrase: file backend
    env.update({key: value for key, value in workflow_env.items() if "${{" not in value})
    env["PINECONE_API_KEY"] = API_KEY  # ${{ secrets.PINECONE_API_KEY }}
    env["RUNNER_TEMP"] = str(tmp_path / "runner-temp")
    Path(env["RUNNER_TEMP"]).mkdir()

    def job_steps(name: str) -> tuple[dict[str, str], Path, list[tuple[str, str]]]:
        job = workflow["jobs"][name]
        (stack,) = job["strategy"]["matrix"]["stack"]
        context = {"env": workflow_env, "matrix": {"stack": stack}}
        job_env = {**env, **{key: expand(str(value), context) for key, value in job.get("env", {}).items()}}
        workdir = tmp_path / "repo" / expand(job["defaults"]["run"]["working-directory"], context)
        return (
            job_env,
            workdir,
            [(step.get("name", step["run"]), step["run"]) for step in job["steps"] if "run" in step],
        )

    # Once, from a workstation (README): the stack and its committed config. The key is not in
    # it: CI gives the provider PINECONE_API_KEY.
    setup_env, workdir, _ = job_steps("up")
    stack = setup_env["STACK"]
    for args in (["stack", "init", stack], ["config", "set-all", f"--plaintext=indexName={INDEX}"]):
        subprocess.run([cli_bin / "pulumi", *args, "--non-interactive"], cwd=workdir, env=setup_env, check=True)
    for key, value in FAST.items():
        subprocess.run([cli_bin / "pulumi", "config", "set", key, value], cwd=workdir, env=setup_env, check=True)

    skipped: list[str] = []
    output: dict[str, str] = {}

    def run_job(name: str) -> None:
        job_env, job_dir, steps = job_steps(name)
        for step_name, script in steps:
            # Installing dependencies is this test's own venv's business; the comment needs GitHub.
            if not script.startswith("pulumi ") or script.startswith("pulumi install"):
                skipped.append(step_name)
                continue
            done = run_step(script, job_dir, job_env)
            output[step_name] = done.stdout + done.stderr
            assert done.returncode == 0, f"{name} / {step_name}: `{script}` failed:\n{output[step_name]}"

    run_job("preview")
    assert calls(emulator) == []
    previewed = (Path(env["RUNNER_TEMP"]) / "preview.txt").read_text()  # what the PR comment would carry
    assert ("create", BACKUP_TYPE, "nightly") in diff_blocks(previewed), previewed

    run_job("up")
    (backup_id,) = emulator.state.backups
    assert backup_id in output["Stack outputs"]

    run_job("destroy")
    assert emulator.state.backups == {}
    assert skipped == [
        "Install the program's dependencies",
        "Post the preview as a PR comment",
        "Install the program's dependencies",
        "Install the program's dependencies",
    ]
