"""Shared fixtures: one emulator per test session on an ephemeral port, reset before each test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pinecone_backup.api import PineconeClient
from pinecone_backup.core import credentials as _credentials
from pinecone_backup.emulator import EmulatorServer, EmulatorState
from support.cli import CliProject, cli_env, copy_project, missing_engine_parts
from support.emulator import API_KEY, INDEX, create_index, fast_retry
from support.engine import install_engine


@pytest.fixture(scope="session")
def emulator_server() -> Iterator[EmulatorServer]:
    with EmulatorServer(EmulatorState(api_keys=frozenset({API_KEY}))) as server:
        yield server


@pytest.fixture
def emulator(emulator_server: EmulatorServer) -> EmulatorServer:
    emulator_server.state.reset()
    emulator_server.state.faults.ready_delay = 0.3
    return emulator_server


@pytest.fixture
def index(emulator: EmulatorServer) -> str:
    """A serverless index with RECORDS records in 3 namespaces."""
    create_index(emulator, INDEX)
    return INDEX


@pytest.fixture
def client(emulator: EmulatorServer) -> Iterator[PineconeClient]:
    with PineconeClient(
        API_KEY,
        host=emulator.url,
        retry=fast_retry(allowed_methods=("GET", "DELETE")),
        create_retry=fast_retry(allowed_methods=("POST",), status_forcelist=(429,)),
    ) as api:
        yield api


@pytest.fixture
def provider_env(emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[EmulatorServer]:
    """The provider's environment pointing at the emulator, as a user's shell would."""
    monkeypatch.setenv("PINECONE_CONTROLLER_HOST", emulator.url)
    monkeypatch.setenv("PINECONE_API_KEY", API_KEY)
    _credentials.reset()
    yield emulator
    _credentials.reset()


@pytest.fixture(scope="session")
def cli_bin() -> Path:
    """The Pulumi CLI with its Python language host: what `pulumi preview` in a project needs."""
    bin_dir = install_engine()
    missing = missing_engine_parts(bin_dir)
    if missing:
        pytest.fail(f"scripts/install-pulumi gave {bin_dir} without {', '.join(missing)}: the plain CLI needs them")
    return bin_dir


@pytest.fixture
def open_project(cli_bin, emulator, tmp_path):
    """open_project("quickstart") -> a fresh copy of that example, driven through the CLI."""
    emulator.state.faults.update({"ready_delay": 0.3, "restore_delay": 0.5})
    opened: list[CliProject] = []

    def open_(example: str, stack: str = "dev") -> CliProject:
        directory = copy_project(example, tmp_path / "repo")
        project = CliProject(directory, cli_bin, cli_env(cli_bin, tmp_path / "state", emulator.url), stack)
        opened.append(project)
        return project

    yield open_
    for project in opened:  # shown by pytest when a test fails
        print(project.report())
        print("timings:", ", ".join(f"{command}: {seconds:.1f}s" for command, seconds in project.timings))
