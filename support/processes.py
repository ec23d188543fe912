"""The processes a `pulumi` run leaves: found by the session it leads, as a CI runner's job is.

The engine starts its plugins (the language host and the program, the provider host) in process
groups of their own, but in the session of the `pulumi` that a test starts with
`start_new_session=True`: so the session holds everything the run started, and nothing else.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

LINGER = 5.0  # seconds after `pulumi` exits that nothing of its run may still be running


def session_processes(session: int) -> list[int]:
    """The processes of the session `pulumi` leads (the engine starts its plugins in process
    groups of their own, so its group alone does not hold them)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and os.getsid(int(entry.name)) == session:
                found.append(int(entry.name))
        except (ProcessLookupError, PermissionError):
            pass
    return found


def live_processes(session: int) -> dict[int, str]:
    """The processes of the session that are not zombies, with their command lines."""
    found = {}
    for pid in session_processes(session):
        with contextlib.suppress(OSError):
            stat = Path(f"/proc/{pid}/stat").read_text()
            if stat[stat.rindex(")") + 2] not in "ZX":
                found[pid] = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    return found


def provider_hosts(session: int) -> list[int]:
    """The session's provider processes: the dynamic-provider host, the plugin."""

    def is_host(pid: int) -> bool:
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return False
        return b"pulumi.dynamic" in command or b"pulumi-resource-pinecone-backup" in command

    return [pid for pid in session_processes(session) if is_host(pid)]


def kill_session(session: int) -> None:
    for pid in session_processes(session):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def assert_nothing_left(session: int, *, but: str | None = None) -> None:
    """Nothing `pulumi` started (the language host and the program, the provider host) outlives it;
    `but`: a process of Pulumi's own that is allowed to (its command line holds it)."""
    deadline = time.monotonic() + LINGER

    def left_over() -> dict[int, str]:
        return {pid: command for pid, command in live_processes(session).items() if not (but and but in command)}

    while (left := left_over()) and time.monotonic() < deadline:
        time.sleep(0.05)
    kill_session(session)  # a failure leaves nothing behind either
    assert not left, f"{LINGER:.0f}s after `pulumi` exited, still running:\n" + "\n".join(
        f"  {pid} {command}" for pid, command in sorted(left.items())
    )
