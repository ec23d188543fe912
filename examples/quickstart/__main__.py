"""Quickstart: back up one Pinecone serverless index.

pulumi config set indexName <your-index>
pulumi config set --secret pinecone:apiKey <your-key>   # or export PINECONE_API_KEY
pulumi up
"""

import pulumi

from pinecone_backup import Backup

config = pulumi.Config()
index_name = config.require("indexName")

backup = Backup(
    "nightly",
    index_name=index_name,
    name=config.get("backupName") or f"{index_name}-quickstart",
    description="Declared with pinecone-backup",
)

pulumi.export("backup_id", backup.backup_id)
pulumi.export("status", backup.status)
pulumi.export("record_count", backup.record_count)
pulumi.export("size_bytes", backup.size_bytes)
