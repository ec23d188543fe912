"""Let many backups wait at once inside Pulumi's dynamic-provider host.

`python -m pulumi.dynamic` serves every dynamic resource of a stack from one gRPC server
with a pool of 4 worker threads. A create that waits for Ready holds a worker for minutes
or hours, so 20 backups would wait in 5 rounds and every other call (diff, read, delete)
would queue behind them. When the provider is configured inside that host, the server
gets a larger pool, so every backup waits on its own thread and other calls run at once.

Opt out with PINECONE_BACKUP_HOST_WORKERS=0 (keep Pulumi's 4), or set another cap.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

HOST_WORKERS_ENV = "PINECONE_BACKUP_HOST_WORKERS"
DEFAULT_HOST_WORKERS = 128
DYNAMIC_HOST_MAIN = "pulumi.dynamic.__main__"

_lock = threading.Lock()
_widened = False


def requested_workers() -> int:
    """The thread cap asked for by $PINECONE_BACKUP_HOST_WORKERS; 0 means leave the host as it is."""
    raw = os.environ.get(HOST_WORKERS_ENV, "").strip()
    if not raw:
        return DEFAULT_HOST_WORKERS
    try:
        return max(0, int(raw))
    except ValueError:
        print(f"pinecone-backup: ignoring {HOST_WORKERS_ENV}={raw!r}: not a whole number", file=sys.stderr)
        return DEFAULT_HOST_WORKERS


def in_dynamic_host() -> bool:
    main = sys.modules.get("__main__")
    return getattr(getattr(main, "__spec__", None), "name", None) == DYNAMIC_HOST_MAIN


def widen_host_pool() -> int | None:
    """Give the host's gRPC server a larger pool, once per process; its size, or None if unchanged."""
    global _widened
    with _lock:
        if _widened or not in_dynamic_host():
            return None
        _widened = True
        workers = requested_workers()
        if workers == 0:
            return None
        servers = _grpc_server_states()
        if not servers:
            print(
                "pinecone-backup: could not find the provider host's gRPC server; backups wait 4 at a time",
                file=sys.stderr,
            )
            return None
        for state in servers:
            # A fresh pool rather than a raised cap on the old one: ThreadPoolExecutor counts
            # an "idle" worker for every finished task, so a pool that has queued work (the
            # burst of checks before this runs) would never start the extra threads. Work
            # already queued on the old pool still runs there. Threads start only on demand.
            with state.lock:
                state.thread_pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="pinecone-backup-host")
        return workers


def _grpc_server_states() -> list[Any]:
    try:
        from grpc._server import _Server  # type: ignore[import-untyped]  # private: no stubs
    except ImportError:
        return []
    return [
        server._state
        for server in gc.get_objects()
        if isinstance(server, _Server) and isinstance(getattr(server._state, "thread_pool", None), ThreadPoolExecutor)
    ]
