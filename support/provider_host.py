"""Drive the real dynamic-provider host (`python -u -m pulumi.dynamic`) over gRPC, as the engine does."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import grpc
from google.protobuf import empty_pb2, struct_pb2
from pulumi.dynamic import ResourceProvider
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.runtime import rpc
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from pinecone_backup.backup import BackupProvider
from pinecone_backup.index_from_backup import IndexFromBackupProvider

URN = "urn:pulumi:test::pinecone-backup::pulumi-python:dynamic/pinecone:Backup::nightly"
RESTORE_URN = "urn:pulumi:test::pinecone-backup::pulumi-python:dynamic/pinecone:IndexFromBackup::restored"


def to_struct(values: dict[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.update(values)
    return struct


def from_struct(struct: struct_pb2.Struct) -> dict[str, Any]:
    return rpc.deserialize_properties(struct)


def urn_of(provider: ResourceProvider) -> str:
    """The URN the engine would send for a resource of this provider."""
    return RESTORE_URN if isinstance(provider, IndexFromBackupProvider) else URN


def process_threads_and_rss(pid: int) -> tuple[int, int]:
    """A process's thread count and resident memory in bytes (Linux /proc)."""
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            fields[key] = value.split()
    return int(fields["Threads"][0]), int(fields["VmRSS"][0]) * 1024


class ProviderHost:
    """One `python -m pulumi.dynamic` process, its stderr captured for inspection.

    `provider` is what each request carries pickled in `__provider`, as the engine sends it
    (default: a BackupProvider); one host serves providers of every type, as in a stack.
    """

    def __init__(self, env: dict[str, str], provider: ResourceProvider | None = None) -> None:
        self.stderr_path = os.path.join(env.get("TMPDIR", "/tmp"), f"provider-host-{os.getpid()}-{id(self)}.err")
        self._stderr = open(self.stderr_path, "w+b")  # noqa: SIM115 - closed in close()
        self.process = subprocess.Popen(
            [sys.executable, "-u", "-m", "pulumi.dynamic"],
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
        )
        assert self.process.stdout is not None
        port = int(self.process.stdout.readline().decode().strip())
        self.channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        self.stub = provider_pb2_grpc.ResourceProviderStub(self.channel)
        self.provider = provider or BackupProvider()
        self.urn = urn_of(self.provider)
        self.serialized_provider = serialize_provider(self.provider)

    def with_provider(self, props: dict[str, Any], provider: ResourceProvider | None = None) -> dict[str, Any]:
        serialized = self.serialized_provider if provider is None else serialize_provider(provider)
        return {**props, "__provider": serialized}

    def configure(self, config: dict[str, Any]) -> None:
        self.stub.Configure(provider_pb2.ConfigureRequest(args=to_struct(config), acceptSecrets=True))

    def check(
        self, news: dict[str, Any], olds: dict[str, Any] | None = None, provider: ResourceProvider | None = None
    ) -> provider_pb2.CheckResponse:
        """Check `news` with this host's provider, or with `provider` (pickled for this call)."""
        urn = self.urn if provider is None else urn_of(provider)
        return self.stub.Check(
            provider_pb2.CheckRequest(
                urn=urn, olds=to_struct(olds or {}), news=to_struct(self.with_provider(news, provider))
            )
        )

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> provider_pb2.DiffResponse:
        return self.stub.Diff(
            provider_pb2.DiffRequest(id=id_, urn=self.urn, olds=to_struct(olds), news=to_struct(news))
        )

    def create(self, props: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        request = provider_pb2.CreateRequest(urn=self.urn, properties=to_struct(self.with_provider(props)))
        response = self.stub.Create(request)
        return response.id, from_struct(response.properties)

    def read(self, id_: str, props: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        response = self.stub.Read(provider_pb2.ReadRequest(id=id_, urn=self.urn, properties=to_struct(props)))
        return response.id, from_struct(response.properties)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        self.stub.Delete(provider_pb2.DeleteRequest(id=id_, urn=self.urn, properties=to_struct(props)))

    def cancel(self) -> None:
        """What the engine sends when an `up` is cancelled (Ctrl-C, a CI job cancelled)."""
        self.stub.Cancel(empty_pb2.Empty())

    def threads_and_rss(self) -> tuple[int, int]:
        """The host process's thread count and resident memory in bytes, from /proc."""
        return process_threads_and_rss(self.process.pid)

    def stderr(self) -> str:
        self._stderr.flush()
        with open(self.stderr_path, encoding="utf-8", errors="replace") as handle:
            return handle.read()

    def close(self) -> None:
        self.channel.close()
        self.process.terminate()
        self.process.wait(timeout=10)
        self._stderr.close()
        os.unlink(self.stderr_path)
