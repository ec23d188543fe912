import pulumi

from pinecone_backup import Backup, IndexFromBackup

backup = Backup("before-migration", index_name="products")
restored = IndexFromBackup(
    "restored",
    backup_id=backup.backup_id,  # waits for the backup to be Ready
    name="products-restored",
    tags={"team": "search"},
    deletion_protection="enabled",  # destroy refuses until it is "disabled" again
)
pulumi.export("restoredHost", restored.host)
