"""Back up an index, then restore the backup into a new index.

    pulumi config set indexName <your-index>
    pulumi config set restoredName <new-index-name>
    pulumi config set --secret pinecone:apiKey <your-key>   # or export PINECONE_API_KEY
    pulumi up

Destroy removes the restored index first, then the backup (the index depends on it).
"""

import pulumi

from pinecone_backup import Backup, IndexFromBackup

config = pulumi.Config()
index_name = config.require("indexName")

backup = Backup("before-migration", index_name=index_name, name=f"{index_name}-before-migration")
restored = IndexFromBackup(
    "restored",
    backup_id=backup.backup_id,  # waits for the backup to be Ready
    name=config.require("restoredName"),
    tags={"restored-from": index_name},
)

pulumi.export("backup_id", backup.backup_id)
pulumi.export("record_count", backup.record_count)
pulumi.export("restored_index", restored.name)
pulumi.export("restored_host", restored.host)
pulumi.export("restore_status", restored.restore_status)
