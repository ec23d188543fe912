"""The offline Pinecone control plane: a local, stateful emulator of the 2025-10 API subset.

Needs the `emulator` extra (`pip install pinecone-backup[emulator]`).
"""

from pinecone_backup.emulator.server import EmulatorServer
from pinecone_backup.emulator.state import EmulatorState, Faults

__all__ = ["EmulatorServer", "EmulatorState", "Faults"]
