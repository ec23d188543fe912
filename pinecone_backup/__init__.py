"""Pinecone backups as Pulumi resources.

`Backup` is the resource; `pinecone_backup.api` is the typed control-plane client it uses;
`pinecone_backup.emulator` is an offline Pinecone for tests and demos.
"""

from pinecone_backup._version import __version__
from pinecone_backup.resource import Backup

__all__ = ["Backup", "__version__"]
