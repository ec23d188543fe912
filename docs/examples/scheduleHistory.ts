import * as pulumi from "@pulumi/pulumi";
import * as pineconebackup from "@pinecone-backup/pulumi";

// A plain schedule id: a Promise of the runs, the next one (status "Scheduled") included.
const known = pineconebackup.scheduleHistory({ scheduleId: new pulumi.Config().require("scheduleId") });
export const nextRun = known.then(history => history.runs.find(run => run.status === "Scheduled")?.scheduledExecutionAt);

// An id known during the deployment, here the schedule's own: an Output of the runs.
const schedule = new pineconebackup.BackupSchedule("nightly", { indexName: "products", retentionDays: 7 });
const history = pineconebackup.scheduleHistoryOutput({ scheduleId: schedule.scheduleId });
export const runs = history.runs.apply(runs => runs.map(run => `${run.name}: ${run.status}`));
