import pulumi

from pinecone_backup import Backup

backup = Backup(
    "before-migration",
    index_name="products",
    description="before the migration",
    triggers={"migration": "0042"},  # a new migration version: a fresh backup
)
pulumi.export("backupId", backup.backup_id)
pulumi.export("recordCount", backup.record_count)
