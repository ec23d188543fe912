"""The emulator's HTTP surface: the 2025-10 control-plane subset, plus `/_emulator` hooks.

API routes require `Api-Key`, log every call (method, path, status, timing) and pass
through the armed fault switches first. The `/_emulator` routes are for tests and demos:
read the request log, arm faults, seed index counts, reset.
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
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from pinecone_backup.emulator.state import EmulatorError, EmulatorState, LoggedRequest

Handler = Callable[[Request, EmulatorState], Awaitable[Response]]
DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 100


def error_response(error: EmulatorError) -> JSONResponse:
    body = {"error": {"code": error.code, "message": error.message}, "status": error.status}
    return JSONResponse(body, status_code=error.status, headers=error.headers)


async def json_body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    try:
        body = json.loads(raw or b"{}")
    except json.JSONDecodeError as exc:
        raise EmulatorError(
            422, "UNPROCESSABLE_ENTITY", f"Failed to deserialize the JSON body into the target type: {exc}"
        ) from None
    if not isinstance(body, dict):
        raise EmulatorError(422, "UNPROCESSABLE_ENTITY", "The JSON body must be an object.")
    return body


def paginate(items: list[dict[str, Any]], request: Request) -> dict[str, Any]:
    """Slice a list the way Pinecone does: `limit` (1-100) and an opaque `paginationToken`."""
    try:
        limit = int(request.query_params.get("limit", DEFAULT_PAGE_SIZE))
        token = request.query_params.get("paginationToken")
        start = int(base64.urlsafe_b64decode(token).decode()) if token else 0
    except ValueError:
        raise EmulatorError(400, "INVALID_ARGUMENT", "Invalid limit or paginationToken.") from None
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise EmulatorError(400, "INVALID_ARGUMENT", f"limit must be between 1 and {MAX_PAGE_SIZE}.")
    end = start + limit
    body: dict[str, Any] = {"data": items[start:end]}
    if end < len(items):
        body["pagination"] = {"next": base64.urlsafe_b64encode(str(end).encode()).decode()}
    return body


# -- API handlers ---------------------------------------------------------------------------


async def create_index(request: Request, state: EmulatorState) -> Response:
    return JSONResponse(state.create_index(await json_body(request)).to_api(), status_code=201)


async def list_indexes(request: Request, state: EmulatorState) -> Response:
    with state.lock:
        indexes = [index.to_api() for index in state.indexes.values()]
    return JSONResponse({"indexes": indexes})


async def describe_index(request: Request, state: EmulatorState) -> Response:
    return JSONResponse(state.get_index(request.path_params["index_name"]).to_api())


async def delete_index(request: Request, state: EmulatorState) -> Response:
    state.delete_index(request.path_params["index_name"])
    return Response(status_code=202)


async def configure_index(request: Request, state: EmulatorState) -> Response:
    index = state.configure_index(request.path_params["index_name"], await json_body(request))
    return JSONResponse(index.to_api(), status_code=202)


async def create_index_from_backup(request: Request, state: EmulatorState) -> Response:
    job = state.create_index_from_backup(request.path_params["backup_id"], await json_body(request))
    return JSONResponse({"restore_job_id": job.restore_job_id, "index_id": job.target_index_id}, status_code=202)


async def list_restore_jobs(request: Request, state: EmulatorState) -> Response:
    now = time.monotonic()
    with state.lock:
        jobs = [job.to_api(now) for job in state.restore_jobs.values()]
    return JSONResponse(paginate(jobs, request))


async def describe_restore_job(request: Request, state: EmulatorState) -> Response:
    return JSONResponse(state.get_restore_job(request.path_params["job_id"]).to_api(time.monotonic()))


async def create_backup(request: Request, state: EmulatorState) -> Response:
    backup = state.create_backup(request.path_params["index_name"], await json_body(request))
    return JSONResponse(backup.to_api(time.monotonic()), status_code=201)


async def list_backups(request: Request, state: EmulatorState) -> Response:
    now = time.monotonic()
    backups = state.list_backups(request.path_params.get("index_name"))
    return JSONResponse(paginate([backup.to_api(now) for backup in backups], request))


async def describe_backup(request: Request, state: EmulatorState) -> Response:
    return JSONResponse(state.get_backup(request.path_params["backup_id"]).to_api(time.monotonic()))


async def delete_backup(request: Request, state: EmulatorState) -> Response:
    state.delete_backup(request.path_params["backup_id"])
    return Response(status_code=202)


def api_route(path: str, handler: Handler, method: str, state: EmulatorState) -> Route:
    """Wrap a handler with what every API call gets: latency, faults, auth, errors, logging."""

    async def endpoint(request: Request) -> Response:
        started = time.time()
        try:
            if state.faults.latency:
                await asyncio.sleep(state.faults.latency)
            state.authenticate(request.headers.get("Api-Key"))
            fault = state.take_injected_fault()
            if fault is not None:
                raise fault
            response = await handler(request, state)
        except EmulatorError as error:
            response = error_response(error)
        state.log(
            LoggedRequest(
                method=request.method,
                path=request.url.path,
                status=response.status_code,
                started=started,
                finished=time.time(),
                api_version=request.headers.get("X-Pinecone-Api-Version"),
                user_agent=request.headers.get("User-Agent"),
            )
        )
        return response

    return Route(path, endpoint, methods=[method])


# -- test hooks -------------------------------------------------------------------------------


def admin_routes(state: EmulatorState) -> list[Route]:
    async def get_requests(request: Request) -> Response:
        return JSONResponse([entry.to_api() for entry in state.request_log()])

    async def set_faults(request: Request) -> Response:
        try:
            with state.lock:
                state.faults.update(await json_body(request))
        except EmulatorError as error:
            return error_response(error)
        return JSONResponse(state.faults.__dict__)

    async def seed_index(request: Request) -> Response:
        body = await json_body(request)
        try:
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
        Route("/_emulator/faults", set_faults, methods=["POST"]),
        Route("/_emulator/indexes/{index_name}/seed", seed_index, methods=["POST"]),
        Route("/_emulator/reset", reset, methods=["POST"]),
    ]


def create_app(state: EmulatorState) -> Starlette:
    routes = [
        api_route("/indexes", create_index, "POST", state),
        api_route("/indexes", list_indexes, "GET", state),
        api_route("/indexes/{index_name}", describe_index, "GET", state),
        api_route("/indexes/{index_name}", delete_index, "DELETE", state),
        api_route("/indexes/{index_name}", configure_index, "PATCH", state),
        api_route("/indexes/{index_name}/backups", create_backup, "POST", state),
        api_route("/indexes/{index_name}/backups", list_backups, "GET", state),
        api_route("/backups", list_backups, "GET", state),
        api_route("/backups/{backup_id}", describe_backup, "GET", state),
        api_route("/backups/{backup_id}", delete_backup, "DELETE", state),
        api_route("/backups/{backup_id}/create-index", create_index_from_backup, "POST", state),
        api_route("/restore-jobs", list_restore_jobs, "GET", state),
        api_route("/restore-jobs/{job_id}", describe_restore_job, "GET", state),
        *admin_routes(state),
    ]
    return Starlette(routes=routes)
