import pulumi

from pinecone_backup import IndexFromBackup, final_backups

# The final backups `final_backup` made of an index, newest first: found after the index is gone.
newest = final_backups("products-restored")[0]
restored = IndexFromBackup("products-back", backup_id=newest.backup_id, name="products-back")
pulumi.export("restoredFrom", newest.name)
