"""The Backup resource's inputs: names, defaults and the checks that run before any API call."""

from __future__ import annotations

import re
from dataclasses import MISSING, asdict, dataclass, fields
from typing import TYPE_CHECKING, Any

from pulumi.dynamic import CheckFailure
from pulumi.output import Unknown
from pulumi.runtime.rpc import UNKNOWN

if TYPE_CHECKING:
    from typing_extensions import Self  # typing.Self is 3.11+

INDEX_NAME_PATTERN = re.compile(r"^[a-z0-9]([a-z0-9-]{0,43}[a-z0-9])?$")
INDEX_NAME_RULE = "1-45 lowercase letters, digits or '-', starting and ending with a letter or digit"

# Inputs that describe the backup itself: changing one means a new backup.
BACKUP_INPUTS = ("index_name", "name", "description")
# Inputs that only steer how long `create` waits: changing one updates state, never the backup.
WAIT_INPUTS = ("wait_for_ready", "ready_timeout", "poll_interval")
# Set from `ResourceOptions(import_=...)`: adopt this backup instead of creating one. Never diffed,
# so dropping `import_` from the program after the adoption (as Pulumi advises) changes nothing.
IMPORT_INPUT = "import_id"

DEFAULT_WAIT_FOR_READY = True
DEFAULT_READY_TIMEOUT = 3600.0
DEFAULT_POLL_INTERVAL = 10.0


def is_unknown(value: Any) -> bool:
    """A value not known until `up`: the host hands them over as `Unknown()` objects (or the RPC string)."""
    return isinstance(value, Unknown) or (isinstance(value, str) and value == UNKNOWN)


class _Inputs:
    """Inputs as a frozen dataclass: its field defaults are the resource's defaults."""

    @classmethod
    def from_props(cls, props: dict[str, Any]) -> Self:
        return cls(**{f.name: props[f.name] for f in fields(cls) if props.get(f.name) is not None})

    @classmethod
    def with_defaults(cls, news: dict[str, Any]) -> dict[str, Any]:
        """`news` with every unset input that has a non-None default filled in (what check returns)."""
        defaults = {f.name: f.default for f in fields(cls) if f.default not in (None, MISSING)}
        return {**news, **{key: value for key, value in defaults.items() if news.get(key) is None}}


@dataclass(frozen=True)
class BackupInputs(_Inputs):
    index_name: str
    name: str | None = None
    description: str | None = None
    wait_for_ready: bool = DEFAULT_WAIT_FOR_READY
    ready_timeout: float = DEFAULT_READY_TIMEOUT
    poll_interval: float = DEFAULT_POLL_INTERVAL
    import_id: str | None = None

    def to_props(self) -> dict[str, Any]:
        props = asdict(self)
        del props[IMPORT_INPUT]
        return props


# -- IndexFromBackup ----------------------------------------------------------------------------

# Changing one of these means a new index; tags and deletion protection change in place.
RESTORE_INPUTS = ("backup_id", "name")
RESTORE_UPDATABLE = ("tags", "deletion_protection")
DELETION_PROTECTION_VALUES = ("enabled", "disabled")


@dataclass(frozen=True)
class RestoreInputs(_Inputs):
    backup_id: str
    name: str
    tags: dict[str, str] | None = None
    deletion_protection: str = "disabled"
    wait_for_ready: bool = DEFAULT_WAIT_FOR_READY
    ready_timeout: float = DEFAULT_READY_TIMEOUT
    poll_interval: float = DEFAULT_POLL_INTERVAL

    def to_props(self) -> dict[str, Any]:
        return asdict(self)


def check_restore_inputs(news: dict[str, Any]) -> list[CheckFailure]:
    failures = [*_check_index_name(news, "name", "the name of the index to restore into"), *check_wait_inputs(news)]
    backup_id = news.get("backup_id")
    if not is_unknown(backup_id) and not (isinstance(backup_id, str) and backup_id):
        failures.append(CheckFailure("backup_id", "is required: the id of a Ready backup (e.g. backup.backup_id)"))
    protection = news.get("deletion_protection")
    if not is_unknown(protection) and protection not in (None, *DELETION_PROTECTION_VALUES):
        failures.append(CheckFailure("deletion_protection", f"must be 'enabled' or 'disabled', got {protection!r}"))
    tags = news.get("tags")
    if (
        tags is not None
        and not is_unknown(tags)
        and not (
            isinstance(tags, dict)
            and all(isinstance(k, str) and (isinstance(v, str) or is_unknown(v)) for k, v in tags.items())
        )
    ):
        failures.append(CheckFailure("tags", f"must map strings to strings, got {tags!r}"))
    return failures


def check_inputs(news: dict[str, Any]) -> list[CheckFailure]:
    """Every problem with the inputs, each naming the property and how to fix it."""
    failures = [
        *_check_index_name(news, "index_name", "the name of the serverless index to back up"),
        *_check_optional_string(news, "name"),
        *_check_optional_string(news, "description"),
        *_check_optional_string(news, IMPORT_INPUT),
        *check_wait_inputs(news),
    ]
    return failures


def check_wait_inputs(news: dict[str, Any]) -> list[CheckFailure]:
    failures = [*_check_positive_number(news, "ready_timeout"), *_check_positive_number(news, "poll_interval")]
    wait = news.get("wait_for_ready")
    if wait is not None and not is_unknown(wait) and not isinstance(wait, bool):
        failures.append(CheckFailure("wait_for_ready", f"must be true or false, got {wait!r}"))
    return failures


def _check_index_name(news: dict[str, Any], key: str, meaning: str) -> list[CheckFailure]:
    value = news.get(key)
    if is_unknown(value):
        return []
    if value is None or value == "":
        return [CheckFailure(key, f"is required: {meaning}")]
    if not isinstance(value, str):
        return [CheckFailure(key, f"must be a string, got {type(value).__name__} {value!r}")]
    if not INDEX_NAME_PATTERN.match(value):
        return [CheckFailure(key, f"{value!r} is not a valid index name: use {INDEX_NAME_RULE}")]
    return []


def _check_optional_string(news: dict[str, Any], key: str) -> list[CheckFailure]:
    value = news.get(key)
    if value is None or is_unknown(value) or isinstance(value, str):
        return []
    return [CheckFailure(key, f"must be a string, got {type(value).__name__} {value!r}")]


def _check_positive_number(news: dict[str, Any], key: str) -> list[CheckFailure]:
    value = news.get(key)
    if value is None or is_unknown(value):
        return []
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        return [CheckFailure(key, f"must be a positive number of seconds, got {value!r}")]
    return []
