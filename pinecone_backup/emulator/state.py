"""The emulator's state: indexes, backups, backup schedules, restore jobs, fault switches, the
request log and call counts.

Pure Python with no HTTP in it, guarded by one lock because tests read it from another
thread. Statuses are derived from the clock on every read (a backup is Initializing until its
ready time, then Ready or Failed; a restore job is under way until its duration has passed), so
no background task is needed. Backup schedules follow the same rule: nothing runs them in the
background; every call that reads or changes backups or schedules first catches up (`catch_up`),
making the runs that came due since and deleting the backups whose retention has passed, each as
of the moment it was due (a run's backup is Ready `ready_delay` seconds after the run's own time,
however late the catch-up). Schedules keep time on accelerated calendars (`clock`,
`Faults.day_length`). The records are version-neutral; `render` shapes them per API version, and
`parsing` reads requests per version. Called directly (tests, the CLI's `--index`), the methods
take the request forms of 2025-10 unless given another `version`; the schedule methods take
2026-07's, the only version that has schedules.
"""

from __future__ import annotations

import math
import threading
import time
import uuid
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pinecone_backup.emulator import parsing, render
from pinecone_backup.emulator.clock import (
    PERIOD_DAYS,
    SECONDS_PER_DAY,
    ScheduleClock,
    basic_stamp,
    first_run_after,
    rfc3339,
)
from pinecone_backup.emulator.errors import EmulatorError, forbidden, invalid, not_found
from pinecone_backup.emulator.versions import DEFAULT_STATE_VERSION, OLDEST, SUPPORTED_VERSIONS, dialect

__all__ = [
    "BackupRecord",
    "EmulatorError",
    "EmulatorState",
    "Faults",
    "IndexRecord",
    "LoggedRequest",
    "RestoreJobRecord",
    "ScheduleRecord",
    "rfc3339",
]

T = TypeVar("T")
INDEX_NAME_PATTERN = parsing.NAME_PATTERN  # the service's rule, kept here (the emulator plays the service)
BYTES_PER_DIMENSION = 4
BYTES_PER_RECORD_OVERHEAD = 64
PENDING_SHARE = 0.1  # the part of a restore before it is reported Running (2025-04/10)
# Runs one catch-up makes per schedule at most: after a long idle spell on a fast calendar only
# the newest are made (runs whose backups would already have expired are never made at all).
MAX_CATCH_UP_RUNS = 1_000
UNKNOWN_ROUTE = "<unknown>"  # the route of a path the API does not have, in the call counts
SCHEDULE_NOT_FOUND = "Backup schedule not found."
SCHEDULE_CONFLICT = "This index already has an enabled backup schedule. Disable or delete it first."
SCHEDULES_NOT_IN_PLAN = "Scheduled backups are not available for your plan"


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
    lose_create_responses: int = 0  # create the next N backups or schedules but answer 500
    fail_backups: bool = False  # new backups end Failed (2026-07: InitializationFailed) instead of Ready
    ready_delay: float = 1.0  # seconds from Initializing to Ready (or Failed)
    restore_delay: float = 1.0  # seconds a restore job takes
    fail_restores: bool = False  # new restore jobs end Failed
    day_length: float = SECONDS_PER_DAY  # real seconds one day of the schedules' calendars lasts
    schedules_in_plan: bool = True  # False: creating or updating a backup schedule is answered 403

    def update(self, values: dict[str, Any]) -> None:
        for key, value in values.items():
            if not hasattr(self, key):
                raise invalid(f"unknown fault switch {key!r}")
            converted = type(getattr(self, key))(value)
            if key == "day_length" and not converted > 0:
                raise invalid("day_length must be a positive number of seconds")
            setattr(self, key, converted)


@dataclass
class IndexRecord(parsing.IndexSpec):
    """An index: what it was made from, and what the emulator keeps of it. Its fields are kept in
    the 2026-07 `IndexSchema` form; a vectors-API index (made from `dimension`/`metric`/
    `vector_type`, or from the reserved `_values`/`_sparse_values` schema) holds exactly the
    reserved fields."""

    record_count: int = 0
    namespace_count: int = 0
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    restore: RestoreJobRecord | None = None  # the job filling this index, if it was restored
    source_backup_id: str | None = None
    deleted_at: str | None = None  # set when deleted; backups and restore jobs keep the record

    @property
    def vectors_api(self) -> bool:
        return set(self.fields) <= {parsing.DENSE_FIELD, parsing.SPARSE_FIELD}

    @property
    def dense_field(self) -> dict[str, Any] | None:
        return next((config for config in self.fields.values() if config["type"] == "dense_vector"), None)

    @property
    def dimension(self) -> int | None:
        dense = self.dense_field
        return int(dense["dimension"]) if dense else None

    @property
    def metric(self) -> str:
        """The 2025-era metric: the dense field's; sparse and full-text-only indexes: dotproduct."""
        dense = self.dense_field
        return str(dense["metric"]) if dense else "dotproduct"

    @property
    def vector_type(self) -> str:
        """The 2025-era vector type: dense with a dense field; otherwise sparse (a full-text-only
        index has no dimension, which a 2025-era dense index must have)."""
        return "dense" if self.dense_field else "sparse"

    def state(self, now: float) -> str:
        if self.restore is None:
            return "Ready"
        status = self.restore.phase(now)
        if status == "Completed":
            return "Ready"
        return "InitializationFailed" if status == "Failed" else "Initializing"

    def to_api(self, version: str = DEFAULT_STATE_VERSION) -> dict[str, Any]:
        return render.index(self, dialect(version), time.monotonic())


@dataclass
class BackupRecord:
    """A backup: what its source index was when it was made (fields, tags, place, counts)."""

    backup_id: str
    index: IndexRecord
    name: str | None
    description: str | None
    created_at: str
    ready_at: float
    ends_failed: bool
    record_count: int
    namespace_count: int
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    metadata_fields: list[str] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)
    cloud: str = ""
    region: str = ""
    # A scheduled backup: the schedule that made it, and its run's time on that schedule's
    # calendar (it expires `retention_days` calendar days later). The API shows neither.
    schedule: ScheduleRecord | None = None
    scheduled_run: float | None = None

    def __post_init__(self) -> None:
        self.fields = self.fields or {name: dict(config) for name, config in self.index.fields.items()}
        self.metadata_fields = self.metadata_fields or list(self.index.metadata_fields)
        self.cloud = self.cloud or self.index.cloud
        self.region = self.region or self.index.region

    def status(self, now: float) -> str:
        """Initializing, then Ready or Failed (2026-07 calls the latter InitializationFailed)."""
        if now < self.ready_at:
            return "Initializing"
        return "Failed" if self.ends_failed else "Ready"

    @property
    def dimension(self) -> int | None:
        dense = next((config for config in self.fields.values() if config["type"] == "dense_vector"), None)
        return int(dense["dimension"]) if dense else None

    @property
    def size_bytes(self) -> int:
        return self.record_count * ((self.dimension or 0) * BYTES_PER_DIMENSION + BYTES_PER_RECORD_OVERHEAD)

    def to_api(self, now: float, version: str = DEFAULT_STATE_VERSION) -> dict[str, Any]:
        return render.backup(self, dialect(version), now)


@dataclass
class ScheduleRecord:
    """A backup schedule: its settings, its calendar, its planned run and what its runs left
    (their backups, or their failures).

    `next_run`, `planned_at` and run times are epoch seconds on the schedule's own calendar
    (`clock`). A schedule is enabled exactly when it has a planned run.
    """

    schedule_id: str
    name: str
    index: IndexRecord  # the index itself, not its name: a new index of that name has none
    project_id: str
    frequency: str
    retention_days: int
    clock: ScheduleClock
    created_at: str
    next_run: float | None = None  # None while disabled
    planned_at: float = 0.0  # when the planned run was planned: its history row's created_at
    # The id the planned run's backup will have: its history row shows it before the run.
    next_backup_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    # Its runs, oldest first, by the ids their history rows show: the backups they made, and
    # the runs that made none (`failed_runs`).
    backup_ids: list[str] = field(default_factory=list)
    # Runs whose backup name broke the name rule (`names_a_backup`): InitializationFailed at
    # once, never among the project's backups, kept for the history until their retention
    # passes, as a backup's would.
    failed_runs: dict[str, BackupRecord] = field(default_factory=dict)

    @property
    def enabled(self) -> bool:
        return self.next_run is not None

    @property
    def period(self) -> float:
        return PERIOD_DAYS[self.frequency] * SECONDS_PER_DAY

    @property
    def retention(self) -> float:
        return self.retention_days * SECONDS_PER_DAY

    def backup_name(self, run: float) -> str:
        """`{name}-{YYYYMMDDTHHMMSSZ}` of the planned run time: 17 characters more than the
        schedule's name, which may break the rule backup names are held to (`names_a_backup`)."""
        return f"{self.name}-{basic_stamp(run)}"

    def names_a_backup(self, run: float) -> bool:
        """Whether the run's backup name keeps the rule a manual backup's name is held to in
        2026-07 (`parsing.follows_backup_name_rule`): at most 45 characters of lower-case
        alphanumerics or '-', so a schedule name of at most 28 such characters. The upper-case
        `T` and `Z` of the service's own suffix do not count against it: the spec's scheduled
        backups have them (a `Ready` `daily-compliance-backup-20260403T060000Z`)."""
        return parsing.follows_backup_name_rule(f"{self.name}-{basic_stamp(run).lower()}")

    def plan(self, run: float | None, planned_at: float) -> None:
        self.next_run, self.planned_at = run, planned_at

    def take_due_runs(self, now: float) -> list[float]:
        """The planned runs due by calendar time `now`, oldest first, the plan moved past them.

        Runs whose backups would have expired by `now` are left out (deleted on time, they would
        never have been seen), then all but the newest MAX_CATCH_UP_RUNS.
        """
        if self.next_run is None or self.next_run > now:
            return []
        first, period = self.next_run, self.period
        count = int((now - first) // period) + 1
        alive_from = max(0, math.floor((now - self.retention - first) / period) + 1)
        start = max(alive_from, count - MAX_CATCH_UP_RUNS)
        if start > 0:  # the planned run itself is left out: its backup id goes with it
            self.next_backup_id = str(uuid.uuid4())
        runs = [first + step * period for step in range(start, count)]
        last = first + (count - 1) * period
        self.plan(last + period, planned_at=last)
        return runs

    def has_expired(self, backup: BackupRecord, now: float) -> bool:
        """Whether `retention_days` of this calendar have passed since the run that made `backup`
        (the retention of now: a changed retention re-times every unexpired backup)."""
        return backup.scheduled_run is not None and backup.scheduled_run + self.retention <= now

    def to_api(self) -> dict[str, Any]:
        return render.backup_schedule(self)


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
    target: IndexRecord | None = None

    def phase(self, now: float) -> str:
        """Pending (the first tenth), Running, then Completed or Failed: what 2025-04/10 report.
        2026-07 reports Pending until the job has ended."""
        if now >= self.started + self.duration:
            return "Failed" if self.ends_failed else "Completed"
        return "Pending" if now < self.started + self.duration * PENDING_SHARE else "Running"

    status = phase  # the name earlier releases used

    def progress(self, now: float) -> float:
        """Percent complete, 0-100, linear in time."""
        if self.duration <= 0:
            return 100.0
        return round(100.0 * min(1.0, max(0.0, (now - self.started) / self.duration)), 1)

    def completed_at(self, now: float) -> str | None:
        if self.phase(now) not in ("Completed", "Failed"):
            return None
        return rfc3339(time.time() - (now - self.started - self.duration))

    @property
    def target_deleted(self) -> bool:
        return self.target is not None and self.target.deleted_at is not None

    @property
    def is_pending(self) -> bool:
        """Still restoring into an index that exists (deleting the index ends the job)."""
        return not self.target_deleted and self.phase(time.monotonic()) in ("Pending", "Running")

    def to_api(self, now: float, version: str = DEFAULT_STATE_VERSION) -> dict[str, Any]:
        return render.restore_job(self, dialect(version), now)


@dataclass
class LoggedRequest:
    method: str
    path: str
    status: int
    started: float
    finished: float
    api_version: str | None
    user_agent: str | None
    route: str = UNKNOWN_ROUTE  # the API path template it matched, e.g. /backups/{backup_id}

    def to_api(self) -> dict[str, Any]:
        return dict(self.__dict__)


class EmulatorState:
    """Everything the emulator knows; bounded so a long demo cannot exhaust memory.

    `requests` keeps the last `log_size` API calls; `call_counts` counts every API call ever
    logged (since the last reset), keyed by method and route template: "GET /backups/{backup_id}",
    "GET <unknown>" for a path the API does not have.
    """

    def __init__(
        self,
        *,
        api_keys: frozenset[str] = frozenset(),
        max_indexes: int = 1_000,
        max_backups: int = 10_000,
        log_size: int = 20_000,
        default_api_version: str | None = None,
        strict_api_version: bool = False,
    ) -> None:
        if default_api_version is not None and default_api_version not in SUPPORTED_VERSIONS:
            raise ValueError(f"default_api_version must be one of {', '.join(SUPPORTED_VERSIONS)}")
        if strict_api_version and default_api_version is not None:
            raise ValueError("strict_api_version refuses requests without a version: give no default_api_version")
        self.api_keys = api_keys  # empty: any non-empty key is accepted
        self.max_indexes = max_indexes
        self.max_backups = max_backups
        # The version a request without `X-Pinecone-Api-Version` is served in: the oldest, as the
        # live service does, or the one asked for; None (strict): refused with 400 (`versions`).
        self.strict_api_version = strict_api_version
        self.default_api_version = None if strict_api_version else default_api_version or OLDEST
        self.faults = Faults()
        self.lock = threading.RLock()
        self.indexes: dict[str, IndexRecord] = {}
        self.backups: dict[str, BackupRecord] = {}
        self.restore_jobs: dict[str, RestoreJobRecord] = {}
        self.schedules: dict[str, ScheduleRecord] = {}
        # Deleted schedules (theirs or their index's deletion) whose backups have yet to expire.
        self.retired_schedules: list[ScheduleRecord] = []
        self.index_names_used: set[str] = set()  # every name an index ever had (include_deleted)
        self.project_id = str(uuid.uuid4())
        self.requests: deque[LoggedRequest] = deque(maxlen=log_size)
        self.call_counts: Counter[str] = Counter()
        self._day_length = self.faults.day_length  # the pace the calendars run at now
        self._tokens = 0.0
        self._tokens_at = time.monotonic()

    # -- auth, faults, log ------------------------------------------------------------------

    def authenticate(self, api_key: str | None) -> None:
        if not api_key or (self.api_keys and api_key not in self.api_keys):
            raise EmulatorError(401, "UNAUTHENTICATED", "Invalid API key.")

    def take_injected_fault(self, unavailable_code: str = "UNAVAILABLE") -> EmulatorError | None:
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
                status = self.faults.server_error_status
                code = unavailable_code if status == 503 else "UNKNOWN"
                return EmulatorError(status, code, "Service temporarily unavailable.")
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
            self.call_counts[f"{entry.method} {entry.route}"] += 1

    def counted_calls(self) -> dict[str, int]:
        with self.lock:
            return dict(self.call_counts)

    def update_faults(self, values: dict[str, Any]) -> Faults:
        """Set fault switches. A new `day_length` applies from this moment: the calendars are
        first brought up to now at the old pace (a switch set on `faults` directly applies from
        the next call that catches up)."""
        with self.lock:
            self.catch_up()
            self.faults.update(values)
            self.catch_up()
            return self.faults

    def request_log(self) -> list[LoggedRequest]:
        with self.lock:
            return list(self.requests)

    def peak_backups_in_flight(self) -> int:
        """Most backup creates under way at once, each from its POST until its backup is Ready: the
        earliest the caller's wait can end. (Not until its last status check: waits that share
        listings do not describe each backup.)"""
        to_wall_clock = time.time() - time.monotonic()
        posts = [
            entry.started for entry in self.request_log() if entry.method == "POST" and entry.path.endswith("/backups")
        ]
        with self.lock:  # the backups the POSTs made, not the schedules'
            ready = [backup.ready_at + to_wall_clock for backup in self.backups.values() if backup.schedule is None]
        moments = sorted([(started, 1) for started in posts] + [(moment, -1) for moment in ready])
        running = peak = 0
        for _, step in moments:
            running += step
            peak = max(peak, running)
        return peak

    def reset(self) -> None:
        with self.lock:
            self.indexes.clear()
            self.backups.clear()
            self.restore_jobs.clear()
            self.schedules.clear()
            self.retired_schedules.clear()
            self.index_names_used.clear()
            self.requests.clear()
            self.call_counts.clear()
            self.faults = Faults()
            self._day_length = self.faults.day_length
            self._tokens, self._tokens_at = 0.0, time.monotonic()

    # -- indexes ----------------------------------------------------------------------------

    def create_index(self, body: dict[str, Any], version: str = DEFAULT_STATE_VERSION) -> IndexRecord:
        """POST /indexes, in the form of `version` (2025-10: `dimension` + `spec`; 2026-07:
        `schema` + `deployment`)."""
        spec = parsing.parse_create_index(body, dialect(version))
        with self.lock:
            self._check_room_for_index(spec.name)
            index = IndexRecord(**vars(spec))
            self._add_index(index)
            return index

    def _add_index(self, index: IndexRecord) -> None:
        self.indexes[index.name] = index
        self.index_names_used.add(index.name)

    def _check_room_for_index(self, name: str) -> None:
        if name in self.indexes:
            raise EmulatorError(409, "ALREADY_EXISTS", "Resource already exists.")
        if len(self.indexes) >= self.max_indexes:
            raise forbidden("Increase your quota or upgrade to create more indexes.")

    def configure_index(self, name: str, body: dict[str, Any], version: str = DEFAULT_STATE_VERSION) -> IndexRecord:
        """PATCH /indexes/{name}: deletion protection, and tags merged ("" removes one)."""
        speaking = dialect(version)
        changes = parsing.parse_configure_index(body, speaking)
        with self.lock:
            index = self.get_index(name)
            tags = dict(index.tags)
            for key, value in (changes.tags or {}).items():
                if value == "":
                    tags.pop(key, None)
                else:
                    tags[key] = value
            parsing.check_tag_count(tags, speaking)
            if changes.deletion_protection is not None:
                index.deletion_protection = changes.deletion_protection
            index.tags = tags
            return index

    def _find(self, table: dict[str, T], key: str, kind: str) -> T:
        """table[key], or the spec's 404 body ("Index x not found.")."""
        with self.lock:
            found = table.get(key)
        if found is None:
            raise not_found(kind, key)
        return found

    def get_index(self, name: str) -> IndexRecord:
        return self._find(self.indexes, name, "Index")

    def list_indexes(self) -> list[IndexRecord]:
        with self.lock:
            return list(self.indexes.values())

    def delete_index(self, name: str) -> None:
        """DELETE /indexes/{name}. Its backups stay (with `source_index_deleted_at` in 2026-07);
        a restore into it ends, and its restore jobs leave the listings. Its backup schedules are
        deleted, as deleting them one by one would: their backups stay until they expire."""
        with self.lock:
            self.catch_up()
            index = self.get_index(name)
            if index.deletion_protection == "enabled":
                raise forbidden(
                    "Deletion protection is enabled for this index. Disable deletion protection before retrying."
                )
            index.deleted_at = rfc3339()
            del self.indexes[name]
            for schedule in [schedule for schedule in self.schedules.values() if schedule.index is index]:
                self._retire(schedule)

    def seed_index(self, name: str, *, record_count: int, namespace_count: int) -> IndexRecord:
        """Pretend records were upserted: the counts later backups will report."""
        with self.lock:
            index = self.get_index(name)
            index.record_count = record_count
            index.namespace_count = namespace_count
            return index

    # -- backups ----------------------------------------------------------------------------

    def create_backup(
        self, index_name: str, body: dict[str, Any], version: str = DEFAULT_STATE_VERSION
    ) -> BackupRecord:
        request = parsing.parse_create_backup(body, dialect(version))
        with self.lock:
            self.catch_up()
            index = self.get_index(index_name)
            if len(self.backups) >= self.max_backups:
                raise forbidden("Increase your quota or upgrade to create more backups.")
            backup = self._new_backup(
                index, str(uuid.uuid4()), request.name, request.description, time.monotonic(), rfc3339()
            )
            self.backups[backup.backup_id] = backup
            self._lose_the_answer_if_asked()
            return backup

    def _new_backup(
        self,
        index: IndexRecord,
        backup_id: str,
        name: str | None,
        description: str | None,
        started: float,
        created_at: str,
        schedule: ScheduleRecord | None = None,
        scheduled_run: float | None = None,
    ) -> BackupRecord:
        """A new backup, manual or scheduled, begun at `started` (monotonic): the index's counts
        and tags as they are now, the fault switches' delay and outcome. Not yet stored."""
        return BackupRecord(
            backup_id=backup_id,
            index=index,
            name=name,
            description=description,
            created_at=created_at,
            ready_at=started + self.faults.ready_delay,
            ends_failed=self.faults.fail_backups,
            record_count=index.record_count,
            namespace_count=index.namespace_count,
            tags=dict(index.tags),
            schedule=schedule,
            scheduled_run=scheduled_run,
        )

    def get_backup(self, backup_id: str) -> BackupRecord:
        self.catch_up()
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

    def list_backups(self, index_name: str | None, *, include_deleted: bool = False) -> list[BackupRecord]:
        """The project's backups; or an index's: those of the index now named so, or, with
        `include_deleted`, of every index that ever had the name (404 if none ever had it)."""
        with self.lock:
            self.catch_up()
            if index_name is None:
                return list(self.backups.values())
            if not include_deleted:
                index = self.get_index(index_name)
                return [backup for backup in self.backups.values() if backup.index is index]
            if index_name not in self.index_names_used:
                raise not_found("Index", index_name)
            return [backup for backup in self.backups.values() if backup.index.name == index_name]

    # -- backup schedules (2026-07) ----------------------------------------------------------

    def create_backup_schedule(self, index_name: str, body: dict[str, Any]) -> ScheduleRecord:
        """POST /indexes/{index_name}/backup-schedules: enabled, its first run at the first 06:00
        UTC after now on its new calendar. Refusals in the order of the request's checks: 422/400
        (the body), 403 (the plan), 404 (the index), 409 (another enabled schedule). Pod indexes,
        which the spec answers 400, cannot be made in the emulator."""
        request = parsing.parse_create_backup_schedule(body)
        with self.lock:
            self._check_schedules_in_plan()
            self.catch_up()
            index = self.get_index(index_name)
            self._check_no_enabled_schedule(index)
            now = time.monotonic()
            clock = ScheduleClock.starting_now(self._day_length, now)
            created = clock.calendar_at(now)
            schedule = ScheduleRecord(
                schedule_id=str(uuid.uuid4()),
                name=request.name,
                index=index,
                project_id=self.project_id,
                frequency=request.frequency,
                retention_days=request.retention_days,
                clock=clock,
                created_at=rfc3339(created),
            )
            schedule.plan(first_run_after(created), planned_at=created)
            self.schedules[schedule.schedule_id] = schedule
            self._lose_the_answer_if_asked()
            return schedule

    def _lose_the_answer_if_asked(self) -> None:
        """After a create was done: answer 500 if the `lose_create_responses` switch says so."""
        if self.faults.lose_create_responses > 0:
            self.faults.lose_create_responses -= 1
            raise EmulatorError(500, "UNKNOWN", "Internal server error")

    def get_backup_schedule(self, schedule_id: str) -> ScheduleRecord:
        with self.lock:
            self.catch_up()
            schedule = self.schedules.get(schedule_id)
        if schedule is None:
            raise EmulatorError(404, "NOT_FOUND", SCHEDULE_NOT_FOUND)
        return schedule

    def list_backup_schedules(self, index_name: str) -> list[ScheduleRecord]:
        """The schedules of the index now named so, disabled ones included, oldest first."""
        with self.lock:
            self.catch_up()
            index = self.get_index(index_name)
            return [schedule for schedule in self.schedules.values() if schedule.index is index]

    def update_backup_schedule(self, schedule_id: str, body: dict[str, Any]) -> ScheduleRecord:
        """PATCH /backup-schedules/{id}: what is given changes (`{}` nothing).

        A new frequency keeps the run already planned and spaces the later ones by it. A new
        retention applies to the backups the schedule already made (the SDKs: it "also applies
        to unexpired backups"), so a shorter one may end some at once. Disabling drops the
        planned run; enabling a disabled schedule makes a backup now and plans the next one a
        period later ("plans its next run from the time of the update, not from its old slot").
        """
        changes = parsing.parse_update_backup_schedule(body)
        with self.lock:
            self._check_schedules_in_plan()
            schedule = self.get_backup_schedule(schedule_id)
            if changes.enabled and not schedule.enabled:
                self._check_no_enabled_schedule(schedule.index)
            if changes.frequency is not None:
                schedule.frequency = changes.frequency
            if changes.retention_days is not None:
                schedule.retention_days = changes.retention_days
            if changes.enabled is not None and changes.enabled != schedule.enabled:
                now = schedule.clock.calendar_at(time.monotonic())
                if changes.enabled:
                    self._run(schedule, now)
                    schedule.plan(now + schedule.period, planned_at=now)
                else:
                    schedule.plan(None, planned_at=now)
            self._expire(time.monotonic())
            return schedule

    def delete_backup_schedule(self, schedule_id: str) -> None:
        """DELETE /backup-schedules/{id}: no more runs; the backups it made stay until they expire."""
        with self.lock:
            self._retire(self.get_backup_schedule(schedule_id))

    def backup_schedule_history(self, schedule_id: str) -> tuple[ScheduleRecord, list[BackupRecord]]:
        """The schedule, and its runs newest first: the backups they made that still exist (a
        backup that expired or was deleted has no status left to report, so it leaves the
        history), and the runs that failed before making one."""
        with self.lock:
            schedule = self.get_backup_schedule(schedule_id)
            runs = [self._run_record(schedule, run_id) for run_id in reversed(schedule.backup_ids)]
            return schedule, [run for run in runs if run is not None]

    def _run_record(self, schedule: ScheduleRecord, run_id: str) -> BackupRecord | None:
        """What a run of `schedule` left: its backup, its failure, or nothing (deleted by hand)."""
        return self.backups.get(run_id) or schedule.failed_runs.get(run_id)

    def catch_up(self) -> None:
        """Do what the service would have done since the last call: make the runs that came due
        and delete the backups whose retention has passed. A changed `faults.day_length` takes
        effect here: the calendars reach now at the old pace and go on at the new one."""
        with self.lock:
            now = time.monotonic()
            for schedule in list(self.schedules.values()):
                for run in schedule.take_due_runs(schedule.clock.calendar_at(now)):
                    self._run(schedule, run)
            self._expire(now)
            if self.faults.day_length != self._day_length:
                self._day_length = self.faults.day_length
                for schedule in [*self.schedules.values(), *self.retired_schedules]:
                    schedule.clock = schedule.clock.rebased(now, self._day_length)

    def _run(self, schedule: ScheduleRecord, run: float) -> None:
        """One run, at calendar time `run`: a backup as a manual one is made, begun at the run's
        real time. With the project's backups at their quota the run makes none (a manual
        create is answered 403 then).

        A run whose backup name would break the rule a manual create is refused 400 for
        (`ScheduleRecord.names_a_backup`: e.g. a schedule name longer than 28 characters) makes
        no backup either: its history row says InitializationFailed (the history item declares
        no field for a reason), and the schedule stays enabled with its next run planned. What
        the live service does here is not documented (the spec declares no rule for schedule
        names, and accepts any on create): this is the emulator's choice.
        """
        backup_id, schedule.next_backup_id = schedule.next_backup_id, str(uuid.uuid4())
        started = schedule.clock.real_at(run)
        backup = self._new_backup(
            schedule.index, backup_id, schedule.backup_name(run), None, started, rfc3339(run), schedule, run
        )
        if not schedule.names_a_backup(run):
            backup.ready_at, backup.ends_failed = -math.inf, True  # failed from the start: never Initializing
            schedule.failed_runs[backup_id] = backup
        elif len(self.backups) < self.max_backups:
            self.backups[backup_id] = backup
        else:
            return
        schedule.backup_ids.append(backup_id)

    def _expire(self, now: float) -> None:
        """Delete the scheduled backups (and forget the failed runs) `retention_days` calendar
        days past their run. A schedule's runs expire in the order they were made (one retention
        for all)."""
        for schedule in [*self.schedules.values(), *self.retired_schedules]:
            calendar_now = schedule.clock.calendar_at(now)
            while schedule.backup_ids:
                record = self._run_record(schedule, schedule.backup_ids[0])
                if record is not None:  # else deleted by hand: only its id was left
                    if not schedule.has_expired(record, calendar_now):
                        break
                    self.backups.pop(record.backup_id, None)
                    schedule.failed_runs.pop(record.backup_id, None)
                schedule.backup_ids.pop(0)
        self.retired_schedules = [schedule for schedule in self.retired_schedules if schedule.backup_ids]

    def _retire(self, schedule: ScheduleRecord) -> None:
        """A deleted schedule: gone from the API, kept (with its calendar) while backups it made
        have yet to expire. Its failed runs go with its history."""
        del self.schedules[schedule.schedule_id]
        schedule.backup_ids = [run_id for run_id in schedule.backup_ids if run_id not in schedule.failed_runs]
        schedule.failed_runs.clear()
        if schedule.backup_ids:
            self.retired_schedules.append(schedule)

    def _check_schedules_in_plan(self) -> None:
        if not self.faults.schedules_in_plan:
            raise EmulatorError(403, "PERMISSION_DENIED", SCHEDULES_NOT_IN_PLAN)

    def _check_no_enabled_schedule(self, index: IndexRecord) -> None:
        if any(schedule.index is index and schedule.enabled for schedule in self.schedules.values()):
            raise EmulatorError(409, "ALREADY_EXISTS", SCHEDULE_CONFLICT)

    # -- restores ---------------------------------------------------------------------------

    def create_index_from_backup(
        self, backup_id: str, body: dict[str, Any], version: str = DEFAULT_STATE_VERSION
    ) -> RestoreJobRecord:
        """POST /backups/{id}/create-index. The new index has the backup's fields; without `tags`
        in the request it has the backup's tags ("When omitted, the server copies the backup's
        own tags", Python SDK 10)."""
        request = parsing.parse_create_index_from_backup(body, dialect(version))
        with self.lock:
            backup = self.get_backup(backup_id)
            status = backup.status(time.monotonic())
            if status != "Ready":
                raise EmulatorError(
                    412,
                    "FAILED_PRECONDITION",
                    f"Backup {backup_id} is not completed: it is {status}, not ready to restore from.",
                )
            self._check_room_for_index(request.name)
            index = IndexRecord(
                name=request.name,
                cloud=backup.cloud,
                region=backup.region,
                fields={name: dict(config) for name, config in backup.fields.items()},
                deletion_protection=request.deletion_protection,
                tags=dict(backup.tags if request.tags is None else request.tags),
                metadata_fields=list(backup.metadata_fields),
                record_count=backup.record_count,
                namespace_count=backup.namespace_count,
                source_backup_id=backup_id,
            )
            job = RestoreJobRecord(
                restore_job_id=str(uuid.uuid4()),
                backup_id=backup_id,
                target_index_name=request.name,
                target_index_id=index.id,
                created_at=rfc3339(),
                started=time.monotonic(),
                duration=self.faults.restore_delay,
                ends_failed=self.faults.fail_restores,
                target=index,
            )
            index.restore = job
            self._add_index(index)
            self.restore_jobs[job.restore_job_id] = job
            return job

    def get_restore_job(self, job_id: str) -> RestoreJobRecord:
        """A restore job; one whose target index was deleted is answered 404, as the live service
        does (Python SDK 10: "The server also answers 404 ... for a job whose target index has
        been deleted")."""
        job = self._find(self.restore_jobs, job_id, "Restore job")
        if job.target_deleted:
            raise not_found("Restore job", job_id)
        return job

    def list_restore_jobs(self) -> list[RestoreJobRecord]:
        """The project's restore jobs, without those whose target index was deleted (Python SDK 10:
        "jobs whose target index has been deleted are left out")."""
        with self.lock:
            return [job for job in self.restore_jobs.values() if not job.target_deleted]
