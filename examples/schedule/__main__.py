"""Schedule: Pinecone backs an index up every day and deletes each backup after a week.

    pulumi stack init dev
    pulumi config set indexName <your-index>
    pulumi config set --secret pinecone:apiKey <your-key>   # or export PINECONE_API_KEY
    pulumi preview
    pulumi up

Optional config: frequency (daily, weekly or monthly), retentionDays (7) and enabled (true):
changing them changes the schedule in place; `enabled false` pauses it, and `enabled true`
again makes a backup at once. scheduleName (unset: an automatic one) names the schedule and
starts the name of every backup it makes; changing it, or indexName, replaces the schedule.
`pulumi destroy` deletes the schedule and keeps its backups, which Pinecone still deletes
once their retention days are over.
"""

import pulumi

from pinecone_backup import BackupSchedule, latest_scheduled_backup_output

config = pulumi.Config()
enabled = config.get_bool("enabled")

schedule = BackupSchedule(
    "nightly",
    index_name=config.require("indexName"),
    name=config.get("scheduleName"),
    frequency=config.get("frequency") or "daily",
    retention_days=config.get_int("retentionDays") or 7,
    enabled=True if enabled is None else enabled,
)

# What the schedule has made so far: nothing right after it is created (the first run is at
# the service's hour), then the newest Ready backup, which e.g. an IndexFromBackup could restore.
latest = latest_scheduled_backup_output(schedule.index_name, schedule.name)

pulumi.export("schedule_id", schedule.schedule_id)
pulumi.export("schedule_name", schedule.name)
pulumi.export("frequency", schedule.frequency)
pulumi.export("next_scheduled_run", schedule.next_scheduled_run)
pulumi.export("latest_backup_id", latest.apply(lambda backup: backup.backup_id if backup else None))
pulumi.export("latest_backup_name", latest.apply(lambda backup: backup.name if backup else None))
