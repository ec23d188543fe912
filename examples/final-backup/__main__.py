"""An index restored from a backup, with a final backup before it goes: a new `restoredName`
(a replacement), the resource removed from the program, or `pulumi destroy --run-program`
first backs the index up, waits until that backup is Ready, and only then deletes it.

    pulumi stack init dev
    pulumi config set indexName <your-index>
    pulumi config set restoredName <new-index-name>
    pulumi config set --secret pinecone:apiKey <your-key>   # or export PINECONE_API_KEY
    pulumi up
    pulumi config set restoredName <another-name> && pulumi up   # a final backup, then the delete
    pulumi destroy --run-program                                # another one

Optional config: keepFinalBackups (the newest N final backups of an index are kept, the older
deleted), readyTimeout and pollInterval in seconds.
"""

import pulumi

from pinecone_backup import Backup, IndexFromBackup, final_backup

config = pulumi.Config()
wait = {
    "ready_timeout": config.get_float("readyTimeout") or 3600,
    "poll_interval": config.get_float("pollInterval") or 10,
}

# The hook. Made before the resources it guards, and kept in the program when they are removed:
# the engine calls it by its name before it deletes them.
final = final_backup(keep=config.get_int("keepFinalBackups"), **wait)

backup = Backup("before-migration", index_name=config.require("indexName"), **wait)
restored = IndexFromBackup(
    "restored",
    backup_id=backup.backup_id,
    name=config.require("restoredName"),
    opts=pulumi.ResourceOptions(hooks=pulumi.ResourceHookBinding(before_delete=[final])),
    **wait,
)
pulumi.export("restoredName", restored.name)
