"""A provider process and its engine: how it stops when told, and how it notices the engine's death.

Both faces run in a process the engine starts in a process group of its own (the dynamic
provider host, the plugin). Told to stop (SIGINT from the engine closing it, or from a cancelled
job's process group), it cancels the waits, lets them record what they have, and only then
stops. Never told (an engine killed with its job, an Automation API script SIGINTed with its
`pulumi`), it would run on unknown to anyone: so a thread asks the engine's gRPC address, which
the process was started with, whether it is there, as Pulumi's Go providers do. Once it is gone,
the waits end, what the creates answered after the cancel made without a name that proves it is
deleted (`polling.delete_unrecorded`), and the process exits.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable
from typing import Any

from pinecone_backup.core import polling

HEALTH_METHOD = "/grpc.health.v1.Health/Check"  # any answer, even "unimplemented", is a live engine
STOP_GRACE = 5.0  # seconds for waits to end once cancelled; CI runners allow ~7.5 before SIGTERM
ANSWER_GRACE = 1.0  # then for the answers to be sent
CHECK_INTERVAL = 1.0  # seconds between looks for the engine
CHECK_MISSES = 3  # looks in a row that find nobody listening: the engine is gone
ADDRESS = re.compile(r"(\[[0-9a-fA-F:]+\]|[\w.-]+):\d+")

# The engine is closing this process: it has recorded what it was told.
STOPPING = threading.Event()


def address(args: list[str]) -> str | None:
    """The engine's gRPC address among a provider's arguments (flags such as `--logtostderr` aside)."""
    return next((arg for arg in reversed(args) if ADDRESS.fullmatch(arg)), None)


def progress_to(log: Callable[[Any], object], urn: Callable[[], str]) -> polling.Sink:
    """Progress lines as the engine's info messages on the row of the resource `urn()` names (and
    in Diagnostics), sent by `log` (the engine's `Log` call): a line the engine does not take is
    lost; an engine gone stops the wait (`polling.report`)."""
    import grpc  # type: ignore[import-untyped]  # no stubs
    from pulumi.runtime.proto import engine_pb2

    def send(message: str) -> None:
        try:
            log(engine_pb2.LogRequest(severity=engine_pb2.INFO, message=message, urn=urn()))
        except grpc.RpcError as error:
            if error.code() == grpc.StatusCode.UNAVAILABLE:
                raise OSError(f"the engine is gone: {error.details()}") from None

    return send


def stopping() -> None:
    """Told to stop: cancel the waits and give them STOP_GRACE to record what they have."""
    STOPPING.set()
    polling.cancel()
    polling.wait_for_waits_to_end(STOP_GRACE)


def watch(args: list[str]) -> None:
    """Start the two threads that end this process once its engine is gone (see the module doc)."""
    found = address(args)
    if found is not None:
        threading.Thread(target=_look_for_the_engine, args=(found,), name="pinecone-backup-engine", daemon=True).start()
    threading.Thread(target=_exit_once_the_engine_is_gone, name="pinecone-backup-orphan", daemon=True).start()


def _look_for_the_engine(engine: str) -> None:
    """Look every CHECK_INTERVAL; once nobody listens at the engine's address CHECK_MISSES times
    in a row, and the engine is not closing this process, it is gone. A slow answer is no proof:
    a busy engine is still there."""
    import grpc  # (untyped: see progress_to)

    with grpc.insecure_channel(engine) as channel:
        check = channel.unary_unary(HEALTH_METHOD)  # bytes in and out: no health protos needed
        misses = 0
        while not STOPPING.wait(CHECK_INTERVAL):
            try:
                check(b"", timeout=CHECK_INTERVAL)
                misses = 0
            except grpc.RpcError as error:
                misses = misses + 1 if error.code() == grpc.StatusCode.UNAVAILABLE else 0
            if misses >= CHECK_MISSES and not STOPPING.is_set():
                polling.engine_gone()
                return


def _exit_once_the_engine_is_gone() -> None:
    """Once the waits have ended (what they made is settled) and what the engine never recorded
    is deleted, end the process: nobody else will."""
    polling.ENGINE_GONE.wait()
    polling.wait_for_waits_to_end(STOP_GRACE)
    if not STOPPING.is_set():
        polling.delete_unrecorded()
    os._exit(0)
