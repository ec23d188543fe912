import * as pineconebackup from "@pinecone-backup/pulumi";

const backup = new pineconebackup.Backup("before-migration", {
    indexName: "products",
    description: "before the migration",
    triggers: { migration: "0042" }, // a new migration version: a fresh backup
});
export const backupId = backup.backupId;
export const recordCount = backup.recordCount;
