"""The rules inputs are checked against before any API call: each returns what is wrong, or None.

Messages start with what the value must be, after the property's name (`CheckFailure` adds it).
The emulator keeps its own copy of the index-name rule on purpose: it plays the service, and
borrowing this one would hide a wrong one.
"""

from __future__ import annotations

import math
import re
from typing import Any

from pinecone_backup.core.fields import Rule, is_unknown

# Index names (every API version) and, from 2026-07, backup names: "1-45 characters, lower-case
# alphanumeric or '-', alphanumeric at both ends"; the service answers 400 otherwise.
BACKUP_NAME_LENGTH = 45
INDEX_NAME_RULE = "1-45 lowercase letters, digits or '-', starting and ending with a letter or digit"
# Each run of a schedule makes a backup named `<schedule name>-YYYYMMDDTHHMMSSZ`: 17 characters
# more, and that name must obey the rule above. So a schedule's name can have 28 at most.
SCHEDULED_SUFFIX_LENGTH = len("-20261130T060000Z")
SCHEDULE_NAME_LENGTH = BACKUP_NAME_LENGTH - SCHEDULED_SUFFIX_LENGTH


def _name_pattern(length: int) -> re.Pattern[str]:
    return re.compile(rf"[a-z0-9]([a-z0-9-]{{0,{length - 2}}}[a-z0-9])?")


# An id goes into the URL path (/backups/{backup_id}/..., /backup-schedules/{schedule_id}):
# letters, digits, '-' and '_' cover the service's ids (UUIDs), and nothing that could end or
# leave that path segment.
ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,128}")

# Index tags (the IndexTags schema). Keys, in every spec version: "Keys must be 80 characters or
# less ... alphanumeric, '_', or '-'". Values: 2025-10 says "120 characters or less ...
# alphanumeric, ';', '@', '_', '-', '.', '+', or ' '"; 2026-07, the newer text about the same
# service, says "120 characters or less and consist of printable ASCII characters or spaces" and
# "at most 20 per index". The newer, wider value set is the rule here: a value it allows may be
# refused by the service at `up` (a 400 before anything is made), but a rule narrower than the
# service would block a valid value with no way around it. "To unset a key, set the value to be
# an empty string" (configure-index): an empty value is no tag at all, so it is refused.
TAG_KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,80}")
TAG_VALUE_PATTERN = re.compile(r"[\x20-\x7e]{1,120}")
MAX_TAGS = 20


def pinecone_name(of_what: str, length: int, why: str = "") -> Rule:
    """A name Pinecone accepts for `of_what`: 1-`length` lowercase letters, digits or '-',
    starting and ending with a letter or digit."""
    pattern = _name_pattern(length)
    described = f"1-{length} lowercase letters, digits or '-', starting and ending with a letter or digit{why}"

    def rule(value: Any) -> str | None:
        if not isinstance(value, str):
            return f"must be a string, got {type(value).__name__} {value!r}"
        if not pattern.fullmatch(value):
            return f"{value!r} is not a valid {of_what} name ({len(value)} characters): use {described}"
        return None

    return rule


index_name = pinecone_name("index", BACKUP_NAME_LENGTH)
backup_name = pinecone_name("backup", BACKUP_NAME_LENGTH)
schedule_name = pinecone_name(
    "schedule",
    SCHEDULE_NAME_LENGTH,
    f", since each run names its backup `<schedule name>-20261130T060000Z` ({SCHEDULED_SUFFIX_LENGTH} characters "
    f"more) and a backup name may have {BACKUP_NAME_LENGTH}",
)


def pinecone_id(of_what: str) -> Rule:
    """Pinecone's id of `of_what` ("a backup"), safe in a URL path."""
    described = f"Pinecone's id of {of_what} (letters, digits, '-' or '_', like 670e8400-e29b-41d4-a716-446655440000)"

    def rule(value: Any) -> str | None:
        if not isinstance(value, str):
            return f"must be a string, got {type(value).__name__} {value!r}"
        if not ID_PATTERN.fullmatch(value):
            return f"must be {described}, got {value!r}"
        return None

    return rule


backup_id = pinecone_id("a backup")
schedule_id = pinecone_id("a backup schedule")


def string(value: Any) -> str | None:
    return None if isinstance(value, str) else f"must be a string, got {type(value).__name__} {value!r}"


def boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else f"must be true or false, got {value!r}"


def _finite_number(value: Any) -> float | None:
    """`value` as a finite float if it is a number (not a bool), else None."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except OverflowError:  # an int too large for a float
        return None
    return number if math.isfinite(number) else None


def seconds(*, at_most: float) -> Rule:
    """A finite, positive number of seconds up to `at_most`."""

    def rule(value: Any) -> str | None:
        number = _finite_number(value)
        if number is None or not 0 < number <= at_most:
            return f"must be a number of seconds above 0 and at most {at_most:g}, got {value!r}"
        return None

    return rule


def one_of(*allowed: str) -> Rule:
    def rule(value: Any) -> str | None:
        return None if value in allowed else f"must be one of {', '.join(map(repr, allowed))}, got {value!r}"

    return rule


def string_map(value: Any) -> str | None:
    if isinstance(value, dict) and all(
        isinstance(key, str) and (isinstance(item, str) or is_unknown(item)) for key, item in value.items()
    ):
        return None
    return f"must map strings to strings, got {value!r}"


def index_tags(*, reserved: str) -> Rule:
    """Pinecone's rules for an index's tags (see TAG_KEY_PATTERN), less the tag `reserved` for
    this package, which takes one of the MAX_TAGS: the first problem found."""

    def rule(value: Any) -> str | None:
        if not isinstance(value, dict):
            return f"must map tag names to values, got {type(value).__name__} {value!r}"
        if reserved in value:
            return f"must not set the tag {reserved!r}: pinecone-backup keeps it, to prove which stack made the index"
        if len(value) > MAX_TAGS - 1:
            allowed = f"Pinecone allows {MAX_TAGS}; {reserved!r} is one"
            return f"must hold at most {MAX_TAGS - 1} tags ({allowed}), got {len(value)}"
        return _tag_problem(value)

    return rule


def _tag_problem(value: dict[Any, Any]) -> str | None:
    for key, item in value.items():
        if not isinstance(key, str) or not TAG_KEY_PATTERN.fullmatch(key):
            return f"must have keys of 1-80 letters, digits, '_' or '-', got the key {key!r}"
        if is_unknown(item):
            continue  # checked again at `up`, once known
        if not isinstance(item, str):
            return f"must have string values, got {type(item).__name__} {item!r} for {key!r}"
        if item == "":
            return (
                f"must not have empty values (Pinecone reads an empty value as 'remove this tag'), "
                f"got {key!r}: ''; leave the tag out instead"
            )
        if not TAG_VALUE_PATTERN.fullmatch(item):
            return f"must have values of at most 120 printable ASCII characters or spaces, got {key!r}: {item!r}"
    return None


ready_timeout = seconds(at_most=7 * 24 * 3600.0)  # a week: the largest backups take hours
poll_interval = seconds(at_most=3600.0)


def list_or_map(value: Any) -> str | None:
    return None if isinstance(value, (list, dict)) else f"must be a list or a map, got {type(value).__name__} {value!r}"


def whole_number(*, at_least: int) -> Rule:
    """A whole number, at least `at_least` (the engine hands numbers over as floats: 7.0 is 7)."""

    def rule(value: Any) -> str | None:
        number = _finite_number(value)
        if number is None or number != int(number) or number < at_least:
            return f"must be a whole number of at least {at_least}, got {value!r}"
        return None

    return rule
