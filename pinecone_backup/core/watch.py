"""Waits that share their status checks: one listing call answers for up to 100 waiting backups.

Every wait keeps its own schedule (`polling`): when its pause is over it asks for news. With
one wait of a kind in the process (per API client), it describes its own object, as it always
did. With more, it asks for a *listing* instead, when a listing is cheaper per wait: the
index's backups (GET /indexes/{name}/backups), the project's (GET /backups) or the project's
restore jobs (GET /restore-jobs), pages of 100. The first wait that is due makes the listing
(in its own thread: there is no extra thread), every wait that falls due meanwhile joins it,
and each page wakes every wait whose object it holds, due or not. So the listings are paced
by the earliest due wait, and every wait is still seen within its own schedule's 10%; after
one listing all are in step, and N waits cost about N / 100 calls per round instead of N.

Nothing is lost when a shared call fails:
- a transient failure (429, 5xx, no answer, after the client's retries) is no news for the
  waits that asked: they keep waiting, as after a failed describe; it is reported once;
- any other failure of a listing (its index deleted: 404; a page the client cannot read)
  makes each wait that asked describe its own object, and that listing is not used again;
- an object absent from a complete listing (just made, or its index deleted) is described on
  its own, so only its own describe can fail its wait.

A listing costs more than describes when the waited objects are few among many (an index with
thousands of old backups): a listing stops once every wait it serves was seen, and gives up
after as many pages as waits it serves (those then describe themselves); the page count it
needed is kept, so the next rounds choose describes until listing pays.

Nothing here is pickled: the state lives in this module of the provider process, per client.
"""

from __future__ import annotations

import contextlib
import math
import threading
import time
import weakref
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pinecone_backup.core import polling as _polling
from pinecone_backup.core.polling import CANCELLED, Interrupted, NoNews, PollSchedule, report, short_id, waiting
from pinecone_backup.errors import TRANSIENT_ERRORS

if TYPE_CHECKING:
    from pinecone_backup.api.client import PineconeClient
    from pinecone_backup.api.models import Backup, RestoreJob

T = TypeVar("T")
PAGE_SIZE = 100
SUMMARY_EVERY = 60.0  # seconds: a count of the waits at least this often while they change nothing
PROJECT: None = None  # the listing of the whole project; an index's listing is keyed by its name


@dataclass(frozen=True)
class Kind(Generic[T]):
    """What is waited for, and the calls that tell how it is."""

    plural: str  # "backups"
    key: Callable[[T], str]
    phase: Callable[[T], str]
    describe: Callable[[PineconeClient, str], T]
    group: Callable[[T], str | None] = lambda _item: None  # the index whose listing holds it
    group_pages: Callable[[PineconeClient, str], Iterator[list[T]]] | None = None
    project_pages: Callable[[PineconeClient], Iterator[list[T]]] | None = None

    @contextlib.contextmanager
    def watch(self, client: PineconeClient, first: T) -> Iterator[Watched[T]]:
        """Register a wait for `first`'s object for the time of the block."""
        watcher = _watcher(client, self)
        watched = watcher.add(first)
        try:
            yield watched
        finally:
            watcher.remove(watched)


BACKUPS: Kind[Backup] = Kind(
    plural="backups",
    key=lambda backup: backup.backup_id,
    phase=lambda backup: backup.status,
    describe=lambda client, backup_id: client.describe_backup(backup_id),
    group=lambda backup: backup.source_index_name,
    group_pages=lambda client, index_name: client.backup_pages(index_name, page_size=PAGE_SIZE),
    project_pages=lambda client: client.backup_pages(None, page_size=PAGE_SIZE),
)

RESTORE_JOBS: Kind[RestoreJob] = Kind(
    plural="restores",
    key=lambda job: job.restore_job_id,
    phase=lambda job: job.status,
    describe=lambda client, job_id: client.describe_restore_job(job_id),
    project_pages=lambda client: client.restore_job_pages(page_size=PAGE_SIZE),
)


class Watched(Generic[T]):
    """One wait's registration: where listings leave its news, and how it asks for news."""

    def __init__(self, watcher: Watcher[T], key: str, group: str | None, phase: str) -> None:
        self.watcher = watcher
        self.key = key
        self.group = group
        self.phase = phase  # its latest known state, for the summary
        self.news: T | None = None  # a state delivered by a listing, not yet taken
        self.wake = threading.Event()

    def next(self, pause: float) -> T | NoNews:
        """The state after at most `pause` seconds: sooner if a listing brings it, else asked for
        then. Raises `Interrupted` once the update is cancelled."""
        deadline = time.monotonic() + pause
        while True:
            news = self.watcher.take(self)
            if news is not None:
                return news
            if CANCELLED.is_set():
                raise Interrupted
            left = deadline - time.monotonic()
            if left <= 0:
                return self.watcher.refresh(self)
            self.wake.wait(left)
            self.wake.clear()


@dataclass
class _Flight(Generic[T]):
    """One listing under way: the waits that asked for it, and how it ended."""

    asked: list[Watched[T]] = field(default_factory=list)
    finished: bool = False
    no_news: NoNews | None = None  # set when it failed transiently


class Watcher(Generic[T]):
    """The waits of one kind on one client, and the listings they share."""

    def __init__(self, client: PineconeClient, kind: Kind[T]) -> None:
        self.client = client
        self.kind = kind
        self._lock = threading.RLock()
        self._by_key: dict[str, list[Watched[T]]] = {}
        self._by_group: Counter[str | None] = Counter()
        self._count = 0
        self._flights: dict[str | None, _Flight[T]] = {}
        self._pages: dict[str | None, int] = {}  # pages the last listing needed
        self._unlistable: set[str | None] = set()
        self._last_summary: tuple[float, str] = (-math.inf, "")

    # -- registration ------------------------------------------------------------------------

    def add(self, first: T) -> Watched[T]:
        kind = self.kind
        watched = Watched(self, kind.key(first), kind.group(first), kind.phase(first))
        with self._lock:
            self._by_key.setdefault(watched.key, []).append(watched)
            self._by_group[watched.group] += 1
            self._count += 1
        return watched

    def remove(self, watched: Watched[T]) -> None:
        with self._lock:
            self._by_key[watched.key].remove(watched)
            if not self._by_key[watched.key]:
                del self._by_key[watched.key]
            self._by_group[watched.group] -= 1
            self._count -= 1

    def wake_all(self) -> None:
        with self._lock:
            for waits in self._by_key.values():
                for watched in waits:
                    watched.wake.set()

    def take(self, watched: Watched[T]) -> T | None:
        with self._lock:
            news, watched.news = watched.news, None
            return news

    # -- news ----------------------------------------------------------------------------------

    def refresh(self, watched: Watched[T]) -> T | NoNews:
        """News for a wait that is due: from a shared listing if one pays, else its own describe."""
        listing = self._plan(watched)
        if not isinstance(listing, _Describe):
            shared = self._share(listing, watched)
            if shared is not None:
                return shared
        if CANCELLED.is_set():
            raise Interrupted
        try:
            item = self.kind.describe(self.client, watched.key)
        except TRANSIENT_ERRORS as exc:
            return NoNews.of(exc)
        with self._lock:
            watched.phase = self.kind.phase(item)
        return item

    def _plan(self, watched: Watched[T]) -> str | _Describe | None:
        """The listing to ask (one under way that holds this wait's object first), or _DESCRIBE."""
        kind = self.kind
        with self._lock:
            group_listable = kind.group_pages is not None and watched.group is not None
            group_listable = group_listable and watched.group not in self._unlistable
            project_listable = kind.project_pages is not None and PROJECT not in self._unlistable
            if group_listable and watched.group in self._flights:
                return watched.group
            if project_listable and PROJECT in self._flights:
                return PROJECT
            options: list[tuple[float, int, str | None]] = []
            if group_listable:
                options.append((self._cost(watched.group, self._by_group[watched.group]), 0, watched.group))
            if project_listable:
                options.append((self._cost(PROJECT, self._count), 1, PROJECT))
            if not options:
                return _DESCRIBE
            cost, _, listing = min(options)
            return listing if cost < 1 else _DESCRIBE  # calls per wait served: a describe costs 1

    def _cost(self, listing: str | None, served: int) -> float:
        pages = self._pages.get(listing) or max(1, math.ceil(served / PAGE_SIZE))
        return pages / max(served, 1)

    def _in(self, listing: str | None, watched: Watched[T]) -> bool:
        return listing is PROJECT or watched.group == listing

    def _share(self, listing: str | None, watched: Watched[T]) -> T | NoNews | None:
        """Join the listing under way, or make it; None: this wait must describe its own object."""
        with self._lock:
            flight = self._flights.get(listing)
            leading = flight is None
            if flight is None:
                flight = self._flights[listing] = _Flight()
            flight.asked.append(watched)
        if leading:
            self._fly(listing, flight)
        else:
            while True:
                with self._lock:
                    if watched.news is not None or flight.finished:
                        break
                if CANCELLED.is_set():
                    break
                watched.wake.wait()
                watched.wake.clear()
        news = self.take(watched)
        if news is not None:
            return news
        if CANCELLED.is_set():
            raise Interrupted
        return flight.no_news  # None when absent from a complete listing, or the listing is unusable

    def _fly(self, listing: str | None, flight: _Flight[T]) -> None:
        """Make the listing: each page wakes the waits it holds news for. Never raises."""
        kind = self.kind
        where = f"of index {listing}" if listing is not PROJECT else "of the project"
        with self._lock:
            budget = max(1, self._count if listing is PROJECT else self._by_group[listing])
        pages = 0
        settled = False  # read to the end, or stopped with every wait served seen
        failure = ""
        seen: set[str] = set()
        try:
            for page in self._pages_of(listing):
                pages += 1
                with self._lock:
                    for item in page:
                        key = kind.key(item)
                        seen.add(key)
                        for watched in self._by_key.get(key, ()):
                            watched.news, watched.phase = item, kind.phase(item)
                            watched.wake.set()
                    missing = any(
                        key not in seen
                        for key, waits in self._by_key.items()
                        if any(self._in(listing, watched) for watched in waits)
                    )
                if not missing:
                    settled = True
                    break
                if CANCELLED.is_set() or pages >= budget:
                    break
            else:
                settled = True
        except TRANSIENT_ERRORS as exc:
            flight.no_news = NoNews.of(exc, reported=True)
            failure = f"Still waiting: listing the {kind.plural} {where} failed ({exc}); each keeps waiting"
        except Exception as exc:  # whatever it was, each wait asks for its own object instead
            with self._lock:
                self._unlistable.add(listing)
            failure = (
                f"Listing the {kind.plural} {where} failed ({type(exc).__name__}: {exc}); "
                f"each of them is checked on its own from now on"
            )
        with self._lock:
            if settled:
                self._pages[listing] = pages
            elif not failure and not CANCELLED.is_set():
                self._pages[listing] = pages + 1  # gave up: listing costs more than describes here
            del self._flights[listing]
            flight.finished = True
            for watched in flight.asked:
                watched.wake.set()
            summary = self._summary(pages)
        if failure:
            report(failure)
        if summary:
            report(summary)

    def _pages_of(self, listing: str | None) -> Iterator[list[T]]:
        if listing is PROJECT:
            assert self.kind.project_pages is not None
            return self.kind.project_pages(self.client)
        assert self.kind.group_pages is not None
        return self.kind.group_pages(self.client, listing)

    def _summary(self, calls: int) -> str:
        """A count of the waits by state, when many wait, they changed, or a minute passed."""
        if not _polling.crowded():
            return ""
        phases = Counter(watched.phase for waits in self._by_key.values() for watched in waits)
        counts = ", ".join(f"{count} {phase}" for phase, count in sorted(phases.items()))
        now = time.monotonic()
        last_time, last_counts = self._last_summary
        if counts == last_counts and now - last_time < SUMMARY_EVERY:
            return ""
        self._last_summary = (now, counts)
        listed = f"{calls} call" if calls == 1 else f"{calls} calls"
        return f"{counts}: {self._count} {self.kind.plural} waited for, listed in {listed}"


class _Describe:
    """The plan of a wait that asks for its own object."""


_DESCRIBE = _Describe()

_registry_lock = threading.Lock()
_watchers: weakref.WeakKeyDictionary[PineconeClient, dict[str, Watcher[Any]]] = weakref.WeakKeyDictionary()


def _watcher(client: PineconeClient, kind: Kind[T]) -> Watcher[T]:
    with _registry_lock:
        per_kind = _watchers.setdefault(client, {})
        watcher: Watcher[T] | None = per_kind.get(kind.plural)
        if watcher is None:
            watcher = per_kind[kind.plural] = Watcher(client, kind)
        return watcher


def _wake_everyone() -> None:
    with _registry_lock:
        watchers = [watcher for per_kind in _watchers.values() for watcher in per_kind.values()]
    for watcher in watchers:
        watcher.wake_all()


CANCELLED.on_set(_wake_everyone)


def wait_until_ready(client: PineconeClient, backup: Backup, schedule: PollSchedule) -> Backup:
    """Wait until a backup is Ready, its checks shared with the other backups this process waits
    for (`_watch`); Failed or the timeout raise."""
    with BACKUPS.watch(client, backup) as watched:
        return waiting(
            watched.next,
            backup,
            schedule,
            subject=f"backup {short_id(backup.backup_id)} of {backup.source_index_name}",
            status=lambda b: b.status,
            done=lambda b: b.is_ready,
            failed=lambda b: b.is_failed,
        )


def wait_until_restored(client: PineconeClient, job: RestoreJob, schedule: PollSchedule) -> RestoreJob:
    """Wait until a restore job completes, its checks shared like backups' (GET /restore-jobs)."""
    with RESTORE_JOBS.watch(client, job) as watched:
        return waiting(
            watched.next,
            job,
            schedule,
            subject=f"restore of backup {short_id(job.backup_id)} into index {job.target_index_name}",
            status=lambda j: j.status if j.percent_complete is None else f"{j.status} {j.percent_complete:.0f}%",
            phase=lambda j: j.status,
            done=lambda j: j.is_completed,
            failed=lambda j: j.is_failed,
        )
