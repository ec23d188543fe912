import * as pineconebackup from "@pinecone-backup/pulumi";

// Plain arguments: a Promise of the newest backup of the schedule named so (unset before its first run).
const newest = pineconebackup.latestScheduledBackup({ indexName: "products", scheduleName: "products-nightly" });
export const newestBackup = newest.then(result => result.backup?.backupId);

// Arguments known during the deployment, here the schedule's outputs: an Output of it.
const schedule = new pineconebackup.BackupSchedule("weekly", {
    indexName: "reviews",
    frequency: "weekly",
    retentionDays: 28,
});
const latest = pineconebackup.latestScheduledBackupOutput({
    indexName: schedule.indexName,
    scheduleName: schedule.name,
});
export const newestWeekly = latest.apply(result => result.backup?.backupId);
