"""The benchmark's Pinecone: the emulator in a process of its own, with a recorder in front.

`python -m benchmarks.service` prints its URL, then serves the emulator's API and two routes of
its own:
- POST /_bench/reset  {"faults": {...}, "indexes": ["bench", ...]}: a fresh service;
- POST /_bench/clear: forget what was recorded, keep the backups;
- GET  /_bench/report: every API call counted by route (no cap: the emulator's request log
  keeps the last 20,000 only), and per backup when its POST started, when it was Ready and when
  an answer first told the client so (a describe, or a listing page holding it).

In its own process so that the engine's, the program's and the provider host's work does not
share a GIL with the service's (the Automation API runs the program in the benchmark's process).
"""

from __future__ import annotations

import argparse
import json
import re
import threading
import time
from collections import Counter
from typing import Any

import uvicorn
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from pinecone_backup.emulator import EmulatorState
from pinecone_backup.emulator.app import create_app

API_KEY = "bench-key"
ROUTES = (
    (re.compile(r"/indexes/[^/]+/backups"), "/indexes/{name}/backups"),
    (re.compile(r"/indexes/[^/]+"), "/indexes/{name}"),
    (re.compile(r"/backups/[^/]+/create-index"), "/backups/{id}/create-index"),
    (re.compile(r"/backups/[^/]+"), "/backups/{id}"),
    (re.compile(r"/restore-jobs/[^/]+"), "/restore-jobs/{id}"),
)


def route(method: str, path: str) -> str:
    for pattern, template in ROUTES:
        if pattern.fullmatch(path):
            return f"{method} {template}"
    return f"{method} {path}"


class Recorder:
    """ASGI middleware: counts every API call, and notes what each answer said of each backup."""

    def __init__(self, app: Any, state: EmulatorState) -> None:
        self.app = app
        self.state = state
        self.lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        with self.lock:
            self.counts: Counter[str] = Counter()
            self.statuses: Counter[int] = Counter()
            self.posted: dict[str, float] = {}  # backup id -> its POST's start (monotonic)
            self.noticed: dict[str, float] = {}  # backup id -> end of the first answer saying Ready

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/_"):
            await self.app(scope, receive, send)
            return
        started = time.monotonic()
        status = 0
        chunks: list[bytes] = []

        async def recording_send(message: Any) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, recording_send)
        self.record(scope["method"], scope["path"], status, started, b"".join(chunks))

    def record(self, method: str, path: str, status: int, started: float, body: bytes) -> None:
        finished = time.monotonic()
        name = route(method, path)
        items: list[dict[str, Any]] = []
        if status < 300 and name in ("POST /indexes/{name}/backups", "GET /backups/{id}"):
            items = [json.loads(body)]
        elif status < 300 and name in ("GET /indexes/{name}/backups", "GET /backups"):
            items = json.loads(body).get("data", [])
        with self.lock:
            self.counts[name] += 1
            self.statuses[status] += 1
            for item in items:
                backup_id = item.get("backup_id")
                if name.startswith("POST"):
                    self.posted[backup_id] = started
                elif item.get("status") == "Ready" and backup_id not in self.noticed:
                    self.noticed[backup_id] = finished

    def report(self) -> dict[str, Any]:
        with self.state.lock:
            ready_at = {backup_id: backup.ready_at for backup_id, backup in self.state.backups.items()}
        with self.lock:
            return {
                "counts": dict(self.counts),
                "statuses": {str(code): count for code, count in self.statuses.items()},
                "backups": {
                    backup_id: {
                        "posted": posted,
                        "ready": ready_at.get(backup_id),
                        "noticed": self.noticed.get(backup_id),
                    }
                    for backup_id, posted in self.posted.items()
                },
            }


def build(state: EmulatorState) -> Recorder:
    app = create_app(state)
    recorder = Recorder(app, state)

    async def reset(request: Request) -> Response:
        body = await request.json()
        state.reset()
        state.faults.update(body.get("faults", {}))
        for name in body.get("indexes", []):
            state.create_index(
                {"name": name, "dimension": 1536, "spec": {"serverless": {"cloud": "aws", "region": "us-east-1"}}}
            )
            state.seed_index(name, record_count=500_000, namespace_count=2)
        recorder.clear()
        return Response(status_code=204)

    async def report(_request: Request) -> Response:
        return JSONResponse(recorder.report())

    async def clear(_request: Request) -> Response:
        recorder.clear()
        return Response(status_code=204)

    # Ahead of the emulator's catch-all route.
    app.router.routes[:0] = [
        Route("/_bench/reset", reset, methods=["POST"]),
        Route("/_bench/report", report, methods=["GET"]),
        Route("/_bench/clear", clear, methods=["POST"]),
    ]
    return recorder


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.service", description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    # The request log is not read: the recorder counts. A small one costs nothing.
    state = EmulatorState(api_keys=frozenset({API_KEY}), log_size=1000, max_backups=20_000, max_indexes=5_000)
    config = uvicorn.Config(
        build(state), host="127.0.0.1", port=args.port, log_level="warning", lifespan="off", backlog=4096
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    print(f"http://127.0.0.1:{port}", flush=True)
    thread.join()


if __name__ == "__main__":
    main()
