import pulumi

from pinecone_backup import get_backup, get_backup_output

# A plain id: the backup itself.
found = get_backup(pulumi.Config().require("backupId"))
pulumi.export("recordCount", found.record_count)

# An id known during the deployment, here another stack's output: an Output of the backup.
shared = get_backup_output(pulumi.StackReference("acme/backups/prod").require_output("backupId"))
pulumi.export("sharedStatus", shared.apply(lambda backup: backup.status))
