import * as pineconebackup from "@pinecone-backup/pulumi";

const schedule = new pineconebackup.BackupSchedule("nightly", {
    indexName: "products",
    frequency: "daily",
    retentionDays: 7,
});
export const scheduleName = schedule.name;
export const nextScheduledRun = schedule.nextScheduledRun;
