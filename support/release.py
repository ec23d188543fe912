"""A release's artifacts, built by the same commands here as in the release workflow.

    python -m support.release build VERSION OUTDIR
        OUTDIR/python/  the sdist and the wheel built from it (for PyPI)
        OUTDIR/npm/     the npm package of sdk/nodejs, compiled (for npm)
        OUTDIR/plugin/  pulumi-resource-pinecone-backup-vVERSION-OS-ARCH.tar.gz per platform and
                        SHA256SUMS (for the GitHub release, where `pulumi plugin install` finds them)
    python -m support.release notes VERSION
        the CHANGELOG's section for VERSION (the GitHub release's notes)

VERSION is the tag without its `v`; it must be the package's, the npm package's and a CHANGELOG
section's. The Go module (sdk/go) is built, not packed: a release tags it `sdk/go/vVERSION`.
.github/workflows/release.yml runs these and publishes; tests/test_release.py runs `build`.

The plugin tarball holds the wheel and scripts/plugin-launcher as `pulumi-resource-pinecone-backup`,
which makes a virtualenv beside itself on its first run: the plugin is Python, so one tarball fits
every platform with a POSIX shell and Python 3.10+ (Windows has neither, and no tarball).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from pinecone_backup import __version__
from support.gen_sdks import REPO, SDK, build_nodejs
from support.sdks import SdkInstallError, _run

PLUGIN = "pulumi-resource-pinecone-backup"
LAUNCHER = REPO / "scripts" / "plugin-launcher"
CHANGELOG = REPO / "CHANGELOG.md"
# The platforms `pulumi plugin install` asks for (OS-ARCH of the machine running the engine).
PLATFORMS = ("linux-amd64", "linux-arm64", "darwin-amd64", "darwin-arm64")


class ReleaseError(RuntimeError):
    """The release cannot be built as asked; the message says why."""


def plugin_tarball_name(version: str, platform: str) -> str:
    return f"{PLUGIN}-v{version}-{platform}.tar.gz"


def go_tag(version: str) -> str:
    """The Go module lives in sdk/go, so its versions are tags with that prefix."""
    return f"sdk/go/v{version}"


def notes(version: str) -> str:
    """The CHANGELOG's `## [VERSION]` section, without its heading."""
    found = re.search(rf"^## \[{re.escape(version)}\][^\n]*\n(.*?)(?=^## |^\[|\Z)", CHANGELOG.read_text(), re.M | re.S)
    if found is None:
        raise ReleaseError(f"CHANGELOG.md has no section '## [{version}]'")
    return found[1].strip() + "\n"


def check_version(version: str) -> None:
    """The tag's version is the one every package carries, and the CHANGELOG says what is in it."""
    for where in ("pinecone_backup/_version.py", "sdk/nodejs/package.json"):  # in turn: an unpacked sdist has no sdk/
        found = __version__ if where.endswith(".py") else json.loads((REPO / where).read_text())["version"]
        if found != version:
            raise ReleaseError(f"version {version} is not the repository's: {where} says {found}")
    notes(version)


def build_python(out: Path, log: Path) -> tuple[Path, Path]:
    """The sdist, then the wheel built from it (so the sdist is known to build)."""
    _run([sys.executable, "-m", "build", "--outdir", str(out), str(REPO)], log)
    (sdist,) = out.glob("pinecone_backup-*.tar.gz")
    (wheel,) = out.glob("pinecone_backup-*.whl")
    return sdist, wheel


def build_npm(out: Path, log: Path) -> Path:
    """`npm pack` of the compiled package, without the build's own stamp."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        package = Path(scratch) / "package"
        shutil.copytree(build_nodejs(), package, ignore=shutil.ignore_patterns(".built", "build.log"))
        _run(["npm", "pack", "--pack-destination", str(out.resolve())], log, cwd=package)
    (tarball,) = out.glob("*.tgz")
    return tarball


def build_go(log: Path) -> None:
    _run(["go", "build", "./..."], log, cwd=SDK / "go")


def build_plugin(out: Path, version: str, wheel: Path) -> list[Path]:
    """One tarball per platform, the same files in each, byte for byte the same for the same wheel."""
    out.mkdir(parents=True, exist_ok=True)
    members = [(PLUGIN, LAUNCHER, 0o755), (wheel.name, wheel, 0o644), ("LICENSE", REPO / "LICENSE", 0o644)]
    content = io.BytesIO()
    with tarfile.open(fileobj=content, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, source, mode in members:
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = source.stat().st_size, mode, 0
            with source.open("rb") as data:
                tar.addfile(info, data)
    made = []
    for platform in PLATFORMS:
        tarball = out / plugin_tarball_name(version, platform)
        with tarball.open("wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as gz:
            gz.write(content.getvalue())
        made.append(tarball)
    (out / "SHA256SUMS").write_text(
        "".join(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}\n" for path in made)
    )
    return made


def build(version: str, out: Path) -> list[Path]:
    """Every artifact of the release into `out` (emptied first); their paths."""
    check_version(version)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    log = out / "build.log"
    sdist, wheel = build_python(out / "python", log)
    npm = build_npm(out / "npm", log)
    build_go(log)
    return [sdist, wheel, npm, *build_plugin(out / "plugin", version, wheel), out / "plugin" / "SHA256SUMS"]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m support.release", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    build_parser = commands.add_parser("build", help="every artifact of the release into OUTDIR")
    build_parser.add_argument("version", help="the tag without its v, e.g. 0.1.0")
    build_parser.add_argument("outdir", type=Path)
    notes_parser = commands.add_parser("notes", help="the CHANGELOG's section for VERSION")
    notes_parser.add_argument("version")
    args = parser.parse_args()
    try:
        if args.command == "notes":
            print(notes(args.version), end="")
        else:
            for path in build(args.version, args.outdir):
                print(path)
    except (ReleaseError, SdkInstallError, subprocess.TimeoutExpired) as error:
        print(f"release: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
