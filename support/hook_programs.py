"""The docs' `makeFinalBackup` examples (docs/examples/makeFinalBackup.ts and .go) as programs the
engine runs, for want of a Node or Go language host: each inside a copy of its language's example
project, whose runner (examples/typescript/automation.ts, examples/go/main.go's driver) runs it
inline through the Automation API.

The docs' files are used as they are, but for what makes a top-level program a function:
- TypeScript: the copy's index.ts requires "./makeFinalBackup" inside the inline program, its
  exports the stack's outputs, having made the inline run's state the runtime's fallback, as a
  language host has it (INDEX_TS says why: without it a hook's call finds no engine).
- Go: the docs' `func main` is renamed, and its `pulumi.Run(f)` keeps `f` as the program.
Both runners' `destroy` runs the program (`runProgram: true`, `optdestroy.RunProgram(true)`), as
`pulumi destroy --run-program` does: without it a hook is never registered, so never run. The
project's config is only what the docs' program reads (no declared keys).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from support import go_programs
from support.cli import ROOT
from support.go_programs import Build
from support.node_programs import copy_example

DOCS_TS = ROOT / "docs" / "examples" / "makeFinalBackup.ts"
DOCS_GO = ROOT / "docs" / "examples" / "makeFinalBackup.go"
TS_PROJECT = "final-backup-typescript"
GO_PROJECT = "final-backup-go"

# What the Go driver keeps of the docs' program (the docs' `pulumi.Run` calls `capture`).
_GO_CAPTURE = """package main

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// The docs' program: docs/examples/makeFinalBackup.go, its main renamed docsMain and its
// pulumi.Run(program) made capture(program), keeps the program here for the driver to run.
var docsProgram pulumi.RunFunc

func capture(program pulumi.RunFunc) { docsProgram = program }

func init() { docsMain() }
"""


# The runner's program: the docs' module, required inside the inline run (its exports the outputs).
# A hook's callback reaches @pulumi/pulumi (3.259) through its callback server, outside the async
# context the Automation API runs an inline program in (AsyncLocalStorage): there the runtime finds
# no engine, and the hook's invoke fails with "Cannot read properties of undefined (reading
# 'invoke')". A Node language host runs a program in the runtime's global state, where a callback
# finds it; the run's state made the fallback gives the inline run the same.
PLAIN_INDEX_TS = 'export = async () => require("./makeFinalBackup");\n'
INDEX_TS = """\
export = async () => {
    const storage = (globalThis as any).asyncLocalStorage;
    const run = storage.getStore();
    const current = storage.getStore.bind(storage);
    storage.getStore = () => current() ?? run;
    return require("./makeFinalBackup");
};
"""


def _replace(text: str, old: str, new: str, where: str) -> str:
    assert text.count(old) == 1, f"{where}: expected {old!r} once"
    return text.replace(old, new)


def _settings(project: Path, name: str) -> None:
    """Pulumi.yaml named `name`, without the example's config declarations (its own program's)."""
    path = project / "Pulumi.yaml"
    settings = yaml.safe_load(path.read_text())
    settings["name"] = name
    settings.pop("config", None)
    settings.pop("description", None)
    path.write_text(yaml.safe_dump(settings, sort_keys=False))


def copy_typescript(dest: Path, *, fallback: bool = True) -> Path:
    """examples/typescript copied into `dest`, its program the docs' makeFinalBackup.ts; without
    `fallback`, the inline run as the Automation API makes it (a hook's call then fails)."""
    project = copy_example(dest)
    shutil.copyfile(DOCS_TS, project / "makeFinalBackup.ts")
    (project / "index.ts").write_text(INDEX_TS if fallback else PLAIN_INDEX_TS)
    tsconfig_path = project / "tsconfig.json"
    tsconfig = json.loads(tsconfig_path.read_text())
    tsconfig["files"].append("makeFinalBackup.ts")
    tsconfig_path.write_text(json.dumps(tsconfig, indent=4) + "\n")
    runner = project / "automation.ts"
    runner.write_text(
        _replace(
            runner.read_text(),
            "await stack.destroy({ ...output, refresh });",
            "await stack.destroy({ ...output, refresh, runProgram: true });",
            str(runner),
        )
    )
    _settings(project, TS_PROJECT)
    return project


def _patch_go(project: Path) -> None:
    main = project / "main.go"
    text = main.read_text()
    text = _replace(text, "pulumi.Run(program)", "pulumi.Run(docsProgram)", str(main))
    text = _replace(text, "auto.Program(program)", "auto.Program(docsProgram)", str(main))
    text = _replace(
        text,
        "optdestroy.ErrorProgressStreams(errOut))",
        "optdestroy.ErrorProgressStreams(errOut), optdestroy.RunProgram(true))",
        str(main),
    )
    main.write_text(text)
    docs = DOCS_GO.read_text()
    docs = _replace(docs, "func main() {", "func docsMain() {", str(DOCS_GO))
    docs = _replace(docs, "pulumi.Run(", "capture(", str(DOCS_GO))
    (project / "make_final_backup.go").write_text(docs)
    (project / "capture.go").write_text(_GO_CAPTURE)


def copy_go(dest: Path) -> Path:
    """examples/go copied into `dest`, its program the docs' makeFinalBackup.go (for `go vet`)."""
    project = go_programs.copy_go_example(dest)
    _patch_go(project)
    _settings(project, GO_PROJECT)
    return project


def go_binary() -> Build:
    """The Go copy built once per version of its sources (the docs' example, this module's
    patches, examples/go, the SDK) and of Go, into ~/.cache/pinecone-backup."""
    return go_programs.build_once("go-final-backup", [Path(__file__), DOCS_GO, *go_programs.sources()], _fresh_go_copy)


def _fresh_go_copy(home: Path) -> Path:
    shutil.rmtree(home / "src", ignore_errors=True)  # what a killed build left
    return copy_go(home / "src")
