"""Pulumi stacks that run offline: a throwaway local state backend, Pinecone = the emulator.

Programs run inline through the Automation API, which serves the Python language runtime
from this process, so the engine needs only the `pulumi` CLI and the dynamic-provider
launcher `pulumi-resource-pulumi-python` (both in `pulumi_bin`, see scripts/install-pulumi).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from pulumi import automation as auto


def install_engine(script: Path) -> Path:
    """Run scripts/install-pulumi (built once, then cached) and return the directory it prints."""
    done = subprocess.run([str(script)], check=True, stdout=subprocess.PIPE, text=True, timeout=1800)
    return Path(done.stdout.strip().splitlines()[-1])


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
