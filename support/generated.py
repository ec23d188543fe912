"""What tells generated files from committed ones, for support.gen_sdks and support.gen_docs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

Content = TypeVar("Content", str, bytes)


def differences(fresh: Mapping[str, Content], committed: Mapping[str, Content]) -> list[str]:
    """Path by path (relative, `/`-separated): what generating would add, delete or change."""
    return sorted(
        [f"missing: {path}" for path in fresh.keys() - committed.keys()]
        + [f"not generated: {path}" for path in committed.keys() - fresh.keys()]
        + [f"differs: {path}" for path in fresh.keys() & committed.keys() if fresh[path] != committed[path]]
    )
