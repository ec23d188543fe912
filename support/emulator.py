"""Helpers for tests against the emulator: the test index, short retries, the request log, waiting."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from httpx_retries import Retry

from pinecone_backup.emulator import EmulatorServer

API_KEY = "pcsk_test_0123456789abcdef"
INDEX = "products"
RECORDS = 12_345
DIMENSION = 8
SERVERLESS_SPEC = {"serverless": {"cloud": "aws", "region": "us-east-1"}}


def create_index(emulator: EmulatorServer, name: str, records: int = RECORDS) -> None:
    emulator.state.create_index({"name": name, "dimension": DIMENSION, "spec": SERVERLESS_SPEC})
    emulator.state.seed_index(name, record_count=records, namespace_count=3)


def fast_retry(**overrides: object) -> Retry:
    settings: dict[str, Any] = {"total": 4, "backoff_factor": 0.01, "status_forcelist": (429, 500, 502, 503, 504)}
    settings.update(overrides)
    return Retry(**settings)


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
