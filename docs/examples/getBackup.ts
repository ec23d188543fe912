import * as pulumi from "@pulumi/pulumi";
import * as pineconebackup from "@pinecone-backup/pulumi";

// A plain id: a Promise of the backup.
const found = pineconebackup.getBackup({ backupId: new pulumi.Config().require("backupId") });
export const recordCount = found.then(backup => backup.recordCount);

// An id known during the deployment, here another stack's output: an Output of the backup.
const prod = new pulumi.StackReference("acme/backups/prod");
const shared = pineconebackup.getBackupOutput({ backupId: prod.requireOutput("backupId") });
export const sharedStatus = shared.status;
