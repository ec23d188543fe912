"""Where the provider process finds its API key, and the one client it shares across threads.

Nothing here is ever pickled: the key and the client live in this module of the provider
process (the dynamic-provider host, or the plugin), filled by `configure()` and built on first use.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Any

from pinecone_backup.errors import PineconeError

if TYPE_CHECKING:
    from pinecone_backup.api.client import PineconeClient

API_KEY_CONFIG = "pinecone:apiKey"
API_KEY_ENV = "PINECONE_API_KEY"

PLAINTEXT_KEY_WARNING = (
    f"The stack config `{API_KEY_CONFIG}` is stored in plain text, and Pulumi copies the stack config into "
    f"the state. Store it encrypted: `pulumi config set --secret {API_KEY_CONFIG} <key>`, or drop it and set "
    f"{API_KEY_ENV} in the environment."
)

_lock = threading.Lock()
_configured_key: str | None = None
_clients: dict[tuple[str, str], PineconeClient] = {}
_warned = False


class MissingApiKeyError(PineconeError):
    def __init__(self) -> None:
        super().__init__(
            f"No Pinecone API key. Set the stack config `{API_KEY_CONFIG}` "
            f"(pulumi config set --secret {API_KEY_CONFIG} <key>) or the environment variable {API_KEY_ENV}."
        )


def configure(key: Any) -> None:
    """Remember the key the stack config (or the plugin's provider config) gave; None: none."""
    global _configured_key
    with _lock:
        _configured_key = str(key) if key else None


def warn_if_plaintext_key() -> None:
    """In a Pulumi program: warn, once per program, when `pinecone:apiKey` is set without `--secret`.

    Only the program can tell: the engine hands the provider host the config decrypted. The
    warning names the fix and never the key.
    """
    global _warned
    import pulumi
    import pulumi.runtime

    with _lock:
        if _warned or pulumi.runtime.get_config(API_KEY_CONFIG) is None:
            return
        if pulumi.runtime.is_config_secret(API_KEY_CONFIG):
            return
        _warned = True
    pulumi.log.warn(PLAINTEXT_KEY_WARNING)


def api_key() -> str:
    """The stack config's key, else $PINECONE_API_KEY; a clear error when neither is set."""
    key = _configured_key or os.environ.get(API_KEY_ENV)
    if not key:
        raise MissingApiKeyError()
    return key


def client() -> PineconeClient:
    """The shared client for the current key and host, built on first use."""
    from pinecone_backup.api.client import PineconeClient, resolve_host  # httpx and pydantic: only when needed

    key, host = api_key(), resolve_host()
    with _lock:
        existing = _clients.get((key, host))
        if existing is None:
            existing = _clients[(key, host)] = PineconeClient(key, host=host)
        return existing


def reset() -> None:
    """Forget the configured key and close every client, and warn again (tests, and between stacks)."""
    global _configured_key, _warned
    with _lock:
        _configured_key = None
        _warned = False
        for shared in _clients.values():
            shared.close()
        _clients.clear()
