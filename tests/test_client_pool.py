"""The one client a provider process shares, under hundreds of threads: no request ever waits on
a connection another thread closed.

httpcore's shared pool hands an idle connection to a waiting request, and until that request's
thread runs, the connection still looks idle: another thread's pass could close it (as expired,
as surplus keep-alive, or because the server hung up). A request already started on it then
blocked until its read timeout (30 s) and failed with "Bad file descriptor" (encode/httpcore#1110):
the 30 s tails of big `up`s. The client lends each request a connection of its own instead, so
only the thread that holds a connection ever closes it.
"""

from __future__ import annotations

import random
import time
from concurrent.futures import ThreadPoolExecutor

import httpcore
import httpx
import pytest
from httpx_retries import Retry

from pinecone_backup.api import PineconeClient, PineconeError
from pinecone_backup.api._transport import LendingTransport
from support.emulator import API_KEY, INDEX

THREADS = 120
CALLS_EACH = 10
READ_TIMEOUT = 3.0


@pytest.fixture
def hostile_pool(monkeypatch):
    """Widen the race's window, the same way on every httpx/httpcore the package allows:
    - a fifth of the looks at an idle connection find it hung up by the server (as a load
      balancer's idle timeout does), so the pool closes it;
    - that close comes 50 ms late, while a request that was handed the connection meanwhile
      waits for its answer (100 ms).
    With httpcore's pool shared by all threads, this stalls dozens of calls a run."""
    expired = httpcore._sync.http11.HTTP11Connection.has_expired
    close = httpcore.ConnectionPool._close_connections

    def hung_up_now_and_then(connection):
        idle = connection._state == httpcore._sync.http11.HTTPConnectionState.IDLE
        return expired(connection) or (idle and random.random() < 0.2)

    def close_later(pool, closing):
        if closing:
            time.sleep(0.05)
        close(pool, closing)

    monkeypatch.setattr(httpcore._sync.http11.HTTP11Connection, "has_expired", hung_up_now_and_then)
    monkeypatch.setattr(httpcore.ConnectionPool, "_close_connections", close_later)


def test_no_request_waits_on_a_connection_another_thread_closed(emulator, index, hostile_pool):
    emulator.state.faults.latency = 0.1
    timeout = httpx.Timeout(connect=5.0, read=READ_TIMEOUT, write=5.0, pool=60.0)
    stalls: list[str] = []
    with PineconeClient(API_KEY, host=emulator.url, timeout=timeout, retry=Retry(total=0)) as client:

        def calls() -> None:
            for _ in range(CALLS_EACH):
                try:
                    client.describe_index(INDEX)
                except PineconeError as error:
                    stalls.append(str(error))

        with ThreadPoolExecutor(THREADS) as threads:
            for future in [threads.submit(calls) for _ in range(THREADS)]:
                future.result()
    assert stalls == []


def test_requests_beyond_the_connections_queue_and_all_succeed(emulator, index):
    """Three times more threads than connections: the extra requests wait their turn, none fails,
    and no more connections are opened than the transport has."""
    emulator.state.faults.latency = 0.05
    transport = LendingTransport(size=10)
    with PineconeClient(API_KEY, host=emulator.url, transport=transport) as client, ThreadPoolExecutor(30) as threads:
        names = list(threads.map(lambda _: client.describe_index(INDEX).name, range(90)))
    assert names == [INDEX] * 90
    assert transport.connections_made == 10


def test_a_request_that_finds_every_connection_busy_too_long_fails_with_a_pool_timeout(emulator, index):
    """As with httpx's own pool: the wait is bounded by the pool timeout (then retried, for the
    calls that retry timeouts), and the busy request is unharmed."""
    emulator.state.faults.latency = 1.0
    timeout = httpx.Timeout(connect=5.0, read=5.0, write=5.0, pool=0.2)
    lone = LendingTransport(size=1)
    client = PineconeClient(API_KEY, host=emulator.url, transport=lone, timeout=timeout, retry=Retry(total=0))
    with client, ThreadPoolExecutor(2) as threads:
        slow = threads.submit(client.describe_index, INDEX)
        time.sleep(0.3)  # the slow call holds the one connection (its answer takes 1 s)
        starved = threads.submit(client.describe_index, INDEX)
        with pytest.raises(PineconeError, match="PoolTimeout: all 1 connections stayed busy"):
            starved.result()
        assert slow.result().name == INDEX
