import * as pineconebackup from "@pinecone-backup/pulumi";

// The final backups makeFinalBackup made of an index, newest first: found after the index is gone.
const finals = pineconebackup.finalBackupsOutput({ indexName: "products-restored" });
export const finalBackupNames = finals.backups.apply(backups => backups.map(backup => backup.name));

// Restore the newest into a new index.
const restored = new pineconebackup.IndexFromBackup("products-back", {
    backupId: finals.backups.apply(backups => backups[0].backupId),
    name: "products-back",
});
export const restoredHost = restored.host;
