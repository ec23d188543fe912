"""Every error this package raises; API errors are typed by status and built from the response.

Every API error carries the HTTP status, Pinecone's error code and message. None of them
ever holds the API key: messages are scrubbed before an exception is built. This module
loads no HTTP library, so the provider host can catch these errors before any call is made.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx


class PineconeError(Exception):
    """Base class of every error this package raises."""


class ApiError(PineconeError):
    """The control plane answered with an error status."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        method: str = "",
        path: str = "",
        retry_after: float | None = None,
    ) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.method = method
        self.path = path
        self.retry_after = retry_after  # seconds, from a Retry-After header
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.method} {self.path} " if self.method else ""
        return f"{where}failed with HTTP {self.status} {self.code}: {self.message}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status}, code={self.code!r}, message={self.message!r})"


class InvalidRequestError(ApiError):
    """400 or 422: the request was malformed or had invalid values."""


class UnauthorizedError(ApiError):
    """401: the API key is missing or invalid."""


class ForbiddenError(ApiError):
    """403: a quota is exceeded, deletion protection is on, or the key lacks permission."""


class NotFoundError(ApiError):
    """404: the index, backup or restore job does not exist."""


class AlreadyExistsError(ApiError):
    """409: a resource with that name already exists."""


class PreconditionFailedError(ApiError):
    """412: the operation conflicts with work in progress (e.g. a pending restore)."""


class RateLimitedError(ApiError):
    """429 after every retry was spent."""


class ServerError(ApiError):
    """5xx after every retry was spent."""


class TransportError(PineconeError):
    """The request never got an answer: timeout or dropped connection, after retries."""


# Errors that say nothing about the object asked for: the same call may well succeed later.
TRANSIENT_ERRORS: tuple[type[PineconeError], ...] = (RateLimitedError, ServerError, TransportError)


_ERRORS_BY_STATUS: dict[int, type[ApiError]] = {
    400: InvalidRequestError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
    409: AlreadyExistsError,
    412: PreconditionFailedError,
    422: InvalidRequestError,
    429: RateLimitedError,
}


def error_class_for(status: int) -> type[ApiError]:
    if status >= 500:
        return ServerError
    return _ERRORS_BY_STATUS.get(status, ApiError)


def error_from_response(response: httpx.Response, *, secret: str = "") -> ApiError:
    """Build the typed error for an error response; a non-JSON body still gives a clear message."""
    code, message = _code_and_message(response)
    if secret:
        message = message.replace(secret, "***")
    cls = error_class_for(response.status_code)
    return cls(
        response.status_code,
        code,
        message,
        method=response.request.method,
        path=response.request.url.path,
        retry_after=_seconds(response.headers.get("Retry-After")),
    )


def _seconds(retry_after: str | None) -> float | None:
    """Retry-After in seconds when given as a number (the form Pinecone uses)."""
    try:
        return float(retry_after) if retry_after else None
    except ValueError:
        return None


def _code_and_message(response: httpx.Response) -> tuple[str, str]:
    fallback_code = f"HTTP_{response.status_code}"
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        text = response.text.strip()[:200]
        return fallback_code, text or response.reason_phrase or "no response body"
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        return str(error.get("code") or fallback_code), str(error.get("message") or response.reason_phrase)
    return fallback_code, json.dumps(body)[:200]
