"""The emulator's one exception: an answer with the spec's error body (`ErrorResponse`)."""

from __future__ import annotations

UNPROCESSABLE_PREFIX = "Failed to deserialize the JSON body into the target type"
UNPARSABLE_PREFIX = "Failed to parse the request body as JSON"


class EmulatorError(Exception):
    """An error answered with the spec's error body: `{"error": {"code", "message"}, "status"}`."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def invalid(message: str) -> EmulatorError:
    """400: a value the service checks and refuses (the specs' "invalid request parameters")."""
    return EmulatorError(400, "INVALID_ARGUMENT", message)


def unparsable(detail: str) -> EmulatorError:
    """400: a body that is not JSON at all (bad syntax, not UTF-8, empty)."""
    return EmulatorError(400, "INVALID_ARGUMENT", f"{UNPARSABLE_PREFIX}: {detail}")


def unprocessable(detail: str) -> EmulatorError:
    """422: JSON that does not fit the request type (a wrong type, a missing or unknown field).

    The specs' 422: "Unprocessable entity. The request body could not be deserialized.", with
    the example "Failed to deserialize the JSON body into the target type: missing field `metric`".
    """
    return EmulatorError(422, "UNPROCESSABLE_ENTITY", f"{UNPROCESSABLE_PREFIX}: {detail}")


def not_found(kind: str, key: str) -> EmulatorError:
    """404 with the specs' message ("Index example-index not found.")."""
    return EmulatorError(404, "NOT_FOUND", f"{kind} {key} not found.")


def forbidden(message: str) -> EmulatorError:
    return EmulatorError(403, "FORBIDDEN", message)
