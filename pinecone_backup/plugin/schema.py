"""The plugin's Pulumi package schema, derived from the core's declarations: each resource's
inputs (their types, defaults, docs and what a change does) and outputs, in Pulumi's camelCase.
Nothing here is written twice: a field added to a resource's inputs appears in the schema, and
so in every SDK generated from it."""

from __future__ import annotations

import dataclasses
import re
import typing
from typing import Any

from pinecone_backup import __version__
from pinecone_backup.core import credentials
from pinecone_backup.core.backup import BackupLifecycle
from pinecone_backup.core.fields import Role
from pinecone_backup.core.lifecycle import Lifecycle
from pinecone_backup.core.restore import IndexFromBackupLifecycle
from pinecone_backup.core.schedule import BackupScheduleLifecycle

PACKAGE = "pinecone-backup"
MODULE = "index"
# Resource name in the schema -> the lifecycle that serves it.
RESOURCES: dict[str, Lifecycle] = {
    "Backup": BackupLifecycle(),
    "IndexFromBackup": IndexFromBackupLifecycle(),
    "BackupSchedule": BackupScheduleLifecycle(),
}
CHANGES = {
    Role.REPLACE: "A change replaces the resource.",
    Role.UPDATE: "A change is made in place.",
    Role.WAIT: "Read by create alone: a change changes nothing.",
}
API_KEY_DOC = (
    f"The Pinecone API key; unset, the provider reads ${credentials.API_KEY_ENV}. Set it as a secret: "
    "`pulumi config set --secret pinecone-backup:apiKey <key>`."
)


def token(resource: str) -> str:
    return f"{PACKAGE}:{MODULE}:{resource}"


def camel(name: str) -> str:
    """`index_name` -> `indexName`: Pulumi's property names."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def snake(name: str) -> str:
    """`indexName` -> `index_name`: the core's names."""
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def schema() -> dict[str, Any]:
    return {
        "name": PACKAGE,
        "displayName": "Pinecone Backup",
        "version": __version__,
        "description": "Pinecone vector-database backups, restores and backup schedules as Pulumi resources.",
        "keywords": ["pinecone", "backup", "vector-database", "category/database"],
        "license": "Apache-2.0",
        "repository": "https://github.com/pinecone-backup/pinecone-backup",
        "publisher": "pinecone-backup",
        "config": {"variables": {"apiKey": _api_key()}},
        "provider": {
            "description": "The pinecone-backup provider: the API key and, from $PINECONE_CONTROLLER_HOST, the host.",
            "inputProperties": {"apiKey": _api_key()},
        },
        "resources": {token(name): _resource(lifecycle) for name, lifecycle in RESOURCES.items()},
        "language": {
            "nodejs": {"packageName": "@pinecone-backup/pulumi", "respectSchemaVersion": True},
            "go": {"importBasePath": "github.com/pinecone-backup/pinecone-backup/sdk/go/pineconebackup"},
            "python": {"packageName": "pinecone_backup_sdk", "respectSchemaVersion": True},
        },
    }


def _api_key() -> dict[str, Any]:
    return {"type": "string", "secret": True, "description": API_KEY_DOC}


def _resource(lifecycle: Lifecycle) -> dict[str, Any]:
    inputs = lifecycle.inputs.declared(Role.REPLACE, Role.UPDATE, Role.WAIT)
    hints = typing.get_type_hints(lifecycle.inputs)
    input_properties = {camel(f.name): _input(f, hints[f.name]) for f in inputs}
    outputs = {camel(o.name): {**_type(o.type), "description": _sentence(o.doc)} for o in lifecycle.outputs}
    state = {
        **{
            name: {key: value for key, value in spec.items() if key != "default"}
            for name, spec in input_properties.items()
        },
        **outputs,
    }
    for name, role in ((camel(f.name), f.metadata["role"]) for f in inputs):
        if role is Role.REPLACE:
            state[name]["replaceOnChanges"] = True
    return {
        "description": lifecycle.summary,
        "properties": state,
        "required": [*sorted(camel(f.name) for f in inputs if f.default is not None), camel(lifecycle.outputs[0].name)],
        "inputProperties": input_properties,
        "requiredInputs": sorted(camel(f.name) for f in inputs if f.default is dataclasses.MISSING),
    }


def _input(declared: dataclasses.Field[Any], hint: Any) -> dict[str, Any]:
    spec = {**_type(hint), "description": f"{_sentence(declared.metadata['doc'])} {CHANGES[declared.metadata['role']]}"}
    if declared.default not in (None, dataclasses.MISSING):
        spec["default"] = declared.default
    return spec


def _sentence(doc: str) -> str:
    return doc[:1].upper() + doc[1:] + ("" if doc.endswith(".") else ".")


def _type(hint: Any) -> dict[str, Any]:
    """A Python type (of a declaration) as a schema type; `X | None` is X, optional."""
    if hint is Any:
        return {"$ref": "pulumi.json#/Any"}
    args = [arg for arg in typing.get_args(hint) if arg is not type(None)]
    origin = typing.get_origin(hint)
    if origin is typing.Union or (origin is not None and type(None) in typing.get_args(hint)):
        return _type(args[0])
    if hint is dict or origin is dict:
        return {"type": "object", "additionalProperties": {"type": "string"}}
    simple = {str: "string", bool: "boolean", float: "number", int: "integer"}
    return {"type": simple[hint]}
