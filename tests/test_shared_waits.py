"""Many waits in one provider process share their status checks (pinecone_backup.core.watch).

Through the real provider host and the real emulator over HTTP, what a user of a big stack
notices: few API calls per backup, Ready still seen promptly, a failed listing failing no
wait, cancellation and timeouts as before, restores alike, and progress that stays readable.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import grpc
import pytest

from pinecone_backup.api import PineconeClient
from pinecone_backup.core import polling as _polling
from pinecone_backup.core.watch import wait_until_ready
from pinecone_backup.index_from_backup import IndexFromBackupProvider
from support.emulator import API_KEY, INDEX, calls, eventually, fast_retry
from support.provider_host import ProviderHost, from_struct

FLOOR = 0.2  # poll_interval: the first pause; pauses grow by 10% of the time waited
LISTING = f"/indexes/{INDEX}/backups"


@dataclass
class Created:
    backup_id: str
    outs: dict[str, Any]
    returned_at: float  # time.time() when the create answered


def start_host(emulator, tmp_path, provider=None) -> ProviderHost:
    host = ProviderHost({**os.environ, "PINECONE_CONTROLLER_HOST": emulator.url, "TMPDIR": str(tmp_path)}, provider)
    host.configure({"pinecone:apiKey": API_KEY})
    return host


def create_many(host: ProviderHost, count: int, **inputs: Any) -> list[Created | grpc.RpcError]:
    """`count` creates at once, as the engine sends them with `--parallel` at least `count`."""

    def create(i: int) -> Created | grpc.RpcError:
        props = {"index_name": INDEX, "name": f"b{i}", "poll_interval": FLOOR, "ready_timeout": 60, **inputs}
        checked = from_struct(host.check(props).inputs)
        try:
            backup_id, outs = host.create(checked)
        except grpc.RpcError as error:
            return error
        return Created(backup_id, outs, time.time())

    with ThreadPoolExecutor(count) as callers:
        return list(callers.map(create, range(count)))


def epoch(rfc3339: str) -> float:
    return datetime.fromisoformat(rfc3339.replace("Z", "+00:00")).timestamp()


def gets(emulator) -> Counter[str]:
    """GET calls by kind: the index's listing, the project's, each backup's describe."""
    kinds: Counter[str] = Counter()
    for _, path, _ in calls(emulator, "GET"):
        kinds["describe" if re.fullmatch(r"/backups/[^/]+", path) else path] += 1
    return kinds


def test_many_waiting_backups_share_a_few_listings_and_each_is_seen_ready_promptly(emulator, index, tmp_path):
    count, ready_delay = 150, 2.0
    emulator.state.faults.ready_delay = ready_delay
    host = start_host(emulator, tmp_path)
    try:
        results = create_many(host, count)
        progress = host.stderr().splitlines()
    finally:
        host.close()

    assert all(isinstance(result, Created) and result.outs["status"] == "Ready" for result in results)
    made = gets(emulator)
    # Each backup describing itself would cost ~8 calls over 2 s at this floor: 1,200 calls.
    # Shared, a round is 2 pages for all 150, and rounds follow the earliest due wait.
    assert made[LISTING] > 0 and sum(made.values()) <= count / 2, made
    for result in results:
        assert isinstance(result, Created)
        ready_at = epoch(result.outs["created_at"]) + ready_delay
        # Seen by 1.1 x T + floor, as each wait's own schedule promises (+1 s for this busy test).
        assert result.returned_at - ready_at <= 0.1 * ready_delay + FLOOR + 1.0

    # Readable: one line at the start and one at the end of each wait, not one per check (but
    # while the first few wait alone), and a count of them all after the shared listings.
    few = 2 * _polling.CROWD
    assert sum(line.startswith("Ready after ") for line in progress) == count
    assert sum(line.startswith("Initializing ") for line in progress) <= count + few
    assert not any("next check in 0s" in line for line in progress)
    summaries = [line for line in progress if re.search(r"backups waited for, listed in \d+ calls?$", line)]
    assert summaries and len(progress) <= 3 * count + len(summaries) + few


def test_a_listing_failing_for_good_sends_each_backup_back_to_its_own_check(emulator, index, tmp_path):
    """The index is deleted while its backups wait: its listing answers 404; the backups still exist."""
    emulator.state.faults.ready_delay = 2.0
    host = start_host(emulator, tmp_path)
    try:
        with ThreadPoolExecutor(1) as background:
            waiting = background.submit(create_many, host, 30)
            eventually(lambda: len(emulator.state.backups) == 30 and gets(emulator)[LISTING] > 0)
            emulator.state.delete_index(INDEX)
            results = waiting.result()
        assert all(isinstance(result, Created) and result.outs["status"] == "Ready" for result in results)
        assert ("GET", LISTING, 404) in calls(emulator)
        assert "checked on its own from now on" in host.stderr()
    finally:
        host.close()


def test_a_listing_failing_transiently_fails_no_wait(emulator, index, capsys):
    """A listing answered 503 past the client's retries is no news for every wait it served."""
    emulator.state.faults.ready_delay = 1.5
    backups = [emulator.state.create_backup(INDEX, {"name": f"b{i}"}).backup_id for i in range(30)]
    retry = fast_retry(allowed_methods=("GET",))  # 5 attempts in all
    with PineconeClient(API_KEY, host=emulator.url, retry=retry) as client:
        firsts = [client.describe_backup(backup_id) for backup_id in backups]

        def arm_once_listing() -> None:
            eventually(lambda: gets(emulator)[LISTING] > 0)
            emulator.state.faults.server_errors_next = 5

        arming = threading.Thread(target=arm_once_listing)
        arming.start()
        with ThreadPoolExecutor(len(firsts)) as waits:
            ready = list(waits.map(lambda b: wait_until_ready(client, b, _polling.PollSchedule(0.1, 30)), firsts))
        arming.join()
    assert all(backup.status == "Ready" for backup in ready)
    assert calls(emulator, "GET").count(("GET", LISTING, 503)) == 5
    assert capsys.readouterr().err.count("Still waiting: listing the backups of index products failed") == 1


def test_cancelling_records_every_waiting_backup(emulator, index, tmp_path):
    emulator.state.faults.ready_delay = 60
    host = start_host(emulator, tmp_path)
    try:
        with ThreadPoolExecutor(1) as background:
            waiting = background.submit(create_many, host, 40)
            eventually(lambda: len(emulator.state.backups) == 40 and gets(emulator)[LISTING] > 0)
            host.cancel()
            results = waiting.result(timeout=10)
        assert all(isinstance(result, Created) and result.outs["status"] == "Initializing" for result in results)
        assert {result.backup_id for result in results if isinstance(result, Created)} == set(emulator.state.backups)
        assert host.stderr().count("Recorded as Initializing") == 40
    finally:
        host.close()


def test_a_timeout_still_fails_each_create_naming_ready_timeout(emulator, index, tmp_path):
    emulator.state.faults.ready_delay = 30
    host = start_host(emulator, tmp_path)
    try:
        results = create_many(host, 20, ready_timeout=1.0)
    finally:
        host.close()
    assert all(isinstance(result, grpc.RpcError) for result in results)
    for error in results:
        assert isinstance(error, grpc.RpcError)
        assert "is Initializing after 1s (ready_timeout=1s)" in error.details() and "was deleted" in error.details()
    assert emulator.state.backups == {}


def test_restores_share_the_listing_of_restore_jobs(emulator, index, tmp_path):
    emulator.state.faults.update({"ready_delay": 0, "restore_delay": 2.0})
    backup_id = emulator.state.create_backup(INDEX, {"name": "source"}).backup_id
    host = start_host(emulator, tmp_path, IndexFromBackupProvider())
    count = 12

    def restore(i: int) -> dict[str, Any]:
        props = {"backup_id": backup_id, "name": f"restored-{i}", "poll_interval": FLOOR, "ready_timeout": 60}
        return host.create(from_struct(host.check(props).inputs))[1]

    try:
        with ThreadPoolExecutor(count) as callers:
            restored = list(callers.map(restore, range(count)))
    finally:
        host.close()
    assert all(outs["restore_status"] == "Completed" and outs["host"] for outs in restored)
    paths = [path for _, path, _ in calls(emulator, "GET") if path.startswith("/restore-jobs")]
    listings = paths.count("/restore-jobs")
    # Each restore's first read after its create-index is its own describe; the waits then share
    # listings: each describing itself would take ~8 calls over 2 s at this floor.
    assert listings > 0 and len(paths) - listings <= 2 * count
    assert len(paths) <= 3 * count


@pytest.fixture(autouse=True)
def _no_cancellation_left():
    yield
    _polling.CANCELLED.clear()
