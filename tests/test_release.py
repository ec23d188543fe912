"""The release workflow, checked as GitHub reads it; the release's build commands, as the workflow
spells them, run here; and the plugin tarball they make installed with `pulumi plugin install
--file` and run by the engine from a YAML program that names no path. Publishing (PyPI, npm, the
GitHub release, the Go tag) needs GitHub and the registries: not run."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from pinecone_backup import __version__
from support.cli import PLUGIN_TYPES, ROOT, STACK_TYPE, CliProject, cli_env, copy_project
from support.emulator import API_KEY, INDEX, calls
from support.release import LAUNCHER, PLATFORMS, PLUGIN, go_tag, notes, plugin_tarball_name
from support.workflows import load_workflow, run_commands, run_step, schema_errors

RELEASE = ROOT / ".github" / "workflows" / "release.yml"
TAG = f"v{__version__}"


def test_release_workflow_is_a_valid_github_actions_workflow():
    assert schema_errors(RELEASE) is None


# -- the release workflow -----------------------------------------------------------------------


def steps_by_name(job: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {step.get("name", step.get("uses", "")): step for step in job["steps"]}


def test_release_workflow_builds_with_the_release_script_and_publishes_what_it_made():
    workflow = load_workflow(RELEASE)
    assert workflow["on"] == {"push": {"tags": ["v*"]}}
    jobs = workflow["jobs"]
    build = steps_by_name(jobs["build"])
    assert build["Build the release"]["run"] == 'python -m support.release build "${GITHUB_REF_NAME#v}" dist'
    assert build["actions/upload-artifact@v4"]["with"]["path"] == "dist/"
    assert all(jobs[name]["needs"] == "build" for name in ("pypi", "npm", "github-release"))

    pypi = steps_by_name(jobs["pypi"])["pypa/gh-action-pypi-publish@release/v1"]
    assert pypi["with"]["packages-dir"] == "dist/python/"  # the sdist and the wheel alone
    assert jobs["pypi"]["permissions"] == {"id-token": "write"}  # trusted publishing, no token
    npm = steps_by_name(jobs["npm"])["npm publish"]
    assert (
        npm["run"].startswith("npm publish dist/npm/") and npm["env"]["NODE_AUTH_TOKEN"] == "${{ secrets.NPM_TOKEN }}"
    )
    assert "dist/plugin/*" in run_commands(jobs["github-release"])[0]
    # The Go module's tag, for this tag: sdk/go/vX.Y.Z.
    tagging = run_commands(jobs["go-module"])[0].replace("$GITHUB_REF_NAME", TAG)
    assert f'git push origin "{go_tag(__version__)}"' in tagging


def test_the_release_refuses_a_tag_that_is_not_the_repositorys_version(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "support.release", "build", "9.9.9", str(tmp_path / "dist")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert f"pinecone_backup/_version.py says {__version__}" in done.stderr
    assert not (tmp_path / "dist").exists()  # refused before building anything


def test_the_changelog_has_the_version_and_an_unreleased_section():
    assert notes(__version__).startswith("### ")
    assert notes("Unreleased").startswith("### Added")


def launch(directory: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The plugin tarball's launcher, alone in `directory`, started as the engine starts it."""
    shutil.copy(LAUNCHER, directory / PLUGIN)
    return subprocess.run(
        [str(directory / PLUGIN)], env={**os.environ, **env}, capture_output=True, text=True, timeout=120
    )


def test_the_plugin_launcher_without_a_python_it_can_use_says_so(tmp_path):
    done = launch(tmp_path, PINECONE_BACKUP_PYTHON="false")
    assert done.returncode == 1 and done.stdout == ""  # stdout is the engine's: the port, or nothing
    assert "needs Python 3.10 or newer" in done.stderr
    assert [path.name for path in tmp_path.iterdir()] == [PLUGIN]


def test_a_failed_first_run_of_the_plugin_launcher_leaves_no_virtualenv(tmp_path):
    done = launch(tmp_path, PINECONE_BACKUP_PYTHON=sys.executable)  # no wheel beside it: pip fails
    assert done.returncode != 0 and done.stdout == ""
    assert "pinecone_backup-*.whl" in done.stderr
    assert [path.name for path in tmp_path.iterdir()] == [PLUGIN]  # the next run starts afresh


# -- the release, built here ------------------------------------------------------------------


@pytest.mark.engine
@pytest.mark.timeout(900)
def test_release_build_and_the_plugin_installed_from_its_tarball(cli_bin, emulator, index, tmp_path):
    # The build job's steps, as the workflow spells them, in a runner's stand-in: the tag's name
    # in GITHUB_REF_NAME, this Python as `python`, the checkout importable.
    build = steps_by_name(load_workflow(RELEASE)["jobs"]["build"])
    runner = tmp_path / "runner"
    runner.mkdir()
    step_env = {
        **os.environ,
        "GITHUB_REF_NAME": TAG,
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
        "PYTHONPATH": str(ROOT),
    }
    for name in ("Build the release", "Release notes"):
        done = run_step(build[name]["run"], runner, step_env, timeout=600)
        assert done.returncode == 0, f"{name}: `{build[name]['run']}` failed:\n{done.stdout}{done.stderr}"
    dist = runner / "dist"
    assert (dist / "notes.md").read_text() == notes(__version__)

    # PyPI's: the sdist and the wheel of this version, nothing else.
    python = sorted(path.name for path in (dist / "python").iterdir())
    assert python == [f"pinecone_backup-{__version__}-py3-none-any.whl", f"pinecone_backup-{__version__}.tar.gz"]
    with zipfile.ZipFile(dist / "python" / python[0]) as wheel:
        metadata = wheel.read(f"pinecone_backup-{__version__}.dist-info/METADATA").decode()
        entry_points = wheel.read(f"pinecone_backup-{__version__}.dist-info/entry_points.txt").decode()
    assert f"\nVersion: {__version__}\n" in metadata
    assert f"{PLUGIN} = pinecone_backup.plugin.__main__:main" in entry_points

    # npm's: the compiled package, as `npm install` takes it.
    (npm,) = (dist / "npm").iterdir()
    with tarfile.open(npm) as tar:
        names = set(tar.getnames())
        package = json.loads(tar.extractfile("package/package.json").read())  # type: ignore[union-attr]
    assert (package["name"], package["version"]) == ("@pinecone-backup/pulumi", __version__)
    assert package["pulumi"] == {  # what tells the engine which plugin the package needs, and from where
        "resource": True,
        "name": "pinecone-backup",
        "version": __version__,
        "server": "github://api.github.com/pinecone-backup/pinecone-backup",
    }
    assert {"package/index.js", "package/index.d.ts", "package/backup.js", "package/types/input.d.ts"} <= names
    assert not any(name.endswith((".ts", ".built")) and not name.endswith(".d.ts") for name in names), names

    # The GitHub release's: one tarball per platform, all the same, their sums beside them.
    tarballs = [dist / "plugin" / plugin_tarball_name(__version__, platform) for platform in PLATFORMS]
    sums = (dist / "plugin" / "SHA256SUMS").read_text().splitlines()
    assert sums == [f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}" for path in tarballs]
    assert len({line.split()[0] for line in sums}) == 1
    with tarfile.open(tarballs[0]) as tar:
        members = {member.name: member.mode for member in tar.getmembers()}
    assert members == {PLUGIN: 0o755, python[0]: 0o644, "LICENSE": 0o644}

    # `pulumi plugin install --file` into a fresh Pulumi home; PULUMI_IGNORE_AMBIENT_PLUGINS keeps
    # the engine off the plugin this test's virtualenv has on PATH.
    env = {**cli_env(cli_bin, tmp_path / "state", emulator.url), "PULUMI_IGNORE_AMBIENT_PLUGINS": "true"}
    linux = dist / "plugin" / plugin_tarball_name(__version__, "linux-amd64")
    pulumi = str(cli_bin / "pulumi")
    installed = subprocess.run(
        [pulumi, "plugin", "install", "resource", "pinecone-backup", __version__, "--file", str(linux)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    plugin_dir = Path(env["PULUMI_HOME"]) / "plugins" / f"resource-pinecone-backup-v{__version__}"
    assert sorted(path.name for path in plugin_dir.iterdir()) == sorted(members)
    listed = json.loads(
        subprocess.run([pulumi, "plugin", "ls", "--json"], env=env, capture_output=True, check=True).stdout
    )
    assert [(p["name"], p["kind"], p["version"]) for p in listed] == [("pinecone-backup", "resource", __version__)]

    # examples/yaml without its `plugins:` block: the engine finds the installed plugin by name.
    directory = copy_project("yaml", tmp_path / "repo")
    settings = yaml.safe_load((directory / "Pulumi.yaml").read_text())
    del settings["plugins"]
    (directory / "Pulumi.yaml").write_text(yaml.safe_dump(settings, sort_keys=False))
    project = CliProject(directory, cli_bin, env)
    emulator.state.faults.update({"ready_delay": 0.3, "restore_delay": 0.5})
    try:
        project.init(
            {"indexName": INDEX, "restoredName": "products-restored", "pollInterval": "1"},
            secrets={"pinecone-backup:apiKey": API_KEY},
        )
        plan = project.preview_json()
        resources = {"before-migration": "Backup", "restored": "IndexFromBackup", "nightly": "BackupSchedule"}
        assert {step.name: step.type for step in plan.steps if step.type != STACK_TYPE} == {
            name: PLUGIN_TYPES[kind] for name, kind in resources.items()
        }
        assert plan.ops() == {name: {"create"} for name in resources}
        # Its first run made the plugin's virtualenv beside it: this plugin answered, no other.
        assert (plugin_dir / "venv" / "bin" / "python").exists()
        assert not re.search(r"using pulumi-resource-pinecone-backup from \$PATH", "\n".join(project.output))

        project.run("up", "--yes")
        assert set(emulator.state.backups) == {project.outputs()["backupId"]}
        project.run("destroy", "--yes")
        assert emulator.state.backups == {} and calls(emulator)
    finally:
        print(project.report())
