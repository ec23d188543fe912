"""Connections lent to one request at a time, so no thread can close another's.

httpcore's connection pool, shared by every thread, can close a connection it has just handed to
a waiting request: until that request's thread runs, the connection still looks idle, and another
thread's pass may find it expired or hung up by the server and close it. A request started on it
then waits out its read timeout (30 s) and fails with "Bad file descriptor" (encode/httpcore#1110).

Here each connection lives in a pool of its own (an `httpx.HTTPTransport` with one connection),
and a request borrows a whole pool until its response is closed. Only the borrowing thread looks
at that connection, so an expired or hung-up one is closed before the request, never under it.
"""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Callable, Iterator

import httpx

# One connection per lent pool. Idle ones are dropped after 4 s, before servers that close idle
# connections after 5 s (uvicorn's default) hang up on a request just sent.
ONE_CONNECTION = httpx.Limits(max_connections=1, max_keepalive_connections=1, keepalive_expiry=4.0)


class LendingTransport(httpx.BaseTransport):
    """Up to `size` connections, each lent whole to one request; the rest of the requests wait
    (at most the request's pool timeout, then `httpx.PoolTimeout`, as httpx's own pool does)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._idle: list[httpx.HTTPTransport] = []  # the most recently returned last: reused first
        self._made = 0
        self._closed = False
        self._returned = threading.Condition()
        self._ssl_context: ssl.SSLContext | None = None  # made once, shared: each costs ~20 ms

    @property
    def connections_made(self) -> int:
        return self._made

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        transport = self._borrow(request)
        try:
            response = transport.handle_request(request)
        except BaseException:
            self._give_back(transport)
            raise
        assert isinstance(response.stream, httpx.SyncByteStream)  # HTTPTransport's always is
        stream = _ReturnOnClose(response.stream, lambda: self._give_back(transport))
        return httpx.Response(
            response.status_code, headers=response.headers, stream=stream, extensions=response.extensions
        )

    def close(self) -> None:
        with self._returned:
            self._closed = True
            idle, self._idle = self._idle, []
        for transport in idle:
            transport.close()

    def _borrow(self, request: httpx.Request) -> httpx.HTTPTransport:
        timeout = request.extensions.get("timeout", {}).get("pool")
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._returned:
            while not self._idle and self._made >= self._size:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    raise httpx.PoolTimeout(f"all {self._size} connections stayed busy", request=request)
                self._returned.wait(left)
            if self._idle:
                return self._idle.pop()
            self._made += 1
            if self._ssl_context is None:
                self._ssl_context = httpx.create_ssl_context()
            context = self._ssl_context
        return httpx.HTTPTransport(verify=context, limits=ONE_CONNECTION)

    def _give_back(self, transport: httpx.HTTPTransport) -> None:
        with self._returned:
            if not self._closed:
                self._idle.append(transport)
                self._returned.notify()
                return
        transport.close()


class _ReturnOnClose(httpx.SyncByteStream):
    """A response body that gives its connection back once, when the response is closed."""

    def __init__(self, stream: httpx.SyncByteStream, give_back: Callable[[], None]) -> None:
        self._stream = stream
        self._give_back: Callable[[], None] | None = give_back

    def __iter__(self) -> Iterator[bytes]:
        yield from self._stream

    def close(self) -> None:
        try:
            self._stream.close()
        finally:
            give_back, self._give_back = self._give_back, None
            if give_back is not None:
                give_back()
