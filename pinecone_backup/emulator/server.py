"""Run the emulator on 127.0.0.1 in a background thread (tests) or in the foreground (CLI)."""

from __future__ import annotations

import threading
import time

import uvicorn

from pinecone_backup.emulator.app import create_app
from pinecone_backup.emulator.state import EmulatorState

STARTUP_TIMEOUT = 10.0


class EmulatorServer:
    """An emulator listening on 127.0.0.1; `port=0` picks a free port (see `.url`)."""

    def __init__(self, state: EmulatorState | None = None, *, port: int = 0) -> None:
        self.state = state or EmulatorState()
        config = uvicorn.Config(
            create_app(self.state), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
        )
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        port: int = self._server.servers[0].sockets[0].getsockname()[1]
        return port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> EmulatorServer:
        self._thread = threading.Thread(target=self._server.run, name="pinecone-emulator", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the Pinecone emulator did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=STARTUP_TIMEOUT)

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
