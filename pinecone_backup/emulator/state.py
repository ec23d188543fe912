"""The emulator's state: indexes, backups, fault switches and the request log.

Pure Python with no HTTP in it, guarded by one lock because tests read it from another
thread. Backup status is derived from the clock on every read (Initializing until its
ready time, then Ready or Failed), so no background task is needed.
"""

from __future__ import annotations

import math
import re
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, TypeVar

T = TypeVar("T")
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
    rate_limit: float = 0.0  # API calls per second for the whole project (0 = unlimited); 429 beyond
    rate_burst: int = 10  # calls allowed at once before the rate applies
    rate_limit_next: int = 0  # answer the next N API calls with 429
    retry_after: int = 1  # the Retry-After those 429s carry, in seconds
    server_errors_next: int = 0  # answer the next N API calls with 503
    server_error_status: int = 503
    lose_create_responses: int = 0  # create the next N backups but answer 500
    fail_backups: bool = False  # new backups end Failed instead of Ready
    ready_delay: float = 1.0  # seconds from Initializing to Ready (or Failed)
    restore_delay: float = 1.0  # seconds a restore job takes
    fail_restores: bool = False  # new restore jobs end Failed

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
    restore: RestoreJobRecord | None = None  # the job filling this index, if it was restored

    def state(self, now: float) -> str:
        if self.restore is None or self.restore.status(now) == "Completed":
            return "Ready"
        return "InitializationFailed" if self.restore.status(now) == "Failed" else "Initializing"

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
            "status": {"ready": self.state(time.monotonic()) == "Ready", "state": self.state(time.monotonic())},
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
class RestoreJobRecord:
    restore_job_id: str
    backup_id: str
    target_index_name: str
    target_index_id: str
    created_at: str
    started: float
    duration: float
    ends_failed: bool

    def status(self, now: float) -> str:
        if now >= self.started + self.duration:
            return "Failed" if self.ends_failed else "Completed"
        return "Pending" if now < self.started + self.duration * 0.1 else "Running"

    @property
    def is_pending(self) -> bool:
        return self.status(time.monotonic()) in ("Pending", "Running")

    def to_api(self, now: float) -> dict[str, Any]:
        status = self.status(now)
        done = status in ("Completed", "Failed")
        progress = 1.0 if self.duration <= 0 else min(1.0, (now - self.started) / self.duration)
        return {
            "restore_job_id": self.restore_job_id,
            "backup_id": self.backup_id,
            "target_index_name": self.target_index_name,
            "target_index_id": self.target_index_id,
            "status": status,
            "created_at": self.created_at,
            "completed_at": _rfc3339(time.time() - (now - self.started - self.duration)) if done else None,
            "percent_complete": round(100.0 * progress, 1),
        }


def _rfc3339(epoch: float | None = None) -> str:
    moment = datetime.fromtimestamp(time.time() if epoch is None else epoch, timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


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
        self.restore_jobs: dict[str, RestoreJobRecord] = {}
        self.requests: deque[LoggedRequest] = deque(maxlen=log_size)
        self._tokens = 0.0
        self._tokens_at = time.monotonic()

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
            wait = self._take_rate_token()
            if wait > 0:
                return EmulatorError(
                    429,
                    "RESOURCE_EXHAUSTED",
                    "Request rate limit exceeded for this project.",
                    {"Retry-After": str(math.ceil(wait))},
                )
            if self.faults.server_errors_next > 0:
                self.faults.server_errors_next -= 1
                return EmulatorError(self.faults.server_error_status, "UNAVAILABLE", "Service temporarily unavailable.")
        return None

    def _take_rate_token(self) -> float:
        """A token bucket shared by every caller: 0 if this call may pass, else seconds to wait."""
        if self.faults.rate_limit <= 0:
            return 0.0
        now = time.monotonic()
        self._tokens = min(
            float(self.faults.rate_burst), self._tokens + (now - self._tokens_at) * self.faults.rate_limit
        )
        self._tokens_at = now
        if self._tokens >= 1:
            self._tokens -= 1
            return 0.0
        return (1 - self._tokens) / self.faults.rate_limit

    def log(self, entry: LoggedRequest) -> None:
        with self.lock:
            self.requests.append(entry)

    def request_log(self) -> list[LoggedRequest]:
        with self.lock:
            return list(self.requests)

    def peak_backups_in_flight(self) -> int:
        """Most backups at once between their create and the last status check, from the request log."""
        log = self.request_log()
        posts = [entry for entry in log if entry.method == "POST" and entry.path.endswith("/backups")]
        with self.lock:
            ids = list(self.backups)
        moments: list[tuple[float, int]] = []
        for post, backup_id in zip(posts, ids, strict=False):
            checks = [entry.finished for entry in log if entry.path == f"/backups/{backup_id}"]
            moments += [(post.started, 1), (max(checks, default=post.finished), -1)]
        running = peak = 0
        for _, step in sorted(moments):
            running += step
            peak = max(peak, running)
        return peak

    def reset(self) -> None:
        with self.lock:
            self.indexes.clear()
            self.backups.clear()
            self.restore_jobs.clear()
            self.requests.clear()
            self.faults = Faults()
            self._tokens, self._tokens_at = 0.0, time.monotonic()

    # -- indexes ----------------------------------------------------------------------------

    def create_index(self, body: dict[str, Any]) -> IndexRecord:
        name = _valid_index_name(body.get("name"))
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
            self._check_room_for_index(name)
            index = IndexRecord(
                name=name,
                dimension=dimension,
                metric=body.get("metric") or ("dotproduct" if vector_type == "sparse" else "cosine"),
                cloud=serverless["cloud"],
                region=serverless["region"],
                vector_type=vector_type,
                deletion_protection=_valid_deletion_protection(body.get("deletion_protection")),
                tags=dict(body.get("tags") or {}),
            )
            self.indexes[name] = index
            return index

    def _check_room_for_index(self, name: str) -> None:
        if name in self.indexes:
            raise EmulatorError(409, "ALREADY_EXISTS", "Resource already exists.")
        if len(self.indexes) >= self.max_indexes:
            raise EmulatorError(403, "FORBIDDEN", "Increase your quota or upgrade to create more indexes.")

    def configure_index(self, name: str, body: dict[str, Any]) -> IndexRecord:
        with self.lock:
            index = self.get_index(name)
            if "deletion_protection" in body:
                index.deletion_protection = _valid_deletion_protection(body["deletion_protection"])
            for key, value in (body.get("tags") or {}).items():
                if value == "":
                    index.tags.pop(key, None)
                else:
                    index.tags[key] = str(value)
            return index

    def _find(self, table: dict[str, T], key: str, kind: str) -> T:
        """table[key], or the spec's 404 body ("Index x not found.")."""
        with self.lock:
            found = table.get(key)
        if found is None:
            raise EmulatorError(404, "NOT_FOUND", f"{kind} {key} not found.")
        return found

    def get_index(self, name: str) -> IndexRecord:
        return self._find(self.indexes, name, "Index")

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
                created_at=_rfc3339(),
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
        return self._find(self.backups, backup_id, "Backup")

    def delete_backup(self, backup_id: str) -> None:
        with self.lock:
            self.get_backup(backup_id)
            pending = [
                job.restore_job_id
                for job in self.restore_jobs.values()
                if job.backup_id == backup_id and job.is_pending
            ]
            if pending:
                raise EmulatorError(
                    412,
                    "FAILED_PRECONDITION",
                    f"Unable to delete backup. There are pending restore jobs for this backup: {pending}",
                )
            del self.backups[backup_id]

    # -- restores ---------------------------------------------------------------------------

    def create_index_from_backup(self, backup_id: str, body: dict[str, Any]) -> RestoreJobRecord:
        name = _valid_index_name(body.get("name"))
        with self.lock:
            backup = self.get_backup(backup_id)
            if backup.status(time.monotonic()) != "Ready":
                raise EmulatorError(412, "FAILED_PRECONDITION", f"Backup {backup_id} is not ready.")
            self._check_room_for_index(name)
            source = backup.index
            index = IndexRecord(
                name=name,
                dimension=source.dimension,
                metric=source.metric,
                cloud=source.cloud,
                region=source.region,
                vector_type=source.vector_type,
                deletion_protection=_valid_deletion_protection(body.get("deletion_protection")),
                tags=dict(body.get("tags") or {}),
                record_count=backup.record_count,
                namespace_count=backup.namespace_count,
            )
            job = RestoreJobRecord(
                restore_job_id=str(uuid.uuid4()),
                backup_id=backup_id,
                target_index_name=name,
                target_index_id=index.id,
                created_at=_rfc3339(),
                started=time.monotonic(),
                duration=self.faults.restore_delay,
                ends_failed=self.faults.fail_restores,
            )
            index.restore = job
            self.indexes[name] = index
            self.restore_jobs[job.restore_job_id] = job
            return job

    def get_restore_job(self, job_id: str) -> RestoreJobRecord:
        return self._find(self.restore_jobs, job_id, "Restore job")

    def list_backups(self, index_name: str | None) -> list[BackupRecord]:
        with self.lock:
            if index_name is not None:
                self.get_index(index_name)
                return [b for b in self.backups.values() if b.index.name == index_name]
            return list(self.backups.values())


def _valid_index_name(name: Any) -> str:
    if not isinstance(name, str) or not INDEX_NAME_PATTERN.match(name):
        raise EmulatorError(
            400,
            "INVALID_ARGUMENT",
            "Resource name must be 1-45 characters long, start and end with an alphanumeric character, "
            "and consist only of lower case alphanumeric characters or '-'.",
        )
    return name


def _valid_deletion_protection(value: Any) -> str:
    if value is None:
        return "disabled"
    if value not in ("enabled", "disabled"):
        raise EmulatorError(400, "INVALID_ARGUMENT", "deletion_protection must be 'enabled' or 'disabled'.")
    return str(value)
