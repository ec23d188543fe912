import pulumi

from pinecone_backup import BackupSchedule

schedule = BackupSchedule("nightly", index_name="products", frequency="daily", retention_days=7)
pulumi.export("scheduleName", schedule.name)
pulumi.export("nextScheduledRun", schedule.next_scheduled_run)
