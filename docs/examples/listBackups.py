import pulumi

from pinecone_backup import BackupSchedule, list_backups, list_backups_output

# A plain index name (None: every backup of the project): the list itself.
backups = list_backups("products")
pulumi.export("backupNames", [backup.name for backup in backups])

# An index name known during the deployment: an Output of the list.
schedule = BackupSchedule("nightly", index_name="reviews", retention_days=7)
listed = list_backups_output(schedule.index_name)
pulumi.export("reviewsBackups", listed.apply(len))
