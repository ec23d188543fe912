"""The plugin's Pulumi package schema, derived from the core's declarations: each resource's
inputs (their types, defaults, docs and what a change does) and outputs, in Pulumi's camelCase.
Nothing here is written twice: a field added to a resource's inputs appears in the schema, and
so in every SDK generated from it."""

from __future__ import annotations

import dataclasses
import re
import typing
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pinecone_backup import __version__
from pinecone_backup.core import credentials, final_backup, lookups
from pinecone_backup.core.backup import BackupLifecycle
from pinecone_backup.core.fields import Output, Role
from pinecone_backup.core.identity import NamingLifecycle
from pinecone_backup.core.lifecycle import DEFAULT_POLL_INTERVAL, DEFAULT_READY_TIMEOUT, Lifecycle
from pinecone_backup.core.lookups import LOOKED_UP, SCHEDULED_RUN
from pinecone_backup.core.polling import PollSchedule

if TYPE_CHECKING:
    from pinecone_backup.api.client import PineconeClient
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


# The object types the look-ups return, by name, from their declarations.
TYPES: dict[str, tuple[str, tuple[Output, ...]]] = {
    "BackupInfo": ("A backup, as a look-up finds it.", LOOKED_UP),
    "ScheduledRun": ("A run of a backup schedule: a backup it made, or (`Scheduled`) its next one.", SCHEDULED_RUN),
}


@dataclasses.dataclass(frozen=True)
class Argument:
    name: str  # as the core names it
    doc: str
    required: bool = True
    type: str = "string"  # the schema's type


@dataclasses.dataclass(frozen=True)
class Function:
    """A look-up the plugin serves: its arguments, and what it returns (the fields of a `TYPES`
    object, or a property holding one or a list of them)."""

    doc: str
    arguments: tuple[Argument, ...]
    call: Callable[[PineconeClient, dict[str, Any]], Any]  # the core's look-up, given the arguments
    returns: str  # a TYPES name
    into: str | None = None  # None: the object's own fields; else the property holding it
    many: bool = False  # `into` holds a list


def _status(arguments: dict[str, Any]) -> str | None:
    """A look-up's status filter: `Ready` unless said otherwise; `any`: none."""
    status = arguments.get("status") or "Ready"
    return None if status == "any" else str(status)


def _final_backup(client: PineconeClient, arguments: dict[str, Any]) -> Any:
    """`makeFinalBackup`: the core's step, its numbers as the engine sends them (floats)."""
    keep = arguments.get("keep")
    schedule = PollSchedule(
        float(arguments.get("poll_interval") or DEFAULT_POLL_INTERVAL),
        float(arguments.get("ready_timeout") or DEFAULT_READY_TIMEOUT),
    )
    return final_backup.take(
        client,
        arguments["index_name"],
        reason=arguments.get("reason") or "deleted",
        urn=arguments.get("resource_urn"),
        keep=None if keep is None else int(keep),
        schedule=schedule,
    )


FUNCTIONS: dict[str, Function] = {
    "getBackup": Function(
        "The backup with this id.",
        (Argument("backup_id", "Pinecone's id of the backup"),),
        lambda client, args: lookups.get_backup(client, args["backup_id"]),
        "BackupInfo",
    ),
    "listBackups": Function(
        "Every backup of an index, or of the whole project, across all pages.",
        (Argument("index_name", "the index whose backups to list; unset: every backup of the project", False),),
        lambda client, args: lookups.list_backups(client, args.get("index_name")),
        "BackupInfo",
        into="backups",
        many=True,
    ),
    "latestBackup": Function(
        "The most recently created backup of an index, optionally by name prefix and status.",
        (
            Argument("index_name", "the index backed up"),
            Argument("name_prefix", "only backups whose name starts with this", False),
            Argument("status", "only backups of this status (default `Ready`; `any`: every status)", False),
        ),
        lambda client, args: lookups.latest_backup(client, args["index_name"], args.get("name_prefix"), _status(args)),
        "BackupInfo",
    ),
    "latestScheduledBackup": Function(
        "The newest backup a schedule made of an index (by the run time in its name); unset before its first run.",
        (
            Argument("index_name", "the index the schedule backs up"),
            Argument("schedule_name", "the schedule's name, which starts the name of each backup it makes"),
            Argument("status", "only backups of this status (default `Ready`; `any`: every status)", False),
        ),
        lambda client, args: lookups.latest_scheduled_backup(
            client, args["index_name"], args["schedule_name"], _status(args)
        ),
        "BackupInfo",
        into="backup",
    ),
    "scheduleHistory": Function(
        "A schedule's runs as Pinecone lists them: the backups it made, and (status `Scheduled`) its next one.",
        (Argument("schedule_id", "Pinecone's id of the schedule"),),
        lambda client, args: lookups.schedule_history(client, args["schedule_id"]),
        "ScheduledRun",
        into="runs",
        many=True,
    ),
    "finalBackups": Function(
        "The final backups of an index (made by `makeFinalBackup`, or by the Python package's resource hook), "
        "newest first; found after the index is gone.",
        (
            Argument("index_name", "the index backed up"),
            Argument("status", "only backups of this status (default `Ready`; `any`: every status)", False),
        ),
        lambda client, args: final_backup.final_backups(client, args["index_name"], _status(args)),
        "BackupInfo",
        into="backups",
        many=True,
    ),
    "makeFinalBackup": Function(
        "A final backup of an index about to be deleted, for a `before_delete` resource hook: made, and waited for "
        "until Ready, or a failure (which stops the delete); unset if the index is already gone.",
        (
            Argument("index_name", "the index to back up before it is deleted"),
            Argument("reason", f"why it goes, for the description: {', '.join(final_backup.REASONS)} (default)", False),
            Argument("resource_urn", "the URN of the resource deleted (the hook's `urn`), for the description", False),
            Argument("keep", "then delete its older final backups beyond the newest this many", False, "integer"),
            Argument("ready_timeout", "seconds to wait for Ready (default 3600)", False, "number"),
            Argument("poll_interval", "the shortest pause between checks, in seconds (default 10)", False, "number"),
        ),
        _final_backup,
        "BackupInfo",
        into="backup",
    ),
}


def returned(function: Function, found: Any) -> dict[str, Any]:
    """What a look-up found (a model, a list of them, or None), as the function's outputs."""
    _, fields = TYPES[function.returns]

    def fields_of(model: Any) -> dict[str, Any]:  # the type's property names, at any depth
        return {camel(field.name): getattr(model, field.name) for field in fields}

    if function.into is None:
        return fields_of(found)
    if function.many:
        return {function.into: [fields_of(model) for model in found]}
    return {function.into: None if found is None else fields_of(found)}


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
    named: dict[str, Any] = _in_schema_names(_schema())
    return named


def _in_schema_names(node: Any) -> Any:
    """The core's docs name fields as Python does (`index_name`); the schema's are `indexName`."""
    if isinstance(node, dict):
        return {
            k: schema_names(v) if isinstance(v, str) and k == "description" else _in_schema_names(v)
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_in_schema_names(item) for item in node]
    return node


def schema_names(doc: str) -> str:
    """Each snake_case word in a `code span` in camelCase: `wait_for_ready=False` -> `waitForReady=False`."""
    return re.sub(r"`[^`]+`", lambda span: re.sub(r"\b[a-z]+(?:_[a-z]+)+\b", lambda w: camel(w[0]), span[0]), doc)


def _schema() -> dict[str, Any]:
    return {
        "name": PACKAGE,
        "displayName": "Pinecone Backup",
        "version": __version__,
        "description": "Pinecone vector-database backups, restores and backup schedules as Pulumi resources.",
        "keywords": ["pinecone", "backup", "vector-database", "category/database"],
        "license": "Apache-2.0",
        "repository": "https://github.com/pinecone-backup/pinecone-backup",
        "publisher": "pinecone-backup",
        # Where the engine downloads the plugin when a program's SDK needs it and none is installed:
        # the GitHub release's pulumi-resource-pinecone-backup-v<version>-<os>-<arch>.tar.gz.
        "pluginDownloadURL": "github://api.github.com/pinecone-backup/pinecone-backup",
        "config": {"variables": {"apiKey": _api_key()}},
        "provider": {
            "description": "The pinecone-backup provider: the API key and, from $PINECONE_CONTROLLER_HOST, the host.",
            "inputProperties": {"apiKey": _api_key()},
        },
        "resources": {token(name): _resource(lifecycle) for name, lifecycle in RESOURCES.items()},
        "types": {token(name): _object(doc, fields) for name, (doc, fields) in TYPES.items()},
        "functions": {token(name): _function(function) for name, function in FUNCTIONS.items()},
        "language": {
            "nodejs": {"packageName": "@pinecone-backup/pulumi", "respectSchemaVersion": True},
            "go": {
                "importBasePath": "github.com/pinecone-backup/pinecone-backup/sdk/go/pineconebackup",
                "generateResourceContainerTypes": True,
                "respectSchemaVersion": True,
            },
            "python": {"packageName": "pinecone_backup_sdk", "respectSchemaVersion": True},
        },
    }


def _object(doc: str, fields: tuple[Output, ...]) -> dict[str, Any]:
    return {
        "type": "object",
        "description": doc,
        "properties": {camel(f.name): {**_type(f.type), "description": _sentence(f.doc)} for f in fields},
        "required": ["backupId", "status"],
    }


def _function(function: Function) -> dict[str, Any]:
    reference = {"$ref": f"#/types/{token(function.returns)}"}
    if function.into is None:
        _, fields = TYPES[function.returns]
        outputs = _object(function.doc, fields)
    else:
        held = {"type": "array", "items": reference} if function.many else reference
        outputs = {
            "type": "object",
            "properties": {function.into: {**held, "description": function.doc}},
            "required": [function.into] if function.many else [],
        }
    arguments = {camel(a.name): {"type": a.type, "description": _sentence(a.doc)} for a in function.arguments}
    return {
        "description": function.doc,
        "inputs": {
            "type": "object",
            "properties": arguments,
            "required": [camel(a.name) for a in function.arguments if a.required],
        },
        "outputs": outputs,
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
    named = ["name"] if isinstance(lifecycle, NamingLifecycle) else []  # unset, it is made: always known after
    for name, role in ((camel(f.name), f.metadata["role"]) for f in inputs):
        if role is Role.REPLACE:
            state[name]["replaceOnChanges"] = True
    return {
        "description": lifecycle.summary,
        "properties": state,
        "required": sorted(
            {*(camel(f.name) for f in inputs if f.default is not None), camel(lifecycle.outputs[0].name), *named}
        ),
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
    if type(None) in typing.get_args(hint):
        (inner,) = (arg for arg in typing.get_args(hint) if arg is not type(None))
        return _type(inner)
    if hint is dict or typing.get_origin(hint) is dict:
        return {"type": "object", "additionalProperties": {"type": "string"}}
    simple = {str: "string", bool: "boolean", float: "number", int: "integer"}
    return {"type": simple[hint]}
