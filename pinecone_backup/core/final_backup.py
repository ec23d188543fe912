"""A final backup of an index about to be deleted: the step both faces run before the delete
(the Python program's resource hook, `pinecone_backup.final_backup`, and the plugin's
`makeFinalBackup` function, which a hook in any language calls).

The index must not go unless its data is kept: the backup is made and waited for until Ready
(the waits, progress lines and timeout of `Backup`, and its cancellation where the process hears
the engine's Cancel: the plugin), and anything else (the index refused, the backup Failed, the
timeout, a cancel) raises, which stops the delete. An index already gone has nothing left to
keep: no backup, no error.

Final backups are named `final-<index name>-<YYYYMMDDHHMMSS>` (UTC; the index name cut to fit
Pinecone's 45 characters), so that they can be found after the index is gone: `final_backups`
lists them, newest first, from the project's backups (an index's own listing ends with it).
"""

from __future__ import annotations

import functools
import re
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from pinecone_backup.core import rules
from pinecone_backup.core.lifecycle import cleaned_up
from pinecone_backup.core.polling import PollSchedule, WaitCancelledError, report
from pinecone_backup.core.watch import wait_until_ready
from pinecone_backup.errors import NotFoundError, PineconeError, ServerError, TransportError

if TYPE_CHECKING:
    from pinecone_backup.api.client import PineconeClient
    from pinecone_backup.api.models import Backup

PREFIX = "final-"
STAMP = "%Y%m%d%H%M%S"
STAMP_LENGTH = 14
# The index name's share of a final backup's name: "final-" + it + "-" + the stamp = 45 at most.
INDEX_PART = rules.BACKUP_NAME_LENGTH - len(PREFIX) - 1 - STAMP_LENGTH
REASONS = ("replaced", "removed", "destroyed", "deleted")
DESCRIPTION_LENGTH = 250  # Pinecone's descriptions are short texts; keep well within them


def name_for(index_name: str, now: datetime) -> str:
    """`final-products-20261207051500`: the index (cut to fit) and when, to the second, UTC."""
    return f"{_name_part(index_name)}-{now.astimezone(timezone.utc).strftime(STAMP)}"


def _name_part(index_name: str) -> str:
    return f"{PREFIX}{index_name[:INDEX_PART].rstrip('-')}"


def describe(index_name: str, reason: str, urn: str | None) -> str:
    """Which index, why, and which resource of which stack: read from the resource's URN
    (`urn:pulumi:<stack>::<project>::<type>::<name>`)."""
    text = f"Final backup of index {index_name} before it was {reason}"
    parts = (urn or "").removeprefix("urn:pulumi:").split("::")
    if len(parts) >= 4:
        stack, project, type_, name = parts[0], parts[1], parts[2].rsplit("$", 1)[-1], "::".join(parts[3:])
        text += f": resource {name} ({type_}) of stack {project}/{stack}"
    return text[:DESCRIPTION_LENGTH]


def final_backups(client: PineconeClient, index_name: str, status: str | None = "Ready") -> list[Backup]:
    """The final backups of an index, newest first, optionally of a status (None: any). Listed
    from the project's backups: the index itself may be gone."""
    pattern = re.compile(re.escape(_name_part(index_name)) + rf"-(\d{{{STAMP_LENGTH}}})")
    found = [
        (match.group(1), backup)
        for backup in client.list_backups(None)
        if backup.source_index_name == index_name
        and (match := pattern.fullmatch(backup.name or ""))
        and (status is None or backup.status == status)
    ]
    return [backup for _, backup in sorted(found, key=lambda item: item[0], reverse=True)]


def take(
    client: PineconeClient,
    index_name: str,
    *,
    reason: str = "deleted",
    urn: str | None = None,
    keep: int | None = None,
    schedule: PollSchedule,
) -> Backup | None:
    """Back the index up and wait until the backup is Ready; None if the index is already gone.

    Raises (so that the index is not deleted) when the backup cannot be made or is not Ready in
    time. With `keep`, the older final backups of the index beyond the newest `keep` are then
    deleted; a failure to delete one is reported, not raised: the new backup is what matters."""
    if reason not in REASONS:
        raise PineconeError(f"reason: {reason!r} is none of {', '.join(REASONS)}")
    if keep is not None and keep < 1:
        raise PineconeError(f"keep: {keep!r} must be a whole number of at least 1 (the final backup just made)")
    name = name_for(index_name, datetime.now(timezone.utc))
    what = f"final backup {name} of index {index_name}"
    backup = _create(client, index_name, name, describe(index_name, reason, urn), what)
    if backup is None:
        report(f"Gone already: index {index_name}, no final backup needed")
        return None
    report(f"Created: {what} ({backup.backup_id}), before the index is {reason}")
    try:
        backup = wait_until_ready(client, backup, schedule)
    except WaitCancelledError as cancelled:
        raise PineconeError(
            f"cancelled while waiting for {what} ({cancelled.current.status}): the index was not deleted. "
            f"The backup ({backup.backup_id}) stays; the next run makes another before the index goes."
        ) from None
    except Exception as exc:  # Failed, the timeout, any error: a backup that is not Ready keeps nothing
        error = cleaned_up(functools.partial(client.delete_backup, backup.backup_id), what, exc)
        raise PineconeError(f"{error} The index {index_name} was not deleted: nothing is lost.") from None
    report(
        f"Kept: {what} ({backup.backup_id}, {backup.record_count} records); "
        f"restore it with IndexFromBackup(backup_id={backup.backup_id!r})"
    )
    if keep is not None:
        _keep_newest(client, index_name, keep, backup)
    return backup


def _create(client: PineconeClient, index_name: str, name: str, description: str, what: str) -> Backup | None:
    """POST the backup; None if the index is gone. A lost answer is settled by the name, which
    is this call's own (to the second)."""
    try:
        return client.create_backup(index_name, name=name, description=description)
    except NotFoundError:
        return None
    except (ServerError, TransportError) as exc:
        made = [backup for backup in client.list_backups(index_name) if backup.name == name]
        if made:
            return made[0]
        raise PineconeError(f"{what} could not be made ({exc}): the index was not deleted") from None
    except PineconeError as exc:
        raise PineconeError(f"{what} could not be made ({exc}): the index was not deleted") from None


def _keep_newest(client: PineconeClient, index_name: str, keep: int, newest: Backup) -> None:
    """Delete the index's final backups beyond the newest `keep` (any status), never `newest`."""
    older = [backup for backup in final_backups(client, index_name, None) if backup.backup_id != newest.backup_id]
    for backup in older[keep - 1 :]:
        try:
            client.delete_backup(backup.backup_id)
        except NotFoundError:
            continue
        except PineconeError as exc:
            report(f"Left: older final backup {backup.name} ({backup.backup_id}) of {index_name}: {exc}")
        else:
            report(f"Deleted: older final backup {backup.name} ({backup.backup_id}) of {index_name} (keep={keep})")
