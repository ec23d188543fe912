"""The Pulumi engine and offline stacks: a throwaway local state backend, Pinecone = the emulator.

`install_engine` runs scripts/install-pulumi (built once, then cached) and returns the directory
holding the CLI. Stacks made here run their program inline through the Automation API, which
serves the Python language runtime from this process: for what the plain CLI can't show (engine
events, exported state). The plain CLI path is `support.cli`'s.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
from pulumi import automation as auto

from pinecone_backup import Backup
from pinecone_backup.emulator import EmulatorServer

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "pinecone-backup-e2e"


def install_engine() -> Path:
    """Run scripts/install-pulumi and scripts/install-language-yaml (built once, then cached) and
    return the directory holding the CLI; the YAML language host is there too, or on PATH."""
    found = [
        subprocess.run([str(ROOT / "scripts" / script)], check=True, stdout=subprocess.PIPE, text=True, timeout=1800)
        for script in ("install-pulumi", "install-language-yaml")
    ]
    return Path(found[0].stdout.strip().splitlines()[-1])


def offline_env(pulumi_bin: Path, emulator_url: str, state_dir: Path) -> dict[str, str]:
    return {
        "PATH": os.pathsep.join([str(pulumi_bin), str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        "PULUMI_HOME": str(state_dir / ".pulumi-home"),
        "PULUMI_BACKEND_URL": f"file://{state_dir}",
        "PULUMI_CONFIG_PASSPHRASE": "offline",
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_PYTHON_CMD": sys.executable,  # the launcher starts the provider host with it
        "PINECONE_CONTROLLER_HOST": emulator_url,
    }


def offline_stack(
    stack_name: str,
    project_name: str,
    program: Callable[[], None],
    *,
    pulumi_bin: Path,
    emulator_url: str,
    state_dir: Path,
    api_key: str,
    env: dict[str, str] | None = None,
) -> auto.Stack:
    """A new stack in `state_dir`, with `pinecone:apiKey` set as a secret."""
    stack = auto.create_stack(
        stack_name,
        project_name=project_name,
        program=program,
        opts=auto.LocalWorkspaceOptions(
            work_dir=str(state_dir),
            env_vars={**offline_env(pulumi_bin, emulator_url, state_dir), **(env or {})},
            pulumi_command=auto.PulumiCommand(root=str(pulumi_bin.parent)),
            project_settings=auto.ProjectSettings(name=project_name, runtime="python"),
        ),
    )
    stack.set_config("pinecone:apiKey", auto.ConfigValue(api_key, secret=True))
    return stack


@dataclass
class BackupSpec:
    """One `Backup(...)` in the program under test."""

    resource_name: str
    index_name: str
    name: str | None = None
    description: str | None = None
    poll_interval: float = 0.1
    ready_timeout: float = 60.0
    opts: Callable[[], pulumi.ResourceOptions] | None = None


@dataclass
class EngineStack:
    """A stack whose program declares `specs`; records all CLI output and engine events."""

    stack: auto.Stack
    specs: list[BackupSpec]
    bin_dir: Path
    state_dir: Path
    output: list[str] = field(default_factory=list)
    events: list[auto.EngineEvent] = field(default_factory=list)

    def program(self) -> None:
        for spec in self.specs:
            backup = Backup(
                spec.resource_name,
                index_name=spec.index_name,
                name=spec.name,
                description=spec.description,
                poll_interval=spec.poll_interval,
                ready_timeout=spec.ready_timeout,
                opts=spec.opts() if spec.opts else None,
            )
            for key in ("backup_id", "status", "record_count", "size_bytes"):
                pulumi.export(f"{spec.resource_name}.{key}", getattr(backup, key))

    def _listen(self) -> dict[str, Any]:
        self.events.clear()
        return {"on_output": self.output.append, "on_event": self.events.append}

    def preview(self) -> auto.PreviewResult:
        return self.stack.preview(diff=True, **self._listen())

    def up(self) -> auto.UpResult:
        return self.stack.up(**self._listen())

    def refresh(self) -> auto.RefreshResult:
        return self.stack.refresh(**self._listen())

    def destroy(self) -> auto.DestroyResult:
        return self.stack.destroy(**self._listen())

    def steps(self) -> list[tuple[str, str, list[str]]]:
        """(operation, resource name, replace keys) of each Backup step the engine announced."""
        found = []
        for event in self.events:
            if event.resource_pre_event is None:
                continue
            meta = event.resource_pre_event.metadata
            if meta.type.endswith("pinecone:Backup"):
                found.append((meta.op.value, meta.urn.rsplit("::", 1)[-1], list(meta.keys or [])))
        return found

    def backup_ids_in_state(self) -> set[str]:
        deployment = self.stack.export_stack().deployment
        return {r["id"] for r in deployment.get("resources", []) if r["type"].endswith("pinecone:Backup")}

    def all_output(self) -> str:
        return "\n".join(self.output)

    def cli(self, *args: str) -> str:
        """Run the CLI as a user would in this stack's directory; return its stdout."""
        done = subprocess.run(
            [str(self.bin_dir / "pulumi"), *args, "--stack", self.stack.name, "--non-interactive"],
            cwd=self.state_dir,
            env={**os.environ, **self.stack.workspace.env_vars},
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout

    def state_files(self) -> str:
        """Every file of the local backend, as text: what sits on disk."""
        files = sorted((self.state_dir / ".pulumi").rglob("*.json"))
        return "\n".join(path.read_text(errors="replace") for path in files)


def new_stack(
    bin_dir: Path, emulator: EmulatorServer, state_dir: Path, specs: list[BackupSpec], api_key: str
) -> EngineStack:
    holder: list[EngineStack] = []
    stack = offline_stack(
        "e2e",
        PROJECT,
        lambda: holder[0].program(),
        pulumi_bin=bin_dir,
        emulator_url=emulator.url,
        state_dir=state_dir,
        api_key=api_key,
    )
    holder.append(EngineStack(stack, specs, bin_dir, state_dir))
    return holder[0]
