"""Where 0.1 kept the IndexFromBackup provider. Stacks' state holds that provider pickled by this
name, so the name stays importable for as long as such state may exist; new code imports
`pinecone_backup.index_from_backup`."""

from pinecone_backup.index_from_backup import IndexFromBackupProvider

__all__ = ["IndexFromBackupProvider"]
