"""Go programs through the generated Go SDK: examples/go, built once, run as a user runs it.

No Go language host can be built here, so examples/go/main.go is both a Pulumi program (no
arguments) and its own driver through the Automation API (`preview`, `up`, `refresh`,
`destroy`). `example_binary` builds it once per version of its sources, the SDK's and Go's
(`build_once`) into `~/.cache/pinecone-backup/go-example-<hash>/` (`$PULUMI_BACKUP_CACHE`): the
first build compiles the Automation API and the engine parts it imports, minutes on 2 cores.
`copy_go_example` copies the project for a test, its plugin path pointed at this Python's
environment, and `GoProject` runs the binary in that copy next to the plain CLI (`pulumi stack
init`, `config set`, `stack output`), as a user does.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from support.cli import CliProject, copy_project
from support.gen_sdks import SDK, cache_root
from support.sdks import SdkInstallError, _flock, _run, _sha256

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "go"
SDK_GO = SDK / "go"
BINARY = "go-example"


def sources() -> list[Path]:
    """What the example binary is made of: its module and the SDK's (generated code included)."""
    found: list[Path] = []
    for module in (EXAMPLE, SDK_GO):
        found += [module / "go.mod", module / "go.sum", *sorted(module.rglob("*.go"))]
    return found


def go_version() -> str:
    try:
        done = subprocess.run(["go", "env", "GOVERSION"], capture_output=True, text=True, check=True, timeout=60)
    except FileNotFoundError:
        raise SdkInstallError("go is not installed (needed to build examples/go)") from None
    return done.stdout.strip()


@dataclass(frozen=True)
class Build:
    binary: Path
    seconds: float  # how long this call took: the build, or finding it built


def example_binary() -> Build:
    """examples/go built into the cache, once per version of its sources and of Go."""
    return build_once(BINARY, sources(), lambda _home: EXAMPLE)


def build_once(name: str, made_of: list[Path], project: Callable[[Path], Path]) -> Build:
    """The Go program `name`, built into `~/.cache/pinecone-backup/<name>-<hash>/` once per version
    of what it is `made_of` and of Go: `project(home)` is the directory to build in (made there, or
    found), under a lock that one build at a time holds."""
    started = time.monotonic()
    key = _sha256(*made_of)[:12] + "-" + go_version()
    home = cache_root() / f"{name}-{key}"
    binary = home / name
    with _flock(cache_root() / f"{name}.lock"):
        if not binary.exists():
            home.mkdir(parents=True, exist_ok=True)
            directory = project(home)
            partial = home / f"{name}.partial"  # a killed build leaves no binary behind
            _run(["go", "build", "-o", str(partial), "."], home / "build.log", cwd=directory)
            partial.rename(binary)
    return Build(binary, time.monotonic() - started)


def copy_go_example(dest: Path) -> Path:
    """Copy examples/go to `dest/examples/go` (`copy_project`), its SDK this clone's."""
    project = copy_project("go", dest)
    # The SDK stays this clone's, for `go vet` or `go build` in the copy.
    subprocess.run(
        ["go", "mod", "edit", f"-replace=github.com/pinecone-backup/pinecone-backup/sdk/go={SDK_GO}"],
        cwd=project,
        check=True,
        timeout=60,
    )
    return project


@dataclass
class GoProject(CliProject):
    """A copy of examples/go: the plain CLI for stacks and config, the built example for the rest."""

    binary: Path | None = None

    def go(self, *args: str, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """`go run . ARGS` as the user types it in the project, run from the prebuilt binary."""
        assert self.binary is not None, "GoProject.binary: example_binary().binary"
        command = f"go run . {' '.join(args)}"
        return self.execute([str(self.binary), *args], shown=command, label=command, check=check, timeout=timeout)
