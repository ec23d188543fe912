"""A small, thread-safe client for the Pinecone control-plane API (version 2026-07).

The HTTP connection pool is built on first use, so a client is cheap to construct and
never holds sockets it does not need. Retries live in the transport (httpx-retries):
idempotent calls retry on 429, 5xx, timeouts and dropped connections; creating a backup
retries only where the request provably did nothing (429, a refused connection).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from typing import Any, TypeVar

import httpx
from httpx_retries import Retry, RetryTransport

from pinecone_backup._version import __version__
from pinecone_backup.api._transport import LendingTransport
from pinecone_backup.api.models import (
    Backup,
    BackupList,
    BackupSchedule,
    BackupScheduleHistory,
    BackupScheduleList,
    Index,
    IndexFromBackupStarted,
    RestoreJob,
    RestoreJobList,
    ScheduledRun,
    _Page,
)
from pinecone_backup.errors import TransportError, error_from_response

API_VERSION = "2026-07"  # the newest stable version; backup schedules need it
DEFAULT_HOST = "https://api.pinecone.io"
HOST_ENV_VAR = "PINECONE_CONTROLLER_HOST"
USER_AGENT = f"pinecone-backup/{__version__}"

DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=30.0, pool=30.0)

RETRIED_STATUSES = (429, 500, 502, 503, 504)
IDEMPOTENT_RETRY = Retry(
    total=6,
    backoff_factor=0.5,
    max_backoff_wait=30.0,
    allowed_methods=("GET", "DELETE", "PATCH"),
    status_forcelist=RETRIED_STATUSES,
)
# A POST answered with 5xx or cut off mid-flight may have created the backup: the caller
# decides what to do then (see BackupProvider). Only a 429, a refused connection or a wait for
# a free connection (nothing sent) is safe.
CREATE_RETRY = Retry(
    total=6,
    backoff_factor=0.5,
    max_backoff_wait=30.0,
    allowed_methods=("POST",),
    status_forcelist=(429,),
    retry_on_exceptions=(httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout),
)
LIST_PAGE_SIZE = 100
PageT = TypeVar("PageT", bound=_Page)
# Connections the provider process's threads share, each lent to one request at a time
# (see _transport.py for the httpcore race this avoids). Requests beyond them queue.
POOL_SIZE = 100


def resolve_host(host: str | None = None) -> str:
    """The control-plane URL: the argument, else $PINECONE_CONTROLLER_HOST, else the public API."""
    host = host or os.environ.get(HOST_ENV_VAR) or DEFAULT_HOST
    if "://" not in host:
        host = f"https://{host}"
    return host.rstrip("/")


class PineconeClient:
    """Backups, backup schedules, restores and indexes of one Pinecone project."""

    def __init__(
        self,
        api_key: str,
        *,
        host: str | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        retry: Retry = IDEMPOTENT_RETRY,
        create_retry: Retry = CREATE_RETRY,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        """`transport` carries the requests under the retries (tests inject one); by default,
        `POOL_SIZE` connections, each lent to one request at a time."""
        if not api_key:
            raise ValueError("api_key must not be empty")
        self._api_key = api_key
        self.host = resolve_host(host)
        self._timeout = timeout
        self._retry = retry
        self._create_retry = create_retry
        self._transport = transport
        self._http: httpx.Client | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"PineconeClient(host={self.host!r})"

    # -- backups -------------------------------------------------------------------------

    def create_backup(self, index_name: str, *, name: str | None = None, description: str | None = None) -> Backup:
        body = {key: value for key, value in (("name", name), ("description", description)) if value is not None}
        response = self._request(
            "POST", f"/indexes/{index_name}/backups", json=body, extensions={"retry": self._create_retry}
        )
        return Backup.model_validate(response.json())

    def describe_backup(self, backup_id: str) -> Backup:
        return Backup.model_validate(self._request("GET", f"/backups/{backup_id}").json())

    def delete_backup(self, backup_id: str) -> None:
        self._request("DELETE", f"/backups/{backup_id}")

    def list_backups(
        self, index_name: str | None = None, *, page_size: int = LIST_PAGE_SIZE, include_deleted: bool = False
    ) -> Iterator[Backup]:
        """Every backup of an index, or of the project when no index is named, across all pages.

        With `include_deleted`, an index's listing also holds the backups of deleted indexes that
        had its name (the project's listing always does).
        """
        for page in self.backup_pages(index_name, page_size=page_size, include_deleted=include_deleted):
            yield from page

    def backup_pages(
        self, index_name: str | None = None, *, page_size: int = LIST_PAGE_SIZE, include_deleted: bool = False
    ) -> Iterator[list[Backup]]:
        """`list_backups` a page (one call) at a time, for callers that count calls or stop early."""
        path = f"/indexes/{index_name}/backups" if index_name else "/backups"
        extra = {"include_deleted": "true"} if include_deleted and index_name else {}
        for page in self._pages(path, BackupList, page_size, extra):
            yield page.data

    def list_restore_jobs(self, *, page_size: int = LIST_PAGE_SIZE) -> Iterator[RestoreJob]:
        """Every restore job of the project the service lists, across all pages.

        The service leaves out jobs whose target index was deleted, and answers 404 for them.
        """
        for page in self.restore_job_pages(page_size=page_size):
            yield from page

    def restore_job_pages(self, *, page_size: int = LIST_PAGE_SIZE) -> Iterator[list[RestoreJob]]:
        """`list_restore_jobs` a page (one call) at a time."""
        for page in self._pages("/restore-jobs", RestoreJobList, page_size):
            yield page.data

    def _pages(
        self, path: str, model: type[PageT], page_size: int, extra: dict[str, str] | None = None
    ) -> Iterator[PageT]:
        """Each page of a listing, as `model`. The first page asks for `page_size`; the next ones
        send the token alone, since it carries its page size (a `limit` beside it would override
        the size while keeping the token's position)."""
        extra = extra or {}
        params: dict[str, Any] = {"limit": page_size, **extra}
        while True:
            page = model.model_validate(self._request("GET", path, params=params).json())
            yield page
            if not page.next_token:
                return
            params = {"paginationToken": page.next_token, **extra}

    # -- indexes -------------------------------------------------------------------------

    def describe_index(self, index_name: str) -> Index:
        return Index.model_validate(self._request("GET", f"/indexes/{index_name}").json())

    def delete_index(self, index_name: str) -> None:
        self._request("DELETE", f"/indexes/{index_name}")

    def configure_index(
        self, index_name: str, *, deletion_protection: str | None = None, tags: dict[str, str] | None = None
    ) -> Index:
        """Change an index's deletion protection or tags (a tag set to "" is removed)."""
        body = {key: value for key, value in (("deletion_protection", deletion_protection), ("tags", tags)) if value}
        return Index.model_validate(self._request("PATCH", f"/indexes/{index_name}", json=body).json())

    # -- restores ------------------------------------------------------------------------

    def create_index_from_backup(
        self,
        backup_id: str,
        *,
        name: str,
        tags: dict[str, str] | None = None,
        deletion_protection: str | None = None,
    ) -> IndexFromBackupStarted:
        body = {
            key: value
            for key, value in (("name", name), ("tags", tags), ("deletion_protection", deletion_protection))
            if value is not None
        }
        # Like creating a backup, a lost answer may hide a started restore: retry only the provably unsent.
        response = self._request(
            "POST", f"/backups/{backup_id}/create-index", json=body, extensions={"retry": self._create_retry}
        )
        return IndexFromBackupStarted.model_validate(response.json())

    def describe_restore_job(self, job_id: str) -> RestoreJob:
        return RestoreJob.model_validate(self._request("GET", f"/restore-jobs/{job_id}").json())

    # -- backup schedules (2026-07) ---------------------------------------------------------

    def create_backup_schedule(
        self, index_name: str, *, name: str, frequency: str, retention_days: int
    ) -> BackupSchedule:
        """A new schedule, enabled, its first run planned by the service. Like creating a backup,
        a lost answer may hide a schedule that was made: only the provably unsent is retried."""
        body = {
            "name": name,
            "schedule": {"type": "time-based", "frequency": frequency},
            "retention": {"expire_after_days": retention_days},
        }
        response = self._request(
            "POST", f"/indexes/{index_name}/backup-schedules", json=body, extensions={"retry": self._create_retry}
        )
        return BackupSchedule.model_validate(response.json())

    def describe_backup_schedule(self, schedule_id: str) -> BackupSchedule:
        return BackupSchedule.model_validate(self._request("GET", f"/backup-schedules/{schedule_id}").json())

    def update_backup_schedule(
        self,
        schedule_id: str,
        *,
        frequency: str | None = None,
        retention_days: int | None = None,
        enabled: bool | None = None,
    ) -> BackupSchedule:
        """Change what is given; the rest stays. Enabling queues a backup at once."""
        body: dict[str, Any] = {"frequency": frequency, "enabled": enabled}
        if retention_days is not None:
            body["retention"] = {"expire_after_days": retention_days}
        body = {key: value for key, value in body.items() if value is not None}
        response = self._request("PATCH", f"/backup-schedules/{schedule_id}", json=body)
        return BackupSchedule.model_validate(response.json())

    def delete_backup_schedule(self, schedule_id: str) -> None:
        """Stop the schedule; the backups it made stay until their retention ends."""
        self._request("DELETE", f"/backup-schedules/{schedule_id}")

    def list_backup_schedules(self, index_name: str, *, page_size: int = LIST_PAGE_SIZE) -> Iterator[BackupSchedule]:
        """Every schedule of an index, disabled ones included, across all pages."""
        for page in self._pages(f"/indexes/{index_name}/backup-schedules", BackupScheduleList, page_size):
            yield from page.data

    def backup_schedule_history(self, schedule_id: str, *, page_size: int = LIST_PAGE_SIZE) -> Iterator[ScheduledRun]:
        """The schedule's runs as the service lists them: the backups it made, and its next run."""
        for page in self._pages(f"/backup-schedules/{schedule_id}/history", BackupScheduleHistory, page_size):
            yield from page.data

    # -- plumbing ------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            if self._http is not None:
                self._http.close()
                self._http = None

    def __enter__(self) -> PineconeClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _client(self) -> httpx.Client:
        with self._lock:
            if self._http is None:
                self._http = httpx.Client(
                    base_url=self.host,
                    headers={
                        "Api-Key": self._api_key,
                        "X-Pinecone-Api-Version": API_VERSION,
                        "User-Agent": USER_AGENT,
                        "Accept": "application/json",
                    },
                    timeout=self._timeout,
                    transport=RetryTransport(
                        retry=self._retry, transport=self._transport or LendingTransport(POOL_SIZE)
                    ),
                )
            return self._http

    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self._client().request(method, path, **kwargs)
        except httpx.TransportError as exc:
            # httpx messages name the URL, never headers; still, say it in our own words.
            raise TransportError(f"{method} {self.host}{path} got no answer: {type(exc).__name__}: {exc}") from None
        if response.is_success:
            return response
        raise error_from_response(response, secret=self._api_key)
