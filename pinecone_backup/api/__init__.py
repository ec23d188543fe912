"""The wire: a typed client for Pinecone's control-plane API, and the models it returns.

Importing this loads httpx and pydantic; the providers import it only when they make a call,
so previews (which make none) start fast. The errors live in `pinecone_backup.errors` and are
re-exported here for the client's users.
"""

from pinecone_backup.api.client import API_VERSION, DEFAULT_HOST, HOST_ENV_VAR, PineconeClient, resolve_host
from pinecone_backup.api.models import (
    Backup,
    BackupList,
    BackupSchedule,
    Index,
    IndexFromBackupStarted,
    RestoreJob,
    ScheduledRun,
)
from pinecone_backup.errors import (
    AlreadyExistsError,
    ApiError,
    ForbiddenError,
    InvalidRequestError,
    NotFoundError,
    PineconeError,
    PreconditionFailedError,
    RateLimitedError,
    ServerError,
    TransportError,
    UnauthorizedError,
)
from pinecone_backup.statuses import BackupStatus, RestoreJobStatus

__all__ = [
    "API_VERSION",
    "DEFAULT_HOST",
    "HOST_ENV_VAR",
    "AlreadyExistsError",
    "ApiError",
    "Backup",
    "BackupList",
    "BackupSchedule",
    "BackupStatus",
    "ForbiddenError",
    "Index",
    "IndexFromBackupStarted",
    "InvalidRequestError",
    "NotFoundError",
    "PineconeClient",
    "PineconeError",
    "PreconditionFailedError",
    "RateLimitedError",
    "RestoreJob",
    "RestoreJobStatus",
    "ScheduledRun",
    "ServerError",
    "TransportError",
    "UnauthorizedError",
    "resolve_host",
]
