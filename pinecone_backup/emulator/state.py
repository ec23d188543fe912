"""The emulator's state: indexes, backups, fault switches and the request log.

Pure Python with no HTTP in it, guarded by one lock because tests read it from another
thread. Backup status is derived from the clock on every read (Initializing until its
ready time, then Ready or Failed), so no background task is needed.
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

INDEX_NAME_PATTERN = re.compile(r"^[a-z0-9]([a-z0-9-]{0,43}[a-z0-9])?$")
BYTES_PER_DIMENSION = 4
BYTES_PER_RECORD_OVERHEAD = 64


class EmulatorError(Exception):
    """An error answered with the spec's error body."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


@dataclass
class Faults:
    """Switches that make the emulator misbehave, for tests and demos."""

    latency: float = 0.0  # seconds added to every API call
    rate_limit_next: int = 0  # answer the next N API calls with 429
    retry_after: int = 1  # the Retry-After those 429s carry, in seconds
    server_errors_next: int = 0  # answer the next N API calls with 503
    server_error_status: int = 503
    lose_create_responses: int = 0  # create the next N backups but answer 500
    fail_backups: bool = False  # new backups end Failed instead of Ready
    ready_delay: float = 1.0  # seconds from Initializing to Ready (or Failed)

    def update(self, values: dict[str, Any]) -> None:
        for key, value in values.items():
            if not hasattr(self, key):
                raise EmulatorError(400, "INVALID_ARGUMENT", f"unknown fault switch {key!r}")
            setattr(self, key, type(getattr(self, key))(value))


@dataclass
class IndexRecord:
    name: str
    dimension: int | None
    metric: str
    cloud: str
    region: str
    vector_type: str
    deletion_protection: str
    tags: dict[str, str]
    record_count: int = 0
    namespace_count: int = 0
    id: str = field(default_factory=lambda: str(uuid.uuid4()))

    def to_api(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "name": self.name,
            "metric": self.metric,
            "host": f"{self.name}-{self.id[:7]}.svc.{self.region}-{self.cloud}.pinecone.io",
            "deletion_protection": self.deletion_protection,
            "tags": self.tags or None,
            "spec": {
                "serverless": {
                    "cloud": self.cloud,
                    "region": self.region,
                    "read_capacity": {"mode": "OnDemand", "status": {"state": "Ready"}},
                }
            },
            "status": {"ready": True, "state": "Ready"},
            "vector_type": self.vector_type,
        }
        if self.dimension is not None:
            body["dimension"] = self.dimension
        return body


@dataclass
class BackupRecord:
    backup_id: str
    index: IndexRecord
    name: str | None
    description: str | None
    created_at: str
    ready_at: float
    ends_failed: bool
    record_count: int
    namespace_count: int

    def status(self, now: float) -> str:
        if now < self.ready_at:
            return "Initializing"
        return "Failed" if self.ends_failed else "Ready"

    def to_api(self, now: float) -> dict[str, Any]:
        status = self.status(now)
        done = status == "Ready"
        dimension = self.index.dimension or 0
        return {
            "backup_id": self.backup_id,
            "source_index_name": self.index.name,
            "source_index_id": self.index.id,
            "name": self.name,
            "description": self.description,
            "status": status,
            "cloud": self.index.cloud,
            "region": self.index.region,
            "dimension": self.index.dimension,
            "metric": self.index.metric,
            # The live service reports counts only once the backup is complete.
            "record_count": self.record_count if done else None,
            "namespace_count": self.namespace_count if done else None,
            "size_bytes": self.record_count * (dimension * BYTES_PER_DIMENSION + BYTES_PER_RECORD_OVERHEAD)
            if done
            else None,
            "tags": self.index.tags or None,
            "created_at": self.created_at,
        }


@dataclass
class LoggedRequest:
    method: str
    path: str
    status: int
    started: float
    finished: float
    api_version: str | None
    user_agent: str | None

    def to_api(self) -> dict[str, Any]:
        return dict(self.__dict__)


class EmulatorState:
    """Everything the emulator knows; bounded so a long demo cannot exhaust memory."""

    def __init__(
        self,
        *,
        api_keys: frozenset[str] = frozenset(),
        max_indexes: int = 1_000,
        max_backups: int = 10_000,
        log_size: int = 20_000,
    ) -> None:
        self.api_keys = api_keys  # empty: any non-empty key is accepted
        self.max_indexes = max_indexes
        self.max_backups = max_backups
        self.faults = Faults()
        self.lock = threading.RLock()
        self.indexes: dict[str, IndexRecord] = {}
        self.backups: dict[str, BackupRecord] = {}
        self.requests: deque[LoggedRequest] = deque(maxlen=log_size)

    # -- auth, faults, log ------------------------------------------------------------------

    def authenticate(self, api_key: str | None) -> None:
        if not api_key or (self.api_keys and api_key not in self.api_keys):
            raise EmulatorError(401, "UNAUTHENTICATED", "Invalid API key.")

    def take_injected_fault(self) -> EmulatorError | None:
        """The fault the next API call must answer with, if any switch is armed."""
        with self.lock:
            if self.faults.rate_limit_next > 0:
                self.faults.rate_limit_next -= 1
                return EmulatorError(
                    429,
                    "RESOURCE_EXHAUSTED",
                    "Too many requests. Please retry shortly.",
                    {"Retry-After": str(self.faults.retry_after)},
                )
            if self.faults.server_errors_next > 0:
                self.faults.server_errors_next -= 1
                return EmulatorError(self.faults.server_error_status, "UNAVAILABLE", "Service temporarily unavailable.")
        return None

    def log(self, entry: LoggedRequest) -> None:
        with self.lock:
            self.requests.append(entry)

    def request_log(self) -> list[LoggedRequest]:
        with self.lock:
            return list(self.requests)

    def reset(self) -> None:
        with self.lock:
            self.indexes.clear()
            self.backups.clear()
            self.requests.clear()
            self.faults = Faults()

    # -- indexes ----------------------------------------------------------------------------

    def create_index(self, body: dict[str, Any]) -> IndexRecord:
        name = body.get("name")
        if not isinstance(name, str) or not INDEX_NAME_PATTERN.match(name):
            raise EmulatorError(
                400,
                "INVALID_ARGUMENT",
                "Resource name must be 1-45 characters long, start and end with an alphanumeric character, "
                "and consist only of lower case alphanumeric characters or '-'.",
            )
        serverless = (body.get("spec") or {}).get("serverless")
        if not isinstance(serverless, dict) or not serverless.get("cloud") or not serverless.get("region"):
            raise EmulatorError(
                400, "INVALID_ARGUMENT", "The emulator supports serverless indexes only: spec.serverless.cloud/region."
            )
        vector_type = body.get("vector_type", "dense")
        dimension = body.get("dimension")
        if vector_type == "dense" and not (isinstance(dimension, int) and 1 <= dimension <= 20_000):
            raise EmulatorError(400, "INVALID_ARGUMENT", "Dense indexes need a dimension between 1 and 20000.")
        with self.lock:
            if name in self.indexes:
                raise EmulatorError(409, "ALREADY_EXISTS", "Resource already exists.")
            if len(self.indexes) >= self.max_indexes:
                raise EmulatorError(403, "FORBIDDEN", "Increase your quota or upgrade to create more indexes.")
            index = IndexRecord(
                name=name,
                dimension=dimension,
                metric=body.get("metric") or ("dotproduct" if vector_type == "sparse" else "cosine"),
                cloud=serverless["cloud"],
                region=serverless["region"],
                vector_type=vector_type,
                deletion_protection=body.get("deletion_protection") or "disabled",
                tags=dict(body.get("tags") or {}),
            )
            self.indexes[name] = index
            return index

    def get_index(self, name: str) -> IndexRecord:
        with self.lock:
            index = self.indexes.get(name)
        if index is None:
            raise EmulatorError(404, "NOT_FOUND", f"Index {name} not found.")
        return index

    def delete_index(self, name: str) -> None:
        with self.lock:
            index = self.get_index(name)
            if index.deletion_protection == "enabled":
                raise EmulatorError(
                    403,
                    "FORBIDDEN",
                    "Deletion protection is enabled for this index. Disable deletion protection before retrying.",
                )
            del self.indexes[name]

    def seed_index(self, name: str, *, record_count: int, namespace_count: int) -> IndexRecord:
        """Pretend records were upserted: the counts later backups will report."""
        with self.lock:
            index = self.get_index(name)
            index.record_count = record_count
            index.namespace_count = namespace_count
            return index

    # -- backups ----------------------------------------------------------------------------

    def create_backup(self, index_name: str, body: dict[str, Any]) -> BackupRecord:
        for key in ("name", "description"):
            if body.get(key) is not None and not isinstance(body[key], str):
                raise EmulatorError(400, "INVALID_ARGUMENT", f"Field `{key}` must be a string.")
        with self.lock:
            index = self.get_index(index_name)
            if len(self.backups) >= self.max_backups:
                raise EmulatorError(403, "FORBIDDEN", "Increase your quota or upgrade to create more backups.")
            backup = BackupRecord(
                backup_id=str(uuid.uuid4()),
                index=index,
                name=body.get("name"),
                description=body.get("description"),
                created_at=datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                ready_at=time.monotonic() + self.faults.ready_delay,
                ends_failed=self.faults.fail_backups,
                record_count=index.record_count,
                namespace_count=index.namespace_count,
            )
            self.backups[backup.backup_id] = backup
            if self.faults.lose_create_responses > 0:
                self.faults.lose_create_responses -= 1
                raise EmulatorError(500, "UNKNOWN", "Internal server error")
            return backup

    def get_backup(self, backup_id: str) -> BackupRecord:
        with self.lock:
            backup = self.backups.get(backup_id)
        if backup is None:
            raise EmulatorError(404, "NOT_FOUND", f"Backup {backup_id} not found.")
        return backup

    def delete_backup(self, backup_id: str) -> None:
        with self.lock:
            self.get_backup(backup_id)
            del self.backups[backup_id]

    def list_backups(self, index_name: str | None) -> list[BackupRecord]:
        with self.lock:
            if index_name is not None:
                self.get_index(index_name)
                return [b for b in self.backups.values() if b.index.name == index_name]
            return list(self.backups.values())
