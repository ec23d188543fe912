"""Quickstart: back up one Pinecone serverless index.

    pulumi stack init dev
    pulumi config set indexName <your-index>
    pulumi config set --secret pinecone:apiKey <your-key>   # or export PINECONE_API_KEY
    pulumi preview
    pulumi up

Optional config: backupName (unset, the backup gets an automatic name that proves it is this
stack's), description and migrationVersion (changing any of them replaces the backup, new before
old), readyTimeout and pollInterval in seconds (changing them changes nothing in Pinecone).
"""

import pulumi

from pinecone_backup import Backup

config = pulumi.Config()
index_name = config.require("indexName")
migration = config.get("migrationVersion")

backup = Backup(
    "nightly",
    index_name=index_name,
    name=config.get("backupName"),
    description=config.get("description") or "Declared with pinecone-backup",
    # A fresh backup whenever the migration changes: `pulumi config set migrationVersion 42`.
    # (With opts=pulumi.ResourceOptions(retain_on_delete=True), the old ones stay in Pinecone.)
    triggers={"migration": migration} if migration else None,
    ready_timeout=config.get_float("readyTimeout") or 3600,
    poll_interval=config.get_float("pollInterval") or 10,
)

pulumi.export("backup_id", backup.backup_id)
pulumi.export("backup_name", backup.name)
pulumi.export("status", backup.status)
pulumi.export("record_count", backup.record_count)
pulumi.export("size_bytes", backup.size_bytes)
