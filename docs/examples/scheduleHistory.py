import pulumi

from pinecone_backup import BackupSchedule, schedule_history, schedule_history_output

# A plain schedule id: the runs themselves, the next one (status "Scheduled") included.
runs = schedule_history(pulumi.Config().require("scheduleId"))
pulumi.export("nextRun", next((run.scheduled_execution_at for run in runs if run.status == "Scheduled"), None))

# An id known during the deployment, here the schedule's own: an Output of the runs.
schedule = BackupSchedule("nightly", index_name="products", retention_days=7)
history = schedule_history_output(schedule.schedule_id)
pulumi.export("runs", history.apply(lambda runs: [f"{run.name}: {run.status}" for run in runs]))
