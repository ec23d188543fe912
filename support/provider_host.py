"""Drive the real dynamic-provider host (`python -u -m pulumi.dynamic`) over gRPC, as the engine does."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import grpc
from google.protobuf import struct_pb2
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.runtime import rpc
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from pinecone_backup.backup import BackupProvider

URN = "urn:pulumi:test::pinecone-backup::pulumi-python:dynamic/pinecone:Backup::nightly"


def to_struct(values: dict[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.update(values)
    return struct


def from_struct(struct: struct_pb2.Struct) -> dict[str, Any]:
    return rpc.deserialize_properties(struct)


class ProviderHost:
    """One `python -m pulumi.dynamic` process, its stderr captured for inspection."""

    def __init__(self, env: dict[str, str]) -> None:
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
        self.serialized_provider = serialize_provider(BackupProvider())

    def with_provider(self, props: dict[str, Any]) -> dict[str, Any]:
        return {**props, "__provider": self.serialized_provider}

    def configure(self, config: dict[str, Any]) -> None:
        self.stub.Configure(provider_pb2.ConfigureRequest(args=to_struct(config), acceptSecrets=True))

    def check(self, news: dict[str, Any], olds: dict[str, Any] | None = None) -> provider_pb2.CheckResponse:
        return self.stub.Check(
            provider_pb2.CheckRequest(urn=URN, olds=to_struct(olds or {}), news=to_struct(self.with_provider(news)))
        )

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> provider_pb2.DiffResponse:
        return self.stub.Diff(provider_pb2.DiffRequest(id=id_, urn=URN, olds=to_struct(olds), news=to_struct(news)))

    def create(self, props: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        request = provider_pb2.CreateRequest(urn=URN, properties=to_struct(self.with_provider(props)))
        response = self.stub.Create(request)
        return response.id, from_struct(response.properties)

    def read(self, id_: str, props: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        response = self.stub.Read(provider_pb2.ReadRequest(id=id_, urn=URN, properties=to_struct(props)))
        return response.id, from_struct(response.properties)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        self.stub.Delete(provider_pb2.DeleteRequest(id=id_, urn=URN, properties=to_struct(props)))

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
