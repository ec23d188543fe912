"""The wire: a typed client for Pinecone's control-plane API.

Names resolve on first use (PEP 562): the provider host imports this package when it
unpickles a provider, and previews, which make no API call, need not load httpx or pydantic.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
    from pinecone_backup.api.models import (
        Backup,
        BackupList,
        BackupStatus,
        Index,
        IndexFromBackupStarted,
        RestoreJob,
        RestoreJobStatus,
    )

_CLIENT = ["API_VERSION", "DEFAULT_HOST", "HOST_ENV_VAR", "PineconeClient", "resolve_host"]
_MODELS = ["Backup", "BackupList", "BackupStatus", "Index", "IndexFromBackupStarted", "RestoreJob", "RestoreJobStatus"]
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
    "IndexFromBackupStarted",
    "InvalidRequestError",
    "NotFoundError",
    "PineconeClient",
    "PineconeError",
    "PreconditionFailedError",
    "RateLimitedError",
    "RestoreJob",
    "RestoreJobStatus",
    "ServerError",
    "TransportError",
    "UnauthorizedError",
    "resolve_host",
]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = "client" if name in _CLIENT else "models" if name in _MODELS else "errors"
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
