"""The offline Pinecone control plane: a local, stateful emulator of the API subset this package
uses, answering in the shapes of API versions 2025-04, 2025-10 and 2026-07.

Needs the `emulator` extra (`pip install "pinecone-backup[emulator]"`).
"""

_EXTRA_MODULES = frozenset({"starlette", "uvicorn"})

try:
    from pinecone_backup.emulator.server import EmulatorServer
    from pinecone_backup.emulator.state import EmulatorState, Faults
except ModuleNotFoundError as missing:  # only the extra's own packages; any other import error is a bug
    if (missing.name or "").partition(".")[0] not in _EXTRA_MODULES:
        raise
    raise ModuleNotFoundError(
        f"The Pinecone emulator needs {missing.name}, which comes with the `emulator` extra: "
        'pip install "pinecone-backup[emulator]"',
        name=missing.name,
    ) from missing

__all__ = ["EmulatorServer", "EmulatorState", "Faults"]
