import * as pineconebackup from "@pinecone-backup/pulumi";

const backup = new pineconebackup.Backup("before-migration", { indexName: "products" });
const restored = new pineconebackup.IndexFromBackup("restored", {
    backupId: backup.backupId, // waits for the backup to be Ready
    name: "products-restored",
    tags: { team: "search" },
    deletionProtection: "enabled", // destroy refuses until it is "disabled" again
});
export const restoredHost = restored.host;
