"""API versions: what `X-Pinecone-Api-Version` selects, and what the emulator answers without one.

Each supported version is a `Dialect`: the flags the request parsers and the answer shapes read.
The specs (`db_control_<version>.oas.yaml`) are the source; where the live service is known to
differ from its spec, the flag follows the service and its comment says why.

A request without the header is served as the live service serves it: Pinecone's versioning
guide (https://docs.pinecone.io/reference/api/versioning) says such requests "default to the
oldest supported stable version", so the emulator answers them in the oldest version it speaks
(`OLDEST`), or in the one `EmulatorState(default_api_version=...)` (CLI: `--default-api-version`)
names. `EmulatorState(strict_api_version=True)` (CLI: `--strict-api-version`) refuses them with
400 `INVALID_ARGUMENT` instead, as the specs read: every operation of the 2025-10 and 2026-07
specs declares the header `required: true` ("Required date-based version header"). A version the
emulator does not speak is refused with 400 either way (nothing documents the live answer).
Authentication comes first (the 2026-07 spec: "Authentication failures are rejected before the
request reaches the API"), so a bad key is answered 401 whatever the version header says.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

VERSION_HEADER = "X-Pinecone-Api-Version"
V2025_04 = "2025-04"
V2025_10 = "2025-10"
V2026_07 = "2026-07"
SUPPORTED_VERSIONS = (V2025_04, V2025_10, V2026_07)  # oldest first
OLDEST = SUPPORTED_VERSIONS[0]  # what a request without the header is served in, unless told otherwise
LATEST = V2026_07


@dataclass(frozen=True)
class Dialect:
    """How one API version shapes requests and answers."""

    version: str
    # 2026-07: indexes are created and described by `schema` + `deployment` (not `dimension`,
    # `metric`, `vector_type`, `spec`); backups carry a typed `schema`, no `dimension`/`metric`,
    # and `source_index_deleted_at`; nullable fields (tags, timestamps) are sent as null.
    typed_schema: bool
    # 2026-07: "Unauthorized ... carry a short message rather than an ErrorResponse" (text/plain).
    plain_text_unauthorized: bool
    # 2026-07: restore jobs are `Pending` until `Completed`; `percent_complete` is 100 once
    # Completed and absent otherwise. Before, `Running` with a growing percentage was seen live.
    restore_progress: bool
    # 2026-07: backup status x-enum `Initializing, Ready, InitializationFailed`; before, `Failed`.
    backup_failed_status: str
    # 2026-07: backup names 1-45 lowercase alphanumerics or '-' (before: any string).
    backup_name_rule: bool
    # 2026-07: `include_deleted` on GET /indexes/{index_name}/backups.
    include_deleted: bool
    # `limit` default on list calls: 10 (1-100) before 2026-07, 100 in 2026-07.
    default_page_size: int
    # 2026-07 tags: at most 20, values printable ASCII; before, a narrower value charset.
    max_tags: int | None
    # The 503 error code: 2026-07 replaced UNAVAILABLE with SERVICE_UNAVAILABLE.
    unavailable_code: str
    # 2026-07: the backup-schedule paths (`/indexes/{index_name}/backup-schedules`,
    # `/backup-schedules/...`). The 2025-04/10 specs (and 2026-04's) have no schedule paths at all.
    backup_schedules: bool


_2025 = Dialect(
    version=V2025_04,
    typed_schema=False,
    plain_text_unauthorized=False,
    restore_progress=True,
    backup_failed_status="Failed",
    backup_name_rule=False,
    include_deleted=False,
    default_page_size=10,
    max_tags=None,
    unavailable_code="UNAVAILABLE",
    backup_schedules=False,
)
DIALECTS: dict[str, Dialect] = {
    V2025_04: _2025,
    V2025_10: dataclasses.replace(_2025, version=V2025_10),  # changed nothing the emulator answers
    V2026_07: Dialect(
        version=V2026_07,
        typed_schema=True,
        plain_text_unauthorized=True,
        restore_progress=False,
        backup_failed_status="InitializationFailed",
        backup_name_rule=True,
        include_deleted=True,
        default_page_size=100,
        max_tags=20,
        unavailable_code="SERVICE_UNAVAILABLE",
        backup_schedules=True,
    ),
}

# What `EmulatorState` methods speak when called directly (tests, the CLI's --index): the
# request forms the emulator spoke before it answered by version.
DEFAULT_STATE_VERSION = V2025_10


def dialect(version: str) -> Dialect:
    """The dialect of a supported version (KeyError otherwise)."""
    return DIALECTS[version]


def lookup(header: str | None) -> Dialect | None:
    """The dialect a header value names, or None when it names none the emulator speaks."""
    return DIALECTS.get((header or "").strip())
