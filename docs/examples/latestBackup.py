import pulumi

from pinecone_backup import IndexFromBackup, latest_backup, latest_backup_output

# Plain arguments: the newest Ready backup whose name starts with "nightly".
newest = latest_backup("products", name_prefix="nightly")
restored = IndexFromBackup("restored", backup_id=newest.backup_id, name="products-restored")

# Arguments known during the deployment, here another stack's output: an Output of the backup.
index_name = pulumi.StackReference("acme/indexes/prod").require_output("indexName")
pulumi.export("prodNewest", latest_backup_output(index_name).apply(lambda backup: backup.backup_id))
