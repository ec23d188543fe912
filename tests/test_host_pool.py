"""Many backups waiting at once inside the real provider host (pinecone_backup._host)."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from support.emulator import API_KEY, INDEX, RECORDS, create_index, eventually
from support.provider_host import ProviderHost, from_struct

STOCK_WORKERS = 4


def start_host(emulator, tmp_path, **env_overrides: str) -> ProviderHost:
    env = {**os.environ, "PINECONE_CONTROLLER_HOST": emulator.url, "TMPDIR": str(tmp_path), **env_overrides}
    process = ProviderHost(env)
    process.configure({"pinecone:apiKey": API_KEY})
    return process


def create_many(host: ProviderHost, count: int, prefix: str) -> list[tuple[str, dict]]:
    def create(i: int) -> tuple[str, dict]:
        inputs = from_struct(host.check({"index_name": INDEX, "name": f"{prefix}{i}", "poll_interval": 0.1}).inputs)
        return host.create(inputs)

    with ThreadPoolExecutor(count) as callers:
        return list(callers.map(create, range(count)))


def host_threads(host: ProviderHost) -> int:
    with open(f"/proc/{host.process.pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("Threads:"))


@pytest.fixture
def slow_backups(emulator, index):
    emulator.state.faults.ready_delay = 1.0
    return emulator


def test_every_backup_waits_at_once_and_ends_ready(slow_backups, tmp_path):
    host = start_host(slow_backups, tmp_path)
    try:
        for round_number in range(3):  # and again once the first round's workers sit idle
            if round_number:
                start_round(slow_backups)
            results = create_many(host, 12, f"round-{round_number}-")
            assert len({backup_id for backup_id, _ in results}) == 12
            for backup_id, outs in results:
                assert outs["backup_id"] == backup_id and outs["status"] == "Ready" and outs["record_count"] == RECORDS
            assert slow_backups.state.peak_backups_in_flight() == 12  # all 12 waited side by side
    finally:
        host.close()


def test_the_pool_never_grows_past_its_cap(slow_backups, tmp_path):
    # How many idle threads ThreadPoolExecutor keeps or adds between bursts differs between
    # Python versions; what holds on all of them: no more threads and no more creates at once
    # than the cap, and the cap reached when there is more work than that.
    cap = 6
    host = start_host(slow_backups, tmp_path, PINECONE_BACKUP_HOST_WORKERS=str(cap))
    try:
        host.check({"index_name": INDEX})
        threads_at_start = host_threads(host)
        for round_number in range(2):
            if round_number:
                start_round(slow_backups)
            results = create_many(host, 10, f"capped-{round_number}-")
            assert all(outs["status"] == "Ready" for _, outs in results)
            assert slow_backups.state.peak_backups_in_flight() == cap
            assert host_threads(host) <= threads_at_start + cap
    finally:
        host.close()


def start_round(emulator) -> None:
    """A clean emulator for the next round, so that its peak counts this round's backups only."""
    emulator.state.reset()
    emulator.state.faults.ready_delay = 1.0
    create_index(emulator, INDEX)


def test_other_calls_are_not_queued_behind_waiting_creates(slow_backups, tmp_path):
    slow_backups.state.faults.ready_delay = 3.0
    host = start_host(slow_backups, tmp_path)
    try:
        with ThreadPoolExecutor(1) as background:
            waiting = background.submit(create_many, host, 8, "slow-")
            eventually(lambda: len(slow_backups.state.backups) == 8)
            checked = host.check({"index_name": INDEX})  # would queue behind 4 busy workers in the stock host
            assert list(checked.failures) == []
            assert not waiting.done()  # answered while every create was still waiting
            waiting.result()
    finally:
        host.close()


def test_hundreds_of_backups_wait_at_once_with_the_default_cap(slow_backups, tmp_path):
    """The old cap (128) made 500 backups wait in 4 rounds; the engine's --parallel is the limit now."""
    slow_backups.state.faults.ready_delay = 2.0
    host = start_host(slow_backups, tmp_path)
    try:
        results = create_many(host, 250, "many-")
        assert all(outs["status"] == "Ready" for _, outs in results)
        assert slow_backups.state.peak_backups_in_flight() == 250
    finally:
        host.close()


def test_opt_out_keeps_pulumis_four_workers(slow_backups, tmp_path):
    host = start_host(slow_backups, tmp_path, PINECONE_BACKUP_HOST_WORKERS="0")
    try:
        results = create_many(host, 6, "stock-")
        assert all(outs["status"] == "Ready" for _, outs in results)
        assert slow_backups.state.peak_backups_in_flight() == STOCK_WORKERS
    finally:
        host.close()


def test_one_backup_behaves_as_before(slow_backups, tmp_path):
    host = start_host(slow_backups, tmp_path)
    try:
        ((backup_id, outs),) = create_many(host, 1, "only-")
        assert outs["status"] == "Ready" and list(slow_backups.state.backups) == [backup_id]
        assert "could not find" not in host.stderr()
    finally:
        host.close()
