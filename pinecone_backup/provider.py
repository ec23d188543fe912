"""Where 0.1 kept the Backup provider. Stacks' state holds that provider pickled by this name,
so the name stays importable for as long as such state may exist; new code imports
`pinecone_backup.backup`."""

from pinecone_backup.backup import BackupProvider

__all__ = ["BackupProvider"]
