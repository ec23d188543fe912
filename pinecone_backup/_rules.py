"""The rules inputs are checked against before any API call: each returns what is wrong, or None.

Messages start with what the value must be, after the property's name (`CheckFailure` adds it).
The emulator keeps its own copy of the index-name rule on purpose: it plays the service, and
borrowing this one would hide a wrong one.
"""

from __future__ import annotations

import math
import re
from typing import Any

from pinecone_backup._fields import Rule, is_unknown

INDEX_NAME_PATTERN = re.compile(r"[a-z0-9]([a-z0-9-]{0,43}[a-z0-9])?")
INDEX_NAME_RULE = "1-45 lowercase letters, digits or '-', starting and ending with a letter or digit"


def index_name(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"must be a string, got {type(value).__name__} {value!r}"
    if not INDEX_NAME_PATTERN.fullmatch(value):
        return f"{value!r} is not a valid index name: use {INDEX_NAME_RULE}"
    return None


def string(value: Any) -> str | None:
    return None if isinstance(value, str) else f"must be a string, got {type(value).__name__} {value!r}"


def boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else f"must be true or false, got {value!r}"


def seconds(*, at_most: float) -> Rule:
    """A finite, positive number of seconds up to `at_most`."""

    def rule(value: Any) -> str | None:
        is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if not is_number or not math.isfinite(value) or not 0 < value <= at_most:
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


ready_timeout = seconds(at_most=7 * 24 * 3600.0)  # a week: the largest backups take hours
poll_interval = seconds(at_most=3600.0)
