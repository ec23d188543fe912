"""Shared fixtures: one emulator per test session on an ephemeral port, reset before each test."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from httpx_retries import Retry

from pinecone_backup import _credentials
from pinecone_backup.api import PineconeClient
from pinecone_backup.emulator import EmulatorServer, EmulatorState

API_KEY = "pcsk_test_0123456789abcdef"
INDEX = "products"
RECORDS = 12_345
DIMENSION = 8


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


def create_index(emulator: EmulatorServer, name: str, records: int = RECORDS) -> None:
    emulator.state.create_index(
        {"name": name, "dimension": DIMENSION, "spec": {"serverless": {"cloud": "aws", "region": "us-east-1"}}}
    )
    emulator.state.seed_index(name, record_count=records, namespace_count=3)


def fast_retry(**overrides: object) -> Retry:
    settings: dict = {"total": 4, "backoff_factor": 0.01, "status_forcelist": (429, 500, 502, 503, 504)}
    settings.update(overrides)
    return Retry(**settings)


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


def calls(emulator: EmulatorServer, method: str | None = None, path_prefix: str = "") -> list[tuple[str, str, int]]:
    """The API calls the emulator saw, as (method, path, status)."""
    return [
        (entry.method, entry.path, entry.status)
        for entry in emulator.state.request_log()
        if (method is None or entry.method == method) and entry.path.startswith(path_prefix)
    ]


def eventually(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Wait until `condition()` holds; fail the test if it does not within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)
