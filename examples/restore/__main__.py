"""Back up an index, restore the backup into a new index, then take a baseline backup of it.

    pulumi stack init dev
    pulumi config set indexName <your-index>
    pulumi config set restoredName <new-index-name>
    pulumi config set --secret pinecone:apiKey <your-key>   # or export PINECONE_API_KEY
    pulumi preview
    pulumi up

Each resource takes an output of the one before as input, so `pulumi up` runs them in order
and a preview of a new stack shows those inputs as unknown. Destroy runs in reverse: the
baseline backup, the restored index, then the first backup.

Optional config: description (of the first backup; changing it replaces that backup, so the
index restored from it, so the baseline of that index), readyTimeout and pollInterval in
seconds (changing them changes nothing in Pinecone).
"""

import pulumi

from pinecone_backup import Backup, IndexFromBackup

config = pulumi.Config()
index_name = config.require("indexName")
wait = {
    "ready_timeout": config.get_float("readyTimeout") or 3600,
    "poll_interval": config.get_float("pollInterval") or 10,
}

backup = Backup(
    "before-migration",
    index_name=index_name,
    name=f"{index_name}-before-migration",
    description=config.get("description"),
    **wait,
)
restored = IndexFromBackup(
    "restored",
    backup_id=backup.backup_id,  # unknown until the backup exists: Pulumi waits for it to be Ready
    name=config.require("restoredName"),
    tags={"restored-from": index_name},
    **wait,
)
baseline = Backup(
    "restored-baseline",
    index_name=restored.name,  # an output: backed up once the restore has completed
    name=restored.name.apply(lambda name: f"{name}-baseline"),
    # Unknown until the index exists; a new index (a replaced restore) means a new baseline.
    description=restored.index_id.apply(lambda index_id: f"First backup of index {index_id}"),
    **wait,
)

pulumi.export("backup_id", backup.backup_id)
pulumi.export("record_count", backup.record_count)
pulumi.export("restored_index", restored.name)
pulumi.export("restored_host", restored.host)
pulumi.export("restore_status", restored.restore_status)
pulumi.export("baseline_backup_id", baseline.backup_id)
