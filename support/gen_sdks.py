"""The TypeScript and Go SDKs of the plugin, generated from its schema, and the Node package built.

`sdk/nodejs/` and `sdk/go/pineconebackup/` are committed: `python -m support.gen_sdks` rewrites
them from `pinecone_backup.plugin.schema` with Pulumi's own code generators (scripts/gen-sdk, a
small Go program: `pulumi package gen-sdk` needs the nodejs and go language plugins, which cannot
be built here), and `check` fails, naming the files, when the committed SDKs are not what the
schema makes. `build` compiles the Node package into `sdk/nodejs/bin/` (what `npm install`
takes), as Pulumi's providers publish it.

Slow parts are cached under `~/.cache/pinecone-backup` (`$PULUMI_BACKUP_CACHE`), keyed on what
they are made of: the generator binary (about a minute to build once), and the Node build's
dependencies (`@pulumi/pulumi` and TypeScript, pinned here).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from support import generated
from support.sdks import SdkInstallError, _flock, _run, _sha256

REPO = Path(__file__).resolve().parent.parent
SDK = REPO / "sdk"
GENERATOR = REPO / "scripts" / "gen-sdk"
LANGUAGES = ("nodejs", "go")
# Kept when the generated files are rewritten: the Go module's own files, and build output.
NOT_GENERATED = frozenset({"go.mod", "go.sum", "node_modules", "bin"})
PULUMI_VERSION = (REPO / "PULUMI_VERSION").read_text().strip()
# The Node build's dependencies: @pulumi/pulumi as the CLI, TypeScript as the generated package.json asks.
NODE_BUILD_DEPENDENCIES = (f"@pulumi/pulumi@{PULUMI_VERSION}", "typescript@4.9.5", "@types/node@20")


def cache_root() -> Path:
    return Path(os.environ.get("PULUMI_BACKUP_CACHE") or Path.home() / ".cache" / "pinecone-backup")


def generator() -> Path:
    """The gen-sdk binary, built once per version of its sources."""
    sources = [*sorted(GENERATOR.glob("*.go")), GENERATOR / "go.mod", GENERATOR / "go.sum"]
    home = cache_root() / f"gen-sdk-{_sha256(*sources)[:16]}"
    binary = home / "gen-sdk"
    with _flock(home.parent / "gen-sdk.lock"):
        if not binary.exists():
            home.mkdir(parents=True, exist_ok=True)
            _run(["go", "build", "-o", str(binary), "."], home / "build.log", cwd=GENERATOR)
    return binary


def generate(dest: Path) -> None:
    """Write `dest/nodejs` and `dest/go` from the plugin's schema, as the code generators make them."""
    from pinecone_backup.plugin.schema import schema

    dest.mkdir(parents=True, exist_ok=True)
    schema_file = dest / "schema.json"
    schema_file.write_text(json.dumps(schema(), indent=2) + "\n")
    tool = generator()
    for language in LANGUAGES:
        subprocess.run([str(tool), str(schema_file), language, str(dest / language)], check=True)
    schema_file.unlink()


def generated_files(root: Path) -> set[Path]:
    """The files under `root` the generators own (relative paths)."""
    found: set[Path] = set()
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if path.is_file() and not NOT_GENERATED & set(relative.parts):
            found.add(relative)
    return found


def differences(fresh: Path, committed: Path) -> list[str]:
    """What differs between freshly generated SDKs and the committed ones, file by file."""

    def contents(root: Path) -> dict[str, bytes]:
        return {path.as_posix(): (root / path).read_bytes() for path in generated_files(root)}

    return generated.differences(contents(fresh), contents(committed))


def write(fresh: Path, committed: Path) -> None:
    """Make the committed SDKs the fresh ones, keeping go.mod, go.sum and build output."""
    for stale in generated_files(committed) - generated_files(fresh):
        (committed / stale).unlink()
    for path in generated_files(fresh):
        (committed / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(fresh / path, committed / path)


def build_nodejs() -> Path:
    """Compile sdk/nodejs into sdk/nodejs/bin, package.json beside the JavaScript, and return it."""
    source = SDK / "nodejs"
    out = source / "bin"
    stamp = out / ".built"
    key = hashlib.sha256(
        json.dumps([NODE_BUILD_DEPENDENCIES, [_sha256(source / p) for p in sorted(generated_files(source))]]).encode()
    ).hexdigest()
    if stamp.exists() and stamp.read_text() == key:
        return out
    modules = _node_build_modules()
    link = source / "node_modules"
    if link.is_symlink() or not link.exists():
        link.unlink(missing_ok=True)
        link.symlink_to(modules)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    _run([str(modules / ".bin" / "tsc"), "-p", str(source)], out / "build.log", cwd=source)
    (out / "build.log").unlink()
    for name in ("package.json", "README.md"):
        shutil.copyfile(source / name, out / name)
    stamp.write_text(key)
    return out


def _node_build_modules() -> Path:
    """node_modules holding the build's dependencies, installed once per pin."""
    home = (
        cache_root() / f"node-sdk-build-{hashlib.sha256(' '.join(NODE_BUILD_DEPENDENCIES).encode()).hexdigest()[:16]}"
    )
    modules = home / "node_modules"
    with _flock(home.parent / "node-sdk-build.lock"):
        if not (home / ".installed").exists():
            shutil.rmtree(home, ignore_errors=True)
            home.mkdir(parents=True)
            (home / "package.json").write_text('{"private": true}\n')
            _run(
                ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", *NODE_BUILD_DEPENDENCIES],
                home / "install.log",
                cwd=home,
            )
            (home / ".installed").touch()
    return modules


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m support.gen_sdks", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "command",
        nargs="?",
        default="generate",
        choices=("generate", "check", "build"),
        help="generate: rewrite sdk/ from the schema (default); check: fail if sdk/ is not the schema's; "
        "build: compile sdk/nodejs into sdk/nodejs/bin",
    )
    command = parser.parse_args().command
    try:
        if command == "build":
            print(build_nodejs())
            return 0
        with tempfile.TemporaryDirectory() as scratch:
            generate(Path(scratch))
            found = [f"{lang}: {d}" for lang in LANGUAGES for d in differences(Path(scratch) / lang, SDK / lang)]
            if command == "check" and found:
                print("sdk/ is not what the schema makes; run `python -m support.gen_sdks`:", *found, sep="\n  ")
                return 1
            if command == "generate":
                for language in LANGUAGES:
                    write(Path(scratch) / language, SDK / language)
                print("\n".join(found) or "sdk/ is up to date")
    except SdkInstallError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
