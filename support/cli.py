"""Run the example projects through the plain Pulumi CLI, as a user types it.

Each project is copied into a temporary directory (so no stack file lands in the repository),
its Pulumi.yaml pointed at the virtualenv pytest runs in, and every command is a subprocess
`pulumi ... --non-interactive` in that copy, with a file backend next to it and Pinecone =
the emulator.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
PASSPHRASE = "cli-tests"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # how the engine writes an unknown value in JSON
BACKUP_TYPE = "pulumi-python:dynamic/pinecone:Backup"
RESTORE_TYPE = "pulumi-python:dynamic/pinecone:IndexFromBackup"
SCHEDULE_TYPE = "pulumi-python:dynamic/pinecone:BackupSchedule"
# The same resources through the plugin.
PLUGIN_TYPES = {
    "Backup": "pinecone-backup:index:Backup",
    "IndexFromBackup": "pinecone-backup:index:IndexFromBackup",
    "BackupSchedule": "pinecone-backup:index:BackupSchedule",
}
STACK_TYPE = "pulumi:pulumi:Stack"
REPLACE_OPS = frozenset({"replace", "create-replacement", "delete-replaced"})


def missing_engine_parts(bin_dir: Path) -> list[str]:
    """What the plain CLI path needs beyond the Automation API's: the Python language host."""
    return [tool for tool in ("pulumi", "pulumi-language-python") if not (bin_dir / tool).exists()]


def copy_project(example: str, dest: Path) -> Path:
    """Copy an example project (`quickstart`, `restore`, `schedule`, `yaml`, `typescript`, `go`, ...,
    or `root`: the top-level Pulumi.yaml) into `dest`, keeping its place in the repository's layout,
    and return its directory. Its stack files, build output and installed dependencies stay behind.

    The copy's plugin (a project that names one) is the one this Python's environment installed.
    A Python project's virtualenv is the one this Python runs in (or, outside a virtualenv, none:
    the language host then runs the `python3` on PATH, which `cli_env` makes this one).
    """
    if example == "root":
        project = dest
        project.mkdir(parents=True, exist_ok=True)
        for name in ("Pulumi.yaml", "__main__.py"):
            shutil.copy(ROOT / name, project / name)
        shutil.copytree(EXAMPLES / "quickstart", project / "examples" / "quickstart", ignore=_not_copied)
    else:
        project = dest / "examples" / example
        shutil.copytree(EXAMPLES / example, project, ignore=_not_copied)
    settings_path = project / "Pulumi.yaml"
    settings = yaml.safe_load(settings_path.read_text())
    for plugin in settings.get("plugins", {}).get("providers", []):
        plugin["path"] = str(Path(sys.executable).parent)
    runtime = settings["runtime"]
    if isinstance(runtime, dict) and runtime["name"] == "python":
        if sys.prefix != sys.base_prefix:
            runtime.setdefault("options", {})["virtualenv"] = sys.prefix
        else:
            runtime.setdefault("options", {}).pop("virtualenv", None)
    settings_path.write_text(yaml.safe_dump(settings, sort_keys=False))
    return project


def _not_copied(_dir: str, names: list[str]) -> list[str]:
    """Stack files, caches, and a Node project's build output and dependencies."""
    left_out = ("__pycache__", "bin", "node_modules")
    return [name for name in names if re.fullmatch(r"Pulumi\..+\.yaml", name) or name in left_out]


def cli_env(bin_dir: Path, state_dir: Path, emulator_url: str) -> dict[str, str]:
    """A clean environment: none of the caller's Pulumi or Pinecone settings, a file backend in
    `state_dir`, a Pulumi home of its own, and the provider pointed at the emulator."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PULUMI_", "PINECONE_"))}
    state_dir.mkdir(parents=True, exist_ok=True)
    env.update(
        {
            "PATH": os.pathsep.join([str(bin_dir), str(Path(sys.executable).parent), env.get("PATH", "")]),
            "PULUMI_HOME": str(state_dir / ".pulumi-home"),
            "PULUMI_BACKEND_URL": f"file://{state_dir}",
            "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PINECONE_CONTROLLER_HOST": emulator_url,
        }
    )
    return env


@dataclass
class Step:
    """One step of `pulumi preview --json`."""

    op: str
    type: str
    name: str
    raw: dict[str, Any]

    @property
    def inputs(self) -> dict[str, Any]:
        return (self.raw.get("newState") or {}).get("inputs") or {}

    @property
    def replace_reasons(self) -> list[str]:
        return list(self.raw.get("replaceReasons") or [])


@dataclass
class Plan:
    """`pulumi preview --json`, parsed."""

    raw: dict[str, Any]

    @property
    def steps(self) -> list[Step]:
        found = []
        for step in self.raw.get("steps") or []:
            urn = step["urn"]
            type_, name = urn.split("::")[-2:]
            found.append(Step(step["op"], type_.rsplit("$", 1)[-1], name, step))
        return found

    @property
    def change_summary(self) -> dict[str, int]:
        return dict(self.raw.get("changeSummary") or {})

    def ops(self) -> dict[str, set[str]]:
        """resource name -> the ops the plan has for it (a replace shows as several steps)."""
        result: dict[str, set[str]] = {}
        for step in self.steps:
            if step.type != STACK_TYPE:
                result.setdefault(step.name, set()).add(step.op)
        return result

    def replaced(self) -> set[str]:
        return {name for name, ops in self.ops().items() if ops & REPLACE_OPS}

    def step(self, name: str, op: str | None = None) -> Step:
        (found,) = [s for s in self.steps if s.name == name and (op is None or s.op == op)]
        return found


# `pulumi preview --diff` text: "    +-pulumi-python:dynamic/pinecone:Backup: (replace)" then
# "        [urn=urn:pulumi:dev::project::pulumi-python:dynamic/pinecone:Backup::nightly]".
_DIFF_HEADER = re.compile(r"^\s*(?P<marker>[-+~<>=]{1,2})\s?(?P<type>[\w:/.-]+): \((?P<op>[\w -]+)\)\s*$")
_DIFF_URN = re.compile(r"^\s*\[urn=(?P<urn>[^\]]+)\]\s*$")


def diff_blocks(text: str) -> list[tuple[str, str, str]]:
    """(op, type, resource name) of each resource block in `pulumi preview --diff` output."""
    blocks: list[tuple[str, str, str]] = []
    pending: tuple[str, str] | None = None
    for line in text.splitlines():
        header = _DIFF_HEADER.match(line)
        if header:
            pending = (header["op"], header["type"])
            continue
        urn = _DIFF_URN.match(line)
        if urn and pending:
            blocks.append((pending[0], pending[1], urn["urn"].rsplit("::", 1)[-1]))
            pending = None
    return blocks


def diff_block(text: str, name: str) -> str:
    """The lines about resource `name` in `pulumi preview --diff` output: after its urn, up to the
    next resource or the outputs."""
    lines = text.splitlines()
    (start,) = [
        i for i, line in enumerate(lines) if (urn := _DIFF_URN.match(line)) and urn["urn"].endswith(f"::{name}")
    ]
    block = []
    for line in lines[start + 1 :]:
        if _DIFF_HEADER.match(line) or "--outputs:--" in line:
            break
        block.append(line)
    return "\n".join(block)


@dataclass
class CliProject:
    """A copied example project and the stack the tests drive in it with the plain CLI."""

    dir: Path
    bin_dir: Path
    env: dict[str, str]
    stack: str = "dev"
    transcript: list[str] = field(default_factory=list)
    output: list[str] = field(default_factory=list)  # what the commands printed, without the commands
    timings: list[tuple[str, float]] = field(default_factory=list)

    def run(self, *args: str, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """`pulumi ARGS --non-interactive` in the project directory, as a user types it."""
        command = ["pulumi", *args, "--non-interactive"]
        return self.execute(
            [str(self.bin_dir / "pulumi"), *command[1:]],
            shown=" ".join(command),
            label=" ".join(args),
            check=check,
            timeout=timeout,
        )

    def execute(
        self, argv: list[str], *, shown: str, label: str, check: bool, timeout: float
    ) -> subprocess.CompletedProcess[str]:
        """Run `argv` in the project directory, recorded as the user's `shown` command (timed as
        `label`); with `check`, a non-zero exit fails with what it printed."""
        started = time.monotonic()
        done = subprocess.run(argv, cwd=self.dir, env=self.env, capture_output=True, text=True, timeout=timeout)
        elapsed = time.monotonic() - started
        self.timings.append((label, elapsed))
        self.output.append(done.stdout + done.stderr)
        self.transcript.append(f"$ {shown}  # exit {done.returncode}, {elapsed:.1f}s\n{done.stdout}{done.stderr}")
        if check and done.returncode != 0:
            raise AssertionError(
                f"`{shown}` exited {done.returncode}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
            )
        return done

    def start(self, *args: str) -> subprocess.Popen[str]:
        """`pulumi ARGS --non-interactive` in the background, as a CI job's step (see `start_job`)."""
        self.transcript.append(f"$ pulumi {' '.join(args)} --non-interactive &")
        return self.start_job([str(self.bin_dir / "pulumi"), *args, "--non-interactive"])

    def start_job(self, command: list[str]) -> subprocess.Popen[str]:
        """`command` in the background in the project directory, in a session and process group of
        its own, as a CI runner starts a job's step (and signals the whole group to cancel it)."""
        return subprocess.Popen(
            command,
            cwd=self.dir,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )

    def pending_operations(self) -> list[dict[str, Any]]:
        deployment = json.loads(self.run("stack", "export").stdout)["deployment"]
        return list(deployment.get("pending_operations") or [])

    def init(self, config: dict[str, str], secrets: dict[str, str] | None = None) -> None:
        self.run("stack", "init", self.stack)
        args = [f"--plaintext={key}={value}" for key, value in config.items()]
        args += [f"--secret={key}={value}" for key, value in (secrets or {}).items()]
        if args:
            self.run("config", "set-all", *args)

    def preview_json(self, *args: str) -> Plan:
        """`pulumi preview --json --show-sames` (without --show-sames the JSON lists only changes)."""
        done = self.run("preview", "--json", "--show-sames", *args)
        return Plan(json.loads(done.stdout))

    def outputs(self) -> dict[str, Any]:
        return json.loads(self.run("stack", "output", "--json").stdout)

    def resources(self) -> list[dict[str, Any]]:
        """The stack's resources in state, from `pulumi stack export`."""
        deployment = json.loads(self.run("stack", "export").stdout)["deployment"]
        return deployment.get("resources") or []

    def ids_in_state(self, type_: str) -> set[str]:
        return {r["id"] for r in self.resources() if r["type"] == type_}

    def stack_files(self) -> list[Path]:
        return sorted(self.dir.glob("Pulumi.*.yaml"))

    def report(self) -> str:
        return "\n".join(self.transcript)
