import * as pineconebackup from "@pinecone-backup/pulumi";

// A plain index name (none: every backup of the project): a Promise of the list.
const listed = pineconebackup.listBackups({ indexName: "products" });
export const backupNames = listed.then(result => result.backups.map(backup => backup.name));

// An index name known during the deployment: an Output of the list.
const schedule = new pineconebackup.BackupSchedule("nightly", { indexName: "reviews", retentionDays: 7 });
const reviews = pineconebackup.listBackupsOutput({ indexName: schedule.indexName });
export const reviewsBackups = reviews.backups.apply(backups => backups.length);
