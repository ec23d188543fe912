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

And the host does not notice its engine's death: the engine starts it in a process group of
its own, so a job killed with its engine (an Automation API script and its `pulumi`, both
SIGINTed) leaves it running, unknown to anyone. Here a thread asks the engine's gRPC server,
whose address the host was started with, whether it is there, as Pulumi's Go providers do;
once it is gone, the waits end, what the creates answered after the cancel made without a
name that proves it is deleted (`_polling.delete_unrecorded`), and the process exits.
"""

from __future__ import annotations

import gc
import os
import re
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from pinecone_backup.core import polling as _polling

HOST_WORKERS_ENV = "PINECONE_BACKUP_HOST_WORKERS"
DEFAULT_HOST_WORKERS = 2048
DYNAMIC_HOST_MAIN = "pulumi.dynamic.__main__"

CANCEL_METHOD = "/pulumirpc.ResourceProvider/Cancel"
HEALTH_METHOD = "/grpc.health.v1.Health/Check"  # any answer, even "unimplemented", is a live engine
STOP_GRACE = 5.0  # seconds for waits to end once cancelled; CI runners allow ~7.5 before SIGTERM
ANSWER_GRACE = 1.0  # then for the answers to be sent
ENGINE_CHECK_INTERVAL = 1.0  # seconds between looks for the engine
ENGINE_CHECK_MISSES = 3  # looks in a row that find nobody listening: the engine is gone
ADDRESS = re.compile(r"(\[[0-9a-fA-F:]+\]|[\w.-]+):\d+")

_lock = threading.Lock()
_adapted = False
_stopping = threading.Event()  # the engine is closing the host: it has recorded what it was told


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
        threading.Thread(target=_exit_once_the_engine_is_gone, name="pinecone-backup-orphan", daemon=True).start()
        address = engine_address(sys.argv[1:])
        if address is not None:
            threading.Thread(
                target=_watch_the_engine, args=(address,), name="pinecone-backup-engine", daemon=True
            ).start()


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
        _stopping.set()
        _polling.cancel()
        _polling.wait_for_waits_to_end(STOP_GRACE)
        return stop(max(grace or 0.0, ANSWER_GRACE))

    server.stop = stop_after_answers


def _exit_once_the_engine_is_gone() -> None:
    """A killed engine leaves its provider host running, unknown to anyone: once the waits have
    ended (what they made is settled, see `backup._wait_or_clean_up`) and what the engine never
    recorded is deleted, end the process."""
    _polling.ENGINE_GONE.wait()
    _polling.wait_for_waits_to_end(STOP_GRACE)
    if not _stopping.is_set():
        _polling.delete_unrecorded()
    os._exit(0)


def engine_address(args: list[str]) -> str | None:
    """The engine's gRPC address among the host's arguments (flags such as `--logtostderr` aside)."""
    return next((arg for arg in reversed(args) if ADDRESS.fullmatch(arg)), None)


def _watch_the_engine(address: str) -> None:
    """Look for the engine every ENGINE_CHECK_INTERVAL; once nobody listens at its address
    ENGINE_CHECK_MISSES times in a row, and the host is not being closed by it, the engine is
    gone. A slow answer is no proof: a busy engine is still there."""
    import grpc  # type: ignore[import-untyped]  # no stubs

    with grpc.insecure_channel(address) as channel:
        check = channel.unary_unary(HEALTH_METHOD)  # bytes in and out: no health protos needed
        misses = 0
        while not _stopping.wait(ENGINE_CHECK_INTERVAL):
            try:
                check(b"", timeout=ENGINE_CHECK_INTERVAL)
                misses = 0
            except grpc.RpcError as error:
                misses = misses + 1 if error.code() == grpc.StatusCode.UNAVAILABLE else 0
            if misses >= ENGINE_CHECK_MISSES and not _stopping.is_set():
                _polling.engine_gone()
                return


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
