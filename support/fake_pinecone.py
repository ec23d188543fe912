"""A test-only stand-in for Pinecone's own Pulumi provider: the resource `pinecone:index/index:Index`
(its type, and the outputs a final backup reads: `name`, `host`, `dimension`, `metric`), which
creates and deletes a serverless index in the emulator. Nothing else of Pinecone's provider.

`install(directory)` writes the `pulumi-resource-pinecone` executable the engine starts when a
project's `plugins.providers` points at that directory."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

import httpx
from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.provider.experimental.provider import (
    CheckRequest,
    CheckResponse,
    ConfigureRequest,
    ConfigureResponse,
    CreateRequest,
    CreateResponse,
    DeleteRequest,
    DiffRequest,
    DiffResponse,
    GetSchemaRequest,
    GetSchemaResponse,
    Provider,
)
from pulumi.provider.experimental.server import main

from support.emulator import SERVERLESS_SPEC

TYPE = "pinecone:index/index:Index"
ROOT = Path(__file__).resolve().parent.parent


def install(directory: Path) -> Path:
    """Write `pulumi-resource-pinecone` into `directory`, running this module with this Python."""
    directory.mkdir(parents=True, exist_ok=True)
    executable = directory / "pulumi-resource-pinecone"
    executable.write_text(f'#!/bin/sh\nPYTHONPATH="{ROOT}" exec "{sys.executable}" -m support.fake_pinecone "$@"\n')
    executable.chmod(executable.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return directory


class FakePinecone(Provider):
    def __init__(self) -> None:
        self.api_key = ""

    async def get_schema(self, request: GetSchemaRequest) -> GetSchemaResponse:
        properties = {"name": {"type": "string"}, "dimension": {"type": "integer"}, "host": {"type": "string"}}
        resource = {"properties": properties, "inputProperties": properties, "requiredInputs": ["name", "dimension"]}
        return GetSchemaResponse(json.dumps({"name": "pinecone", "version": "0.0.1", "resources": {TYPE: resource}}))

    async def configure(self, request: ConfigureRequest) -> ConfigureResponse:
        key = request.args.get("apiKey")
        self.api_key = str(key.value) if key is not None else os.environ.get("PINECONE_API_KEY", "")
        return ConfigureResponse(accept_secrets=True, supports_preview=True)

    async def check(self, request: CheckRequest) -> CheckResponse:
        return CheckResponse(inputs=request.new_inputs)

    async def diff(self, request: DiffRequest) -> DiffResponse:
        changed = [key for key in ("name", "dimension") if request.old_state.get(key) != request.new_inputs.get(key)]
        return DiffResponse(changes=bool(changed), replaces=changed, delete_before_replace=True)

    async def create(self, request: CreateRequest) -> CreateResponse:
        name = str(request.properties["name"].value)
        dimension = int(request.properties["dimension"].value)  # type: ignore[arg-type]  # a number
        if request.preview:
            return CreateResponse("", {"name": PropertyValue(name), "dimension": PropertyValue(float(dimension))})
        body = {"name": name, "dimension": dimension, "spec": SERVERLESS_SPEC}
        index = self._call("POST", "/indexes", json=body).json()
        outputs: dict[str, Any] = {"name": name, "dimension": float(dimension), "host": index["host"]}
        outputs["metric"] = index.get("metric") or "cosine"
        return CreateResponse(name, {key: PropertyValue(value) for key, value in outputs.items()})

    async def delete(self, request: DeleteRequest) -> None:
        response = self._call("DELETE", f"/indexes/{request.resource_id}", check=False)
        if response.status_code not in (202, 204, 404):
            response.raise_for_status()

    def _call(self, method: str, path: str, *, check: bool = True, **kwargs: Any) -> httpx.Response:
        host = os.environ["PINECONE_CONTROLLER_HOST"]
        response = httpx.request(method, f"{host}{path}", headers={"Api-Key": self.api_key}, timeout=30, **kwargs)
        if check:
            response.raise_for_status()
        return response


if __name__ == "__main__":
    main(sys.argv[1:], "0.0.1", FakePinecone())
