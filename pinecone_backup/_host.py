"""Adapt Pulumi's dynamic-provider host: many waits at once, and cancellation heard.

`python -m pulumi.dynamic` serves every dynamic resource of a stack from one gRPC server
with a pool of 4 worker threads. A create that waits for Ready holds a worker for minutes
or hours, so 20 backups would wait in 5 rounds and every other call (diff, read, delete)
would queue behind them. When the provider is configured inside that host, the server
gets a larger pool, so every backup waits on its own thread and other calls run at once.
The cap (2048) is above any `--parallel` a stack of a thousand backups needs: threads start
only on demand, and a parked one costs little (the benchmark states the memory per backup),
since the waits share their status checks (`_watch`) and sleep. Opt out with
PINECONE_BACKUP_HOST_WORKERS=0 (keep Pulumi's 4), or set another cap.

The host also ignores cancellation: its Cancel call does nothing, and a SIGINT to the process
group (Ctrl-C, a CI runner cancelling a job) stops its server at once, failing every waiting
create, so the backups they made are recorded nowhere. Here both set `_polling.CANCELLED`:
waits return at once with what they have, the engine records it, and the server stops
after those answers are sent.

And the host does not notice its engine's death: `core.engine.watch` makes it.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from pinecone_backup.core import engine
from pinecone_backup.core import polling as _polling

HOST_WORKERS_ENV = "PINECONE_BACKUP_HOST_WORKERS"
DEFAULT_HOST_WORKERS = 2048
DYNAMIC_HOST_MAIN = "pulumi.dynamic.__main__"

CANCEL_METHOD = "/pulumirpc.ResourceProvider/Cancel"

_lock = threading.Lock()
_adapted = False


def requested_workers() -> int:
    """The thread cap asked for by $PINECONE_BACKUP_HOST_WORKERS; 0 means leave the host as it is."""
    raw = os.environ.get(HOST_WORKERS_ENV, "").strip()
    if not raw:
        return DEFAULT_HOST_WORKERS
    try:
        return max(0, int(raw))
    except ValueError:
        _say(f"ignoring {HOST_WORKERS_ENV}={raw!r}: not a whole number")
        return DEFAULT_HOST_WORKERS


def in_dynamic_host() -> bool:
    main = sys.modules.get("__main__")
    return getattr(getattr(main, "__spec__", None), "name", None) == DYNAMIC_HOST_MAIN


def adapt_host() -> None:
    """Once per provider-host process: widen the server's pool and hear cancellation."""
    global _adapted
    with _lock:
        if _adapted or not in_dynamic_host():
            return
        _adapted = True
        servers = _grpc_servers()
        if not servers:
            _say("could not find the provider host's gRPC server: backups wait 4 at a time, and Ctrl-C loses them")
            return
        for server in servers:
            _widen_pool(server._state)
            _hear_cancellation(server)
        engine.watch(sys.argv[1:])


def _widen_pool(state: Any) -> None:
    workers = requested_workers()
    if workers == 0:
        return
    # A fresh pool rather than a raised cap on the old one: ThreadPoolExecutor counts an "idle"
    # worker for every finished task, so a pool that has queued work (the burst of checks
    # before this runs) would never start the extra threads. Work already queued on the old
    # pool still runs there. Threads start only on demand.
    with state.lock:
        state.thread_pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="pinecone-backup-host")


def _hear_cancellation(server: Any) -> None:
    """The engine's Cancel call, and the host's own stop on SIGINT, both cancel the waits first."""
    heard = False
    for handler in server._state.generic_handlers:
        handlers = getattr(handler, "_method_handlers", None)
        if not isinstance(handlers, dict):
            continue
        cancel = handlers.get(CANCEL_METHOD)
        if cancel is not None and cancel.unary_unary is not None:
            handlers[CANCEL_METHOD] = cancel._replace(unary_unary=_cancelling(cancel.unary_unary))
            heard = True
    if not heard:
        _say("could not hook the provider host's Cancel call: a cancelled `up` may lose waiting backups")
    stop = server.stop

    def stop_after_answers(grace: float | None) -> Any:
        engine.stopping()
        return stop(max(grace or 0.0, engine.ANSWER_GRACE))

    server.stop = stop_after_answers


def _cancelling(original: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def cancel(request: Any, context: Any) -> Any:
        _polling.cancel()
        return original(request, context)

    return cancel


def _say(message: str) -> None:
    print(f"pinecone-backup: {message}", file=sys.stderr, flush=True)


def _grpc_servers() -> list[Any]:
    try:
        from grpc._server import _Server  # type: ignore[import-untyped]  # private: no stubs
    except ImportError:
        return []
    return [
        server
        for server in gc.get_objects()
        if isinstance(server, _Server) and isinstance(getattr(server._state, "thread_pool", None), ThreadPoolExecutor)
    ]
