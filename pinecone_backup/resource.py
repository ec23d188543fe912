"""Where 0.1 kept the resource classes; kept for one release. Import them from `pinecone_backup`."""

import warnings

from pinecone_backup.backup import Backup
from pinecone_backup.index_from_backup import IndexFromBackup

warnings.warn(
    "pinecone_backup.resource is deprecated and goes in the next release: import Backup and "
    "IndexFromBackup from pinecone_backup",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["Backup", "IndexFromBackup"]
