"""The README's demo: `pulumi up` of examples/quickstart against a local Pinecone emulator, then destroy.

Runs the real Pulumi engine (scripts/install-pulumi) with a throwaway local state backend.
The program runs inline through the Automation API, which serves the Python language
runtime itself: the same engine, plugins and dynamic-provider host as `pulumi up`.
"""

from __future__ import annotations

import runpy
import subprocess
import sys
import tempfile
from pathlib import Path

from pulumi import automation as auto

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "pinecone-backup-quickstart"  # as in Pulumi.yaml
INDEX = "quickstart-index"


def banner(text: str) -> None:
    print(f"\n=== {text}", flush=True)


def start_emulator() -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pinecone_backup.emulator",
            "--port",
            "0",
            "--ready-delay",
            "8",
            "--index",
            f"{INDEX}:1536:250000",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline().strip()  # "Pinecone emulator listening on http://127.0.0.1:PORT"
    return process, line.rsplit(" ", 1)[-1]


def engine_bin_dir() -> Path:
    done = subprocess.run([str(ROOT / "scripts" / "install-pulumi")], check=True, stdout=subprocess.PIPE, text=True)
    return Path(done.stdout.strip().splitlines()[-1])


def main() -> None:
    bin_dir = engine_bin_dir()
    emulator, url = start_emulator()
    banner(f"Pinecone emulator on {url} with index {INDEX!r} (250,000 records)")
    try:
        with tempfile.TemporaryDirectory(prefix="pinecone-backup-demo-") as state_dir:
            env = {
                "PULUMI_BACKEND_URL": f"file://{state_dir}",
                "PULUMI_HOME": f"{state_dir}/.pulumi-home",
                "PULUMI_CONFIG_PASSPHRASE": "demo",
                "PULUMI_SKIP_UPDATE_CHECK": "true",
                "PULUMI_PYTHON_CMD": sys.executable,
                "PINECONE_CONTROLLER_HOST": url,
                "PATH": f"{bin_dir}:{Path(sys.executable).parent}:/usr/bin:/bin",
            }
            stack = auto.create_stack(
                "demo",
                project_name=PROJECT,
                program=lambda: runpy.run_path(str(ROOT / "examples" / "quickstart" / "__main__.py")),
                opts=auto.LocalWorkspaceOptions(
                    work_dir=state_dir,
                    env_vars=env,
                    pulumi_command=auto.PulumiCommand(root=str(bin_dir.parent)),
                    project_settings=auto.ProjectSettings(name=PROJECT, runtime="python"),
                ),
            )
            stack.set_config("indexName", auto.ConfigValue(INDEX))
            stack.set_config("pinecone:apiKey", auto.ConfigValue("demo-api-key", secret=True))

            banner("pulumi preview")
            stack.preview(on_output=print)
            banner("pulumi up")
            outputs = stack.up(on_output=print).outputs
            banner("stack outputs")
            for key in ("backup_id", "status", "record_count", "size_bytes"):
                print(f"  {key:<13} {outputs[key].value}")
            banner("pulumi destroy")
            stack.destroy(on_output=print)
            stack.workspace.remove_stack("demo")
    finally:
        emulator.terminate()
        emulator.wait(timeout=10)
    banner("done: the backup was created on the emulator, reported Ready, and destroyed")


if __name__ == "__main__":
    main()
