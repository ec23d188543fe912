"""The status values of Pinecone's objects, as the live service reports them (the spec has no enums).

Apart from the models so that the providers can compare statuses without loading pydantic.
"""


class BackupStatus:
    """Backup status values: seen on the live service (2025, no enum) and 2026-07's x-enum."""

    INITIALIZING = "Initializing"
    PENDING = "Pending"
    READY = "Ready"
    FAILED = "Failed"
    INITIALIZATION_FAILED = "InitializationFailed"  # 2026-07's name for Failed
    FAILED_ANY = (FAILED, INITIALIZATION_FAILED)


class RestoreJobStatus:
    """Restore-job status values: seen on the live service, and 2026-07's x-enum."""

    PENDING = "Pending"
    RUNNING = "Running"
    COMPLETED = "Completed"
    FAILED = "Failed"
    CANCELLED = "Cancelled"  # 2026-07
    FAILED_ANY = (FAILED, CANCELLED)
