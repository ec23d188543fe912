"""A final backup before an index goes away: a Pulumi resource hook for any resource that is a
Pinecone index (`IndexFromBackup`, Pinecone's own `pinecone.Index`, or any resource whose outputs
name the index), run by the engine before it deletes the resource (`core.final_backup`).

    hook = final_backup()
    IndexFromBackup("restored", ..., opts=pulumi.ResourceOptions(
        hooks=pulumi.ResourceHookBinding(before_delete=[hook])))

The hook runs in the program, so the program must still create it (call `final_backup` with the
same name) when the resource is removed from it, and `pulumi destroy` must run the program
(`--run-program`). Why the index goes, for the backup's description:
- `replaced`: the program declared a resource of the same URN in this run (a stack transform,
  registered by the first `final_backup`, records the URNs declared after it);
- `destroyed`: the Pulumi CLI running this program is a `pulumi destroy` (the process tree:
  the CLI is the program's ancestor, or, in an inline Automation API program, its child);
- `removed`: otherwise, the program no longer declares it.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import os
import subprocess
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import pulumi
from pulumi.runtime import settings

from pinecone_backup.core import engine, polling
from pinecone_backup.core import final_backup as core
from pinecone_backup.core.lifecycle import DEFAULT_POLL_INTERVAL, DEFAULT_READY_TIMEOUT
from pinecone_backup.core.polling import PollSchedule
from pinecone_backup.errors import PineconeError
from pinecone_backup.lookups import _client

if TYPE_CHECKING:
    from pinecone_backup.api.models import Backup

__all__ = ["final_backup", "final_backups", "final_backups_output"]

DEFAULT_HOOK_NAME = "pinecone-final-backup"
# What names the index in a resource's outputs: IndexFromBackup's and pinecone.Index's `name`.
DEFAULT_INDEX_OUTPUT = "name"
DESTROY_COMMANDS = ("destroy", "down")
COMMANDS = frozenset({*DESTROY_COMMANDS, "up", "update", "preview", "refresh", "import", "watch"})
ANCESTORS = 8  # how far up the process tree the CLI may be (the language host and its wrapper between)

IndexName = str | Callable[[pulumi.ResourceHookArgs], "str | None"]

# The resource a final backup is for: its progress lines go to the engine on that resource's row.
_current_urn: contextvars.ContextVar[str] = contextvars.ContextVar("pinecone_final_backup_urn", default="")
_declared: set[str] = set()  # URNs the program declared in this run, after the first final_backup()
_watching = False
_lock = threading.Lock()
# One thread per waiting final backup, started on demand, as in the providers (`plugin.provider`).
_threads = ThreadPoolExecutor(max_workers=2048, thread_name_prefix="final-backup")


def final_backup(
    name: str = DEFAULT_HOOK_NAME,
    *,
    index_name: IndexName = DEFAULT_INDEX_OUTPUT,
    keep: int | None = None,
    ready_timeout: float = DEFAULT_READY_TIMEOUT,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
) -> pulumi.ResourceHook:
    """A `before_delete` hook that backs the resource's index up, and waits until the backup is
    Ready, before the engine deletes it; if that fails, the delete does not happen.

    `name`: the hook's name, which the engine records with each resource bound to it (one per
    program; each `final_backup` of other settings needs its own). `index_name`: the output that
    holds the index's name, or a function of the hook's arguments that returns it. `keep`: then
    delete the index's older final backups beyond the newest `keep`. `ready_timeout` and
    `poll_interval`: the wait's, as `Backup`'s."""
    if keep is not None and keep < 1:
        raise ValueError(f"keep: {keep!r} must be at least 1 (the final backup just made)")
    _watch_declarations()
    schedule = PollSchedule(float(poll_interval), float(ready_timeout))

    async def before_delete(args: pulumi.ResourceHookArgs) -> None:
        index = _index_name(args, index_name)
        reason = _reason(args.urn)
        with _progress_on(args.urn):
            # The wait blocks: on a thread of its own, so that the program's other hooks (other
            # indexes deleted in the same run) wait side by side.
            take = functools.partial(
                core.take, _client(), index, reason=reason, urn=args.urn, keep=keep, schedule=schedule
            )
            context = contextvars.copy_context()  # the URN, for the progress lines
            await asyncio.get_running_loop().run_in_executor(_threads, context.run, take)

    before_delete.__name__ = f"final_backup_{name}"
    return pulumi.ResourceHook(name, before_delete)


def final_backups(index_name: str, status: str | None = "Ready") -> list[Backup]:
    """The final backups `final_backup` made of an index, newest first (they outlive it),
    optionally of a status (None: any). Restore one with `IndexFromBackup(backup_id=...)`."""
    return core.final_backups(_client(), index_name, status)


def final_backups_output(index_name: pulumi.Input[str], status: str | None = "Ready") -> pulumi.Output[list[Backup]]:
    return pulumi.Output.from_input(index_name).apply(lambda name: final_backups(name, status))


def _index_name(args: pulumi.ResourceHookArgs, index_name: IndexName) -> str:
    found = index_name(args) if callable(index_name) else (args.old_outputs or {}).get(index_name)
    if not isinstance(found, str) or not found:
        named = "the function given as index_name" if callable(index_name) else f"output {index_name!r}"
        raise PineconeError(
            f"final backup of {args.name} ({args.type}): {named} gives no index name ({found!r}), so nothing "
            "was backed up and the resource was not deleted. Give final_backup(index_name=...) the output that "
            f"names the index (outputs: {', '.join(sorted(args.old_outputs or {}))})."
        )
    return found


# -- why the index goes ------------------------------------------------------------------------


def _watch_declarations() -> None:
    """Once per program: record the URN of every resource declared from now on."""
    global _watching
    with _lock:
        if _watching:
            return
        _watching = True
    pulumi.runtime.register_resource_transform(_record)


async def _record(args: pulumi.ResourceTransformArgs) -> None:
    """A stack transform that changes nothing: it notes the URN the engine gives the resource."""
    parent = args.opts.parent if args.opts else None
    parent_urn = await parent.urn.future() if parent is not None else None
    _declared.add(urn_of(args.type_, args.name, parent_urn))


def urn_of(type_: str, name: str, parent_urn: str | None) -> str:
    """The engine's URN of a resource: its type qualified by its parent's, unless the parent is
    the stack (or none)."""
    qualified = type_
    if parent_urn:
        parent_type = parent_urn.split("::")[2]
        if parent_type != "pulumi:pulumi:Stack":
            qualified = f"{parent_type}${type_}"
    return f"urn:pulumi:{pulumi.get_stack()}::{pulumi.get_project()}::{qualified}::{name}"


def _reason(urn: str) -> str:
    if pulumi_command() in DESTROY_COMMANDS:
        return "destroyed"
    return "replaced" if urn in _declared else "removed"


def pulumi_command() -> str | None:
    """The command (`up`, `destroy`, ...) of the Pulumi CLI running this program, if found: among
    its ancestors (the CLI starts the language host, which starts the program), else among its
    children (an inline Automation API program starts the CLI)."""
    pid = os.getppid()
    for _ in range(ANCESTORS):
        argv, parent = _process(pid)
        command = _command_of(argv)
        if command or parent in (None, 0, 1, pid):
            break
        assert parent is not None
        pid = parent
    return command or next(filter(None, (_command_of(_process(child)[0]) for child in _children())), None)


def _command_of(argv: list[str]) -> str | None:
    if not argv or Path(argv[0]).name not in ("pulumi", "pulumi.exe"):
        return None
    return next((arg for arg in argv[1:] if arg in COMMANDS), None)


def _process(pid: int) -> tuple[list[str], int | None]:
    """A process's command line and parent: from /proc (Linux), else `ps` (macOS, BSD)."""
    proc = Path(f"/proc/{pid}")
    try:
        if proc.is_dir():
            argv = proc.joinpath("cmdline").read_bytes().decode(errors="replace").split("\0")
            stat = proc.joinpath("stat").read_text()
            return [arg for arg in argv if arg], int(stat.rsplit(")", 1)[1].split()[1])
        shown = subprocess.run(
            ["ps", "-o", "ppid=", "-o", "args=", "-p", str(pid)], capture_output=True, text=True, timeout=5, check=False
        ).stdout.split()
        return shown[1:], int(shown[0]) if shown else None
    except (OSError, ValueError, IndexError, subprocess.SubprocessError):
        return [], None


def _children() -> list[int]:
    """This process's children (Linux)."""
    me = os.getpid()
    try:
        task = Path(f"/proc/{me}/task")
        return [int(pid) for thread in task.iterdir() for pid in thread.joinpath("children").read_text().split()]
    except (OSError, ValueError):
        return []


# -- progress, as Backup's ----------------------------------------------------


@contextlib.contextmanager
def _progress_on(urn: str) -> Iterator[None]:
    """Progress lines to the engine, on the row of the resource being deleted."""
    engine_stub = settings.get_engine()
    if engine_stub is not None:
        polling.report_to(engine.progress_to(engine_stub.Log, _current_urn.get))
    token = _current_urn.set(urn)
    try:
        yield
    finally:
        _current_urn.reset(token)
