"""The status values of Pinecone's objects, as the live service reports them (the spec has no enums).

Apart from the models so that the providers can compare statuses without loading pydantic.
"""


class BackupStatus:
    """Backup status values seen on the live service (the spec has no enum)."""

    INITIALIZING = "Initializing"
    PENDING = "Pending"
    READY = "Ready"
    FAILED = "Failed"


class RestoreJobStatus:
    """Restore-job status values seen on the live service."""

    PENDING = "Pending"
    RUNNING = "Running"
    COMPLETED = "Completed"
    FAILED = "Failed"
