// A backup of a Pinecone index, a new index restored from it, and a backup schedule: the program
// of examples/yaml, in TypeScript with the generated SDK. `pulumi up` runs it (the function it exports);
// so does automation.ts, where no Node language host is installed.
import * as pulumi from "@pulumi/pulumi";
import * as pineconeBackup from "@pinecone-backup/pulumi";

export = async () => {
    const config = new pulumi.Config();
    const indexName = config.require("indexName");
    const readyTimeout = config.requireNumber("readyTimeout");
    const pollInterval = config.requireNumber("pollInterval");

    // A backup of the index. Its name is left unset: an automatic one, which proves it is this
    // stack's. A new description replaces it (backups are immutable).
    const backup = new pineconeBackup.Backup("before-migration", {
        indexName,
        description: config.require("description"),
        readyTimeout,
        pollInterval,
    });

    // A new index restored from that backup: its backupId is unknown until the backup exists.
    const restored = new pineconeBackup.IndexFromBackup("restored", {
        backupId: backup.backupId,
        name: config.require("restoredName"),
        tags: { "restored-from": indexName },
        readyTimeout,
        pollInterval,
    });

    // Pinecone backs the index up on its own, keeping each backup a week. A new frequency
    // changes the schedule in place.
    const schedule = new pineconeBackup.BackupSchedule("nightly", {
        indexName,
        frequency: config.require("frequency"),
        retentionDays: 7,
    });

    // The newest backup of the index, looked up once this stack's backup exists (dependsOn: in a
    // preview that creates the backup, the result is unknown rather than an error).
    const newest = pineconeBackup.latestBackupOutput({ indexName }, { dependsOn: [backup] });

    // The newest backup the schedule made: none before its first run (Pinecone runs it at 06:00 UTC).
    const newestScheduled = pineconeBackup.latestScheduledBackupOutput({
        indexName,
        scheduleName: schedule.name,
    });

    return {
        backupId: backup.backupId,
        backupName: backup.name,
        recordCount: backup.recordCount,
        restoredHost: restored.host,
        scheduleName: schedule.name,
        nextScheduledRun: schedule.nextScheduledRun,
        newestBackupId: newest.backupId,
        newestScheduledBackup: newestScheduled.backup,
    };
};
