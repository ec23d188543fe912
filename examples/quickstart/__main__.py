"""Quickstart: back up one Pinecone serverless index.

    pulumi stack init dev
    pulumi config set indexName <your-index>
    pulumi config set --secret pinecone:apiKey <your-key>   # or export PINECONE_API_KEY
    pulumi preview
    pulumi up

Optional config: backupName, description (changing either replaces the backup, new before
old), readyTimeout and pollInterval in seconds (changing them changes nothing in Pinecone).
"""

import pulumi

from pinecone_backup import Backup

config = pulumi.Config()
index_name = config.require("indexName")

backup = Backup(
    "nightly",
    index_name=index_name,
    name=config.get("backupName") or f"{index_name}-quickstart",
    description=config.get("description") or "Declared with pinecone-backup",
    ready_timeout=config.get_float("readyTimeout") or 3600,
    poll_interval=config.get_float("pollInterval") or 10,
)

pulumi.export("backup_id", backup.backup_id)
pulumi.export("status", backup.status)
pulumi.export("record_count", backup.record_count)
pulumi.export("size_bytes", backup.size_bytes)
