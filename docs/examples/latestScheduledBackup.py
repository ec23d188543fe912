import pulumi

from pinecone_backup import BackupSchedule, latest_scheduled_backup, latest_scheduled_backup_output

# Plain arguments: the newest backup of the schedule named so, or None before its first run.
newest = latest_scheduled_backup("products", "products-nightly")
pulumi.export("newestBackup", newest.backup_id if newest else None)

# Arguments known during the deployment, here the schedule's outputs: an Output of it.
schedule = BackupSchedule("weekly", index_name="reviews", frequency="weekly", retention_days=28)
latest = latest_scheduled_backup_output(schedule.index_name, schedule.name)
pulumi.export("newestWeekly", latest.apply(lambda backup: backup.backup_id if backup else None))
