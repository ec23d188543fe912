"""The emulator's HTTP surface: Pinecone's control-plane subset, by API version, plus `/_emulator` hooks.

Every API call, answered or refused, malformed or not, is logged (method, path, route, status,
timing, version, user agent) and counted (by method and route), and passes in this order: the
latency switch; `Api-Key` (401 in the requested version's form: a JSON error body in 2025-04/10,
plain text in 2026-07 and when no version the emulator speaks is named); the armed fault
switches; `X-Pinecone-Api-Version` (see `versions`); the operation. An unknown path is answered
404 and a known path with another method 405, both with the spec's error body. A path a version
does not have (the backup-schedule paths before 2026-07) is answered as an unknown path in that
version. A failure inside the emulator is answered like the live service's 500 (`UNKNOWN`,
"Internal server error").

Status codes follow each version's spec, except where the live service is known to answer
otherwise and the official SDKs rely on it: creating a backup and configuring an index answer
200 in every version (2026-07's spec says 200; the 2025-04/10 specs say 201 and 202, but the
live service answers 200 and the Go SDK v5's own live tests expect it).

The `/_emulator` routes are for tests and demos: read the request log and the call counts, arm
faults, seed index counts, reset.
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from pinecone_backup.emulator import parsing, render
from pinecone_backup.emulator.errors import EmulatorError, invalid
from pinecone_backup.emulator.state import UNKNOWN_ROUTE, EmulatorState, LoggedRequest
from pinecone_backup.emulator.versions import DIALECTS, LATEST, SUPPORTED_VERSIONS, VERSION_HEADER, Dialect, lookup

Handler = Callable[[Request, EmulatorState, Dialect], Awaitable[Response]]
UNAUTHORIZED_TEXT = "Invalid API key"  # 2026-07's UnauthorizedMessage example
CREATED, OK, ACCEPTED, NO_CONTENT = 201, 200, 202, 204


def error_response(error: EmulatorError, speaking: Dialect | None = None) -> Response:
    """The spec's error body; a 401 in 2026-07 (or in no version) is plain text."""
    if error.status == 401 and (speaking is None or speaking.plain_text_unauthorized):
        return PlainTextResponse(UNAUTHORIZED_TEXT, status_code=401, headers=error.headers)
    return JSONResponse(render.error(error, speaking), status_code=error.status, headers=error.headers)


async def json_body(request: Request, type_name: str = "the request") -> dict[str, Any]:
    return parsing.parse_json_body(await request.body(), type_name)


# -- pagination --------------------------------------------------------------------------------


def _token(listing: str, offset: int, limit: int) -> str:
    raw = json.dumps({"k": listing, "o": offset, "l": limit}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _read_token(token: str, listing: str) -> tuple[int, int]:
    """(offset, page size) from a token this listing made; anything else is answered 400."""
    try:
        decoded = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        offset, limit = decoded["o"], decoded["l"]
        if decoded["k"] != listing or not all(type(n) is int and n >= 0 for n in (offset, limit)) or limit < 1:
            raise ValueError(token)
    except (ValueError, TypeError, KeyError, UnicodeDecodeError):
        raise invalid("Invalid pagination token.") from None
    return offset, limit


def paginate(items: list[dict[str, Any]], request: Request, speaking: Dialect, listing: str) -> dict[str, Any]:
    """One page: `limit`, else the page size the token carries (as the live service's tokens do:
    the Python SDK 10 sends the token alone), else the version's default. A `limit` sent with a
    token overrides the size and keeps the token's position. `pagination` is absent on the last page."""
    limit = parsing.parse_limit(request.query_params.get("limit"), speaking)
    token = request.query_params.get("paginationToken")
    start = 0
    if token:
        start, carried = _read_token(token, listing)
        limit = limit or carried
    size = min(limit or speaking.default_page_size, parsing.MAX_PAGE_SIZE)
    end = start + size
    body: dict[str, Any] = {"data": items[start:end]}
    if end < len(items):
        body["pagination"] = {"next": _token(listing, end, size)}
    return body


# -- API handlers ---------------------------------------------------------------------------


async def create_index(request: Request, state: EmulatorState, speaking: Dialect) -> Response:
    index = state.create_index(await json_body(request, "CreateIndexRequest"), speaking.version)
    return JSONResponse(render.index(index, speaking, time.monotonic()), status_code=CREATED)


async def list_indexes(request: Request, state: EmulatorState, speaking: Dialect) -> Response:
    now = time.monotonic()
    return JSONResponse({"indexes": [render.index(index, speaking, now) for index in state.list_indexes()]})


async def describe_index(request: Request, state: EmulatorState, speaking: Dialect) -> Response:
    index = state.get_index(request.path_params["index_name"])
    return JSONResponse(render.index(index, speaking, time.monotonic()))


async def delete_index(request: Request, state: EmulatorState, speaking: Dialect) -> Response:
    state.delete_index(request.path_params["index_name"])
    return Response(status_code=ACCEPTED)


async def configure_index(request: Request, state: EmulatorState, speaking: Dialect) -> Response:
    body = await json_body(request, "ConfigureIndexRequest")
    index = state.configure_index(request.path_params["index_name"], body, speaking.version)
    return JSONResponse(render.index(index, speaking, time.monotonic()), status_code=OK)


async def create_index_from_backup(request: Request, state: EmulatorState, speaking: Dialect) -> Response:
    body = await json_body(request, "CreateIndexFromBackupRequest")
    job = state.create_index_from_backup(request.path_params["backup_id"], body, speaking.version)
    return JSONResponse(render.restore_started(job), status_code=ACCEPTED)


async def list_restore_jobs(request: Request, state: EmulatorState, speaking: Dialect) -> Response:
    now = time.monotonic()
    jobs = [render.restore_job(job, speaking, now) for job in state.list_restore_jobs()]
    return JSONResponse(paginate(jobs, request, speaking, "restore-jobs"))


async def describe_restore_job(request: Request, state: EmulatorState, speaking: Dialect) -> Response:
    job = state.get_restore_job(request.path_params["job_id"])
    return JSONResponse(render.restore_job(job, speaking, time.monotonic()))


async def create_backup(request: Request, state: EmulatorState, speaking: Dialect) -> Response:
    body = await json_body(request, "CreateBackupRequest")
    backup = state.create_backup(request.path_params["index_name"], body, speaking.version)
    return JSONResponse(render.backup(backup, speaking, time.monotonic()), status_code=OK)


async def list_backups(request: Request, state: EmulatorState, speaking: Dialect) -> Response:
    index_name = request.path_params.get("index_name")
    include_deleted = False
    if index_name is not None and speaking.include_deleted:  # 2026-07 declares it, on this listing only
        include_deleted = bool(parsing.parse_bool("include_deleted", request.query_params.get("include_deleted")))
    now = time.monotonic()
    backups = state.list_backups(index_name, include_deleted=include_deleted)
    listing = f"indexes/{index_name}/backups" if index_name is not None else "backups"
    return JSONResponse(paginate([render.backup(b, speaking, now) for b in backups], request, speaking, listing))


async def describe_backup(request: Request, state: EmulatorState, speaking: Dialect) -> Response:
    backup = state.get_backup(request.path_params["backup_id"])
    return JSONResponse(render.backup(backup, speaking, time.monotonic()))


async def delete_backup(request: Request, state: EmulatorState, speaking: Dialect) -> Response:
    state.delete_backup(request.path_params["backup_id"])
    return Response(status_code=ACCEPTED)


async def create_backup_schedule(request: Request, state: EmulatorState, speaking: Dialect) -> Response:
    body = await json_body(request, "CreateBackupScheduleRequest")
    schedule = state.create_backup_schedule(request.path_params["index_name"], body)
    return JSONResponse(render.backup_schedule(schedule), status_code=OK)


async def list_backup_schedules(request: Request, state: EmulatorState, speaking: Dialect) -> Response:
    index_name = request.path_params["index_name"]
    schedules = [render.backup_schedule(schedule) for schedule in state.list_backup_schedules(index_name)]
    return JSONResponse(paginate(schedules, request, speaking, f"indexes/{index_name}/backup-schedules"))


async def describe_backup_schedule(request: Request, state: EmulatorState, speaking: Dialect) -> Response:
    return JSONResponse(render.backup_schedule(state.get_backup_schedule(request.path_params["schedule_id"])))


async def update_backup_schedule(request: Request, state: EmulatorState, speaking: Dialect) -> Response:
    body = await json_body(request, "UpdateBackupScheduleRequest")
    schedule = state.update_backup_schedule(request.path_params["schedule_id"], body)
    return JSONResponse(render.backup_schedule(schedule), status_code=OK)


async def delete_backup_schedule(request: Request, state: EmulatorState, speaking: Dialect) -> Response:
    state.delete_backup_schedule(request.path_params["schedule_id"])
    return Response(status_code=NO_CONTENT)


async def list_backup_schedule_history(request: Request, state: EmulatorState, speaking: Dialect) -> Response:
    schedule_id = request.path_params["schedule_id"]
    schedule, runs = state.backup_schedule_history(schedule_id)
    rows = render.schedule_history(schedule, runs, speaking, time.monotonic())
    return JSONResponse(paginate(rows, request, speaking, f"backup-schedules/{schedule_id}/history"))


API: dict[str, dict[str, Handler]] = {
    "/indexes": {"GET": list_indexes, "POST": create_index},
    "/indexes/{index_name}": {"GET": describe_index, "DELETE": delete_index, "PATCH": configure_index},
    "/indexes/{index_name}/backups": {"GET": list_backups, "POST": create_backup},
    "/backups": {"GET": list_backups},
    "/backups/{backup_id}": {"GET": describe_backup, "DELETE": delete_backup},
    "/backups/{backup_id}/create-index": {"POST": create_index_from_backup},
    "/restore-jobs": {"GET": list_restore_jobs},
    "/restore-jobs/{job_id}": {"GET": describe_restore_job},
    "/indexes/{index_name}/backup-schedules": {"GET": list_backup_schedules, "POST": create_backup_schedule},
    "/backup-schedules/{schedule_id}": {
        "GET": describe_backup_schedule,
        "PATCH": update_backup_schedule,
        "DELETE": delete_backup_schedule,
    },
    "/backup-schedules/{schedule_id}/history": {"GET": list_backup_schedule_history},
}


def _has_backup_schedules(speaking: Dialect) -> bool:
    return speaking.backup_schedules


def _in_every_version(speaking: Dialect) -> bool:
    return True


# Paths only some versions have, and the dialect flag that says which. In the others they are
# answered as an unknown path is: no spec before 2026-07 (2026-04's included) declares them.
VERSIONED_PATHS: dict[str, Callable[[Dialect], bool]] = {
    "/indexes/{index_name}/backup-schedules": _has_backup_schedules,
    "/backup-schedules/{schedule_id}": _has_backup_schedules,
    "/backup-schedules/{schedule_id}/history": _has_backup_schedules,
}


def resolve_version(request: Request, state: EmulatorState) -> Dialect:
    """The dialect the request asks for; see `versions` for a missing or unknown version."""
    header = request.headers.get(VERSION_HEADER)
    if header is None and state.default_api_version is not None:
        header = state.default_api_version
    speaking = lookup(header)
    if speaking is not None:
        return speaking
    supported = ", ".join(SUPPORTED_VERSIONS)
    if header is None:
        raise invalid(f"Missing required header {VERSION_HEADER}. Supported versions: {supported}.")
    raise invalid(f"Unsupported API version {header!r} in {VERSION_HEADER}. Supported versions: {supported}.")


class ApiEndpoint:
    """Everything one API path answers, with what every API call gets: latency, auth, faults,
    the version, errors in the spec's form, an entry in the request log and a count."""

    def __init__(self, path: str | None, state: EmulatorState) -> None:
        self.route = path or UNKNOWN_ROUTE
        self.handlers = API[path] if path is not None else None  # None: not an API path (answered 404)
        self.in_version = VERSIONED_PATHS.get(path or "", _in_every_version)
        self.state = state

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        request = Request(scope, receive)
        started = time.time()
        header = request.headers.get(VERSION_HEADER)
        requested = lookup(header if header is not None else self.state.default_api_version)
        try:
            response = await self._answer(request, requested)
        except EmulatorError as error:
            response = error_response(error, requested)
        except Exception:  # a bug: answered as the live service answers a 500, and still logged
            response = error_response(EmulatorError(500, "UNKNOWN", "Internal server error"), requested)
        self.state.log(
            LoggedRequest(
                method=request.method,
                path=request.url.path,
                status=response.status_code,
                started=started,
                finished=time.time(),
                api_version=request.headers.get(VERSION_HEADER),
                user_agent=request.headers.get("User-Agent"),
                route=self.route,
            )
        )
        await response(scope, receive, send)

    async def _answer(self, request: Request, requested: Dialect | None) -> Response:
        state = self.state
        if state.faults.latency:
            await asyncio.sleep(state.faults.latency)
        state.authenticate(request.headers.get("Api-Key"))
        fault = state.take_injected_fault((requested or DIALECTS[LATEST]).unavailable_code)
        if fault is not None:
            raise fault
        speaking = resolve_version(request, state)
        if self.handlers is None or not self.in_version(speaking):
            raise EmulatorError(404, "NOT_FOUND", f"No such endpoint: {request.method} {request.url.path}")
        handler = self.handlers.get(request.method)
        if handler is None:
            allowed = ", ".join(self.handlers)
            raise EmulatorError(405, "INVALID_ARGUMENT", f"Method {request.method} not allowed.", {"Allow": allowed})
        return await handler(request, state, speaking)


# -- test hooks -------------------------------------------------------------------------------


def admin_routes(state: EmulatorState) -> list[Route]:
    async def get_requests(request: Request) -> Response:
        return JSONResponse([entry.to_api() for entry in state.request_log()])

    async def get_counts(request: Request) -> Response:
        """Every API call since the last reset, by method and route ("GET /backups/{backup_id}"),
        however many the request log has dropped."""
        return JSONResponse(state.counted_calls())

    async def set_faults(request: Request) -> Response:
        try:
            faults = state.update_faults(await json_body(request))
        except EmulatorError as error:
            return error_response(error)
        return JSONResponse(faults.__dict__)

    async def seed_index(request: Request) -> Response:
        try:
            body = await json_body(request)
            index = state.seed_index(
                request.path_params["index_name"],
                record_count=int(body.get("record_count", 0)),
                namespace_count=int(body.get("namespace_count", 1)),
            )
        except EmulatorError as error:
            return error_response(error)
        return JSONResponse({"name": index.name, "record_count": index.record_count})

    async def reset(request: Request) -> Response:
        state.reset()
        return Response(status_code=204)

    return [
        Route("/_emulator/requests", get_requests, methods=["GET"]),
        Route("/_emulator/counts", get_counts, methods=["GET"]),
        Route("/_emulator/faults", set_faults, methods=["POST"]),
        Route("/_emulator/indexes/{index_name}/seed", seed_index, methods=["POST"]),
        Route("/_emulator/reset", reset, methods=["POST"]),
    ]


def create_app(state: EmulatorState) -> Starlette:
    routes = [
        *admin_routes(state),
        *(Route(path, ApiEndpoint(path, state)) for path in API),
        Route("/{path:path}", ApiEndpoint(None, state)),
    ]
    return Starlette(routes=routes)
