"""The wire: a typed client for Pinecone's control-plane API."""

from pinecone_backup.api.client import API_VERSION, DEFAULT_HOST, HOST_ENV_VAR, PineconeClient, resolve_host
from pinecone_backup.api.errors import (
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
from pinecone_backup.api.models import Backup, BackupList, BackupStatus, Index

__all__ = [
    "API_VERSION",
    "DEFAULT_HOST",
    "HOST_ENV_VAR",
    "AlreadyExistsError",
    "ApiError",
    "Backup",
    "BackupList",
    "BackupStatus",
    "ForbiddenError",
    "Index",
    "InvalidRequestError",
    "NotFoundError",
    "PineconeClient",
    "PineconeError",
    "PreconditionFailedError",
    "RateLimitedError",
    "ServerError",
    "TransportError",
    "UnauthorizedError",
    "resolve_host",
]
