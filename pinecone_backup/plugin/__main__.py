"""`pulumi-resource-pinecone-backup`: the plugin's gRPC server, as the engine starts it.

Like Pulumi's own server (`pulumi.provider.experimental.server.main`), with what a provider
whose creates wait for hours needs besides: progress lines sent to the engine (the CLI hides a
plugin's stderr), a stop on SIGINT that first lets the waits record what they made (the engine
closes a plugin with SIGINT and kills it 5 s later), and an exit of its own once the engine is
gone (`core.engine`).
"""

from __future__ import annotations

import asyncio
import functools
import os
import signal
import sys
import typing
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import grpc  # type: ignore[import-untyped]  # no stubs
from google.protobuf import empty_pb2  # type: ignore[import-untyped]  # no stubs
from pulumi.provider.experimental.server import ProviderServicer
from pulumi.runtime.proto import engine_pb2_grpc, provider_pb2_grpc

from pinecone_backup import __version__
from pinecone_backup.core import engine, polling
from pinecone_backup.errors import PineconeError
from pinecone_backup.plugin.provider import CURRENT_URN, PineconeBackupProvider

# As Pulumi's servers: the engine sends whole resources' state, which may be large.
GRPC_OPTIONS = [("grpc.max_receive_message_length", 400 * 1024 * 1024)]


Handler = TypeVar("Handler", bound=Callable[..., Coroutine[Any, Any, Any]])


def _plain_errors(handler: Handler) -> Handler:
    """Our errors' own messages for the user: gRPC would prefix "Unexpected <class ...>:"."""

    @functools.wraps(handler)
    async def answer(servicer: Any, request: Any, context: Any) -> Any:
        try:
            return await handler(servicer, request, context)
        except PineconeError as error:
            await context.abort(grpc.StatusCode.UNKNOWN, str(error))

    return typing.cast(Handler, answer)


class _Servicer(ProviderServicer):
    """Pulumi's servicer, hearing the engine's Cancel: the waits return what they have, to be
    recorded (the servicer of SDKs before 3.2xx answers Cancel "unimplemented")."""

    Create = _plain_errors(ProviderServicer.Create)
    Read = _plain_errors(ProviderServicer.Read)
    Update = _plain_errors(ProviderServicer.Update)
    Delete = _plain_errors(ProviderServicer.Delete)
    Diff = _plain_errors(ProviderServicer.Diff)

    async def Cancel(self, request: Any, context: Any) -> Any:  # the gRPC method's name
        polling.cancel()
        return empty_pb2.Empty()


def main() -> None:
    args = sys.argv[1:]
    address = engine.address(args)
    if address is None:
        sys.exit("pulumi-resource-pinecone-backup: a Pulumi provider plugin; the Pulumi engine starts it")
    asyncio.run(_serve(args, address))


async def _serve(args: list[str], address: str) -> None:
    server = grpc.aio.server(options=GRPC_OPTIONS)
    servicer = _Servicer(args, __version__, PineconeBackupProvider(), engine_address=address)
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(servicer, server)
    port = server.add_insecure_port(address="127.0.0.1:0")
    await server.start()
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()

    stub = engine_pb2_grpc.EngineStub(grpc.insecure_channel(address))
    polling.report_to(
        engine.progress_to(functools.partial(stub.Log, timeout=engine.CHECK_INTERVAL * 5), CURRENT_URN.get)
    )
    engine.watch(args)
    loop = asyncio.get_running_loop()
    told = asyncio.Event()
    for sent in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sent, told.set)
    await told.wait()
    await loop.run_in_executor(None, engine.stopping)  # the waits record what they have
    await server.stop(engine.ANSWER_GRACE)  # and their answers are sent
    os._exit(0)  # threads parked on nothing more to do: no need to wait for them


if __name__ == "__main__":
    main()
