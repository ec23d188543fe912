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

from pinecone_backup.emulator.stacks import install_engine, offline_stack

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


def main() -> None:
    bin_dir = install_engine(ROOT / "scripts" / "install-pulumi")
    emulator, url = start_emulator()
    banner(f"Pinecone emulator on {url} with index {INDEX!r} (250,000 records)")
    try:
        with tempfile.TemporaryDirectory(prefix="pinecone-backup-demo-") as state_dir:
            stack = offline_stack(
                "demo",
                PROJECT,
                lambda: runpy.run_path(str(ROOT / "examples" / "quickstart" / "__main__.py")),
                pulumi_bin=bin_dir,
                emulator_url=url,
                state_dir=Path(state_dir),
                api_key="demo-api-key",
            )
            stack.set_config("indexName", auto.ConfigValue(INDEX))

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
