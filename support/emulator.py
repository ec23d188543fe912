"""Helpers for tests against the emulator: the test index, short retries, the request log, waiting."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from httpx_retries import Retry

from pinecone_backup.emulator import EmulatorServer
from pinecone_backup.emulator.state import BackupRecord, LoggedRequest

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


def final_backups_of(emulator: EmulatorServer, index_name: str) -> list[BackupRecord]:
    """The final backups (`final-<index>-<stamp>`) of an index in the emulator, oldest first."""
    pattern = re.compile(rf"final-{index_name}-\d{{14}}")
    found = [b for b in emulator.state.backups.values() if b.index.name == index_name and pattern.fullmatch(b.name)]
    return sorted(found, key=lambda backup: backup.name)


def logged(emulator: EmulatorServer, method: str, path: str) -> LoggedRequest:
    """The one request of this method and path in the emulator's log."""
    (found,) = [entry for entry in emulator.state.request_log() if entry.method == method and entry.path == path]
    return found


def assert_ready_before_delete(emulator: EmulatorServer, index_name: str, final: BackupRecord) -> None:
    """The request log: the backup created, then a status check answered once it was Ready, then
    the index deleted."""
    ready_at = final.ready_at + time.time() - time.monotonic()  # the log's clock is the wall clock
    created = logged(emulator, "POST", f"/indexes/{index_name}/backups")
    deleted = logged(emulator, "DELETE", f"/indexes/{index_name}")
    checks = [entry for entry in emulator.state.request_log() if entry.path == f"/backups/{final.backup_id}"]
    seen_ready = [entry for entry in checks if entry.status == 200 and entry.started >= ready_at]
    assert seen_ready, checks
    assert created.finished < ready_at <= seen_ready[0].started < deleted.started
