import * as pulumi from "@pulumi/pulumi";
import * as pineconebackup from "@pinecone-backup/pulumi";

// Plain arguments: a Promise of the newest Ready backup whose name starts with "nightly".
const newest = pineconebackup.latestBackup({ indexName: "products", namePrefix: "nightly" });
const restored = new pineconebackup.IndexFromBackup("restored", {
    backupId: newest.then(backup => backup.backupId),
    name: "products-restored",
});

// Arguments known during the deployment, here another stack's output: an Output of the backup.
const prod = new pulumi.StackReference("acme/indexes/prod");
export const prodNewest = pineconebackup.latestBackupOutput({ indexName: prod.requireOutput("indexName") }).backupId;
