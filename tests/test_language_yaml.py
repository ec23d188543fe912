"""Pulumi YAML programs through the plain CLI, with the language host of scripts/install-language-yaml.

The script prints the directory holding `pulumi-language-yaml` (built once with `go install`
beside the CLI of scripts/install-pulumi, then cached); with it on PATH, a `runtime: yaml`
project previews, deploys and shows its outputs, on a file backend in tmp_path.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from support.cli import ROOT, CliProject, cli_env

pytestmark = [pytest.mark.engine, pytest.mark.timeout(900)]  # a cold build takes about 80 s

SCRIPT = ROOT / "scripts" / "install-language-yaml"
HOST = "pulumi-language-yaml"
PROGRAM = """\
name: yaml-smoke
runtime: yaml
outputs:
  greeting: hello
"""


def install_language_yaml() -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    done = subprocess.run([str(SCRIPT)], capture_output=True, text=True, timeout=1800)
    return done, time.monotonic() - started


@pytest.fixture(scope="module")
def yaml_host_dir() -> Path:
    done, _ = install_language_yaml()
    assert done.returncode == 0, f"{SCRIPT} exited {done.returncode}\n{done.stderr}"
    return Path(done.stdout.strip().splitlines()[-1])


def test_the_script_prints_only_the_directory_and_reuses_it(yaml_host_dir):
    done, seconds = install_language_yaml()  # the build (if any) was the fixture's: this one reuses it
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{yaml_host_dir}\n"  # progress goes to stderr
    assert os.access(yaml_host_dir / HOST, os.X_OK)
    assert seconds < 5, f"a cached call took {seconds:.1f}s\n{done.stderr}"


def test_a_yaml_program_through_the_cli(cli_bin, yaml_host_dir, tmp_path):
    directory = tmp_path / "yaml-smoke"
    directory.mkdir()
    (directory / "Pulumi.yaml").write_text(PROGRAM)
    env = cli_env(cli_bin, tmp_path / "state", "http://127.0.0.1:9")  # no Pinecone in this program
    env["PATH"] = os.pathsep.join([str(yaml_host_dir), env["PATH"]])
    project = CliProject(directory, cli_bin, env)
    try:
        project.init({})
        preview = project.run("preview")
        assert 'greeting: "hello"' in preview.stdout
        assert "+ 1 to create" in preview.stdout
        up = project.run("up", "--yes")
        assert "+ 1 created" in up.stdout
        assert project.run("stack", "output", "greeting").stdout == "hello\n"
        assert project.outputs() == {"greeting": "hello"}
        # The engine ran the host from PATH: it downloaded no plugin (there is no network to do so).
        assert not list((tmp_path / "state" / ".pulumi-home" / "plugins").glob("language-yaml*"))
    finally:
        print(project.report())
