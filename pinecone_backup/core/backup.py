"""A backup of a Pinecone serverless index: its fields, once, and its lifecycle, for both faces."""

from __future__ import annotations

import functools
import random
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from pinecone_backup.core import credentials, polling, rules
from pinecone_backup.core.fields import Output, Role, declare, is_unknown
from pinecone_backup.core.identity import AutoNamed, NamingLifecycle
from pinecone_backup.core.lifecycle import Diff, Found, Made, WaitSettings, cleaned_up
from pinecone_backup.core.polling import WaitCancelledError, report
from pinecone_backup.core.watch import wait_until_ready
from pinecone_backup.errors import (
    InvalidRequestError,
    NotFoundError,
    PineconeError,
    PreconditionFailedError,
    ServerError,
    TransportError,
)
from pinecone_backup.statuses import BackupStatus

if TYPE_CHECKING:
    from pinecone_backup.api.client import PineconeClient
    from pinecone_backup.api.models import Backup as BackupModel


CREATE_ATTEMPTS = 3
CLOCK_SKEW = timedelta(minutes=1)


@dataclass(frozen=True)
class BackupInputs(WaitSettings, AutoNamed):
    index_name: str = field(
        metadata=declare(Role.REPLACE, f"the serverless index to back up: {rules.INDEX_NAME_RULE}", rules.index_name)
    )
    name: str | None = field(
        default=None,
        metadata=declare(
            Role.REPLACE,
            f"the backup's own name in Pinecone: {rules.INDEX_NAME_RULE}; unset: the resource name and 8 hex digits",
            rules.backup_name,
        ),
    )
    description: str | None = field(
        default=None, metadata=declare(Role.REPLACE, "the backup's description", rules.string)
    )
    triggers: Any = field(
        default=None,
        metadata=declare(
            Role.REPLACE,
            "any values (a list or a map); a change of them replaces the backup: a fresh backup whenever, "
            "say, the migration version changes",
            rules.list_or_map,
        ),
    )
    # From `ResourceOptions(import_=...)`: adopt this backup instead of creating one. Never diffed,
    # so dropping `import_` from the program after the adoption (as Pulumi advises) changes nothing.
    import_id: str | None = field(
        default=None, metadata=declare(Role.HIDDEN, "the backup `import_` adopts", rules.backup_id)
    )


BACKUP_OUTPUTS = (
    Output("backup_id", "Pinecone's id of the backup; also the resource's id"),
    Output("status", "`Ready` once the backup is usable (`Initializing` with `wait_for_ready=False`)"),
    Output("record_count", "records in the backup (null until `Ready`)", int),
    Output("size_bytes", "the backup's size in bytes (null until `Ready`)", int),
    Output("namespace_count", "namespaces in the backup", int),
    Output("dimension", "the vectors' dimension", int),
    Output("metric", "the index's similarity metric"),
    Output("cloud", "the cloud the backup is stored in"),
    Output("region", "the region the backup is stored in"),
    Output("source_index_id", "the id of the index backed up"),
    Output("source_index_name", "the name of the index backed up"),
    Output("created_at", "when the backup was made (RFC 3339)"),
    Output("tags", "the backup's tags, as Pinecone reports them", dict),
)


class BackupLifecycle(NamingLifecycle):
    """Creates, reads and deletes backups; any change of what a backup is made of replaces it."""

    summary = (
        "A backup of a Pinecone serverless index. Backups are immutable: a change of `index_name`, "
        "`name`, `description` or `triggers` replaces it (the new backup is made before the old one is deleted)."
    )
    inputs = BackupInputs
    outputs = BACKUP_OUTPUTS

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> Diff:
        """Besides changed inputs: a backup that ended Failed is replaced, and one recorded before it
        was Ready (a cancelled `up`) is updated, which waits for it, when the program waits; if it
        is gone by now, it is replaced (made again).

        Gone, because a provider whose engine died after a cancel deletes what it made under a
        name that proves nothing (`polling.delete_unrecorded`): had the engine recorded it after
        all, only this look (one GET, for such backups alone) makes the next `up` whole again."""
        diff = super().diff(id_, olds, news)
        if diff.replaces or is_unknown(news.get("wait_for_ready")):
            return diff
        status = olds.get("status")
        if status in BackupStatus.FAILED_ANY:
            return Diff(True, ["status"])
        if status not in (None, BackupStatus.READY) and news.get("wait_for_ready") is not False:
            return Diff(True, [] if _exists(id_) else ["status"])
        return diff

    def create(self, props: dict[str, Any]) -> Made:
        inputs = BackupInputs.from_props(props)
        client = credentials.client()
        if inputs.import_id:
            return _adopt(client, inputs)
        backup = _left_by_an_interrupted_run(client, inputs) if inputs.has_proven_name else None
        if backup is None:
            backup = _post_backup(client, inputs)
            report(f"Created: backup {backup.backup_id} of {inputs.index_name}")
        if inputs.wait_for_ready:
            backup = _wait_or_clean_up(client, inputs, backup)
        if not inputs.has_proven_name:
            what = f"backup {backup.backup_id} ({inputs.name}) of {inputs.index_name}"
            polling.unless_recorded(what, functools.partial(client.delete_backup, backup.backup_id))
        return Made(backup.backup_id, _outputs(inputs, backup))

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        """Wait for a backup recorded before it was Ready. Not ours to delete if that fails: the
        backup stays in state, and the next `up` replaces it if it ended Failed."""
        inputs = BackupInputs.from_props(news)
        client = credentials.client()
        try:
            found = client.describe_backup(id_)
        except NotFoundError:
            raise PineconeError(
                f"backup {id_} of {inputs.index_name}, recorded before it was Ready, no longer exists (deleted "
                "outside Pulumi, or by the provider of a run whose engine died before it recorded it). Run "
                "`pulumi refresh` to drop it from the stack; the next `pulumi up` makes it again."
            ) from None
        backup = _record_if_cancelled(lambda: wait_until_ready(client, found, inputs.schedule))
        return _outputs(inputs, backup)

    def read(self, id_: str, props: dict[str, Any]) -> Found:
        try:
            backup = credentials.client().describe_backup(id_)
        except NotFoundError:
            return Found("", {})  # deleted outside Pulumi: refresh drops it
        return Found(backup.backup_id, _outputs(_inputs_of(backup, props), backup))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        try:
            credentials.client().delete_backup(id_)
        except NotFoundError:
            return  # already gone: that is what we wanted
        except PreconditionFailedError as exc:
            raise PineconeError(
                f"backup {id_} cannot be deleted while a restore from it is pending ({exc.message}). "
                "Wait for the restore job to finish, then run the command again."
            ) from None


def _exists(backup_id: str) -> bool:
    try:
        credentials.client().describe_backup(backup_id)
    except NotFoundError:
        return False
    return True


def _wait_or_clean_up(client: PineconeClient, inputs: BackupInputs, backup: BackupModel) -> BackupModel:
    """Wait for Ready. Cancelled: record the backup as it is. Anything else: delete it, since a
    failed create cannot be recorded, and say so. With the engine killed, nothing can be
    recorded: a backup with a proven name stays for the next `up` to adopt; any other is deleted."""
    delete = functools.partial(client.delete_backup, backup.backup_id)
    with polling.busy():  # a host whose engine is gone exits only once this is settled
        try:
            recorded = _record_if_cancelled(lambda: wait_until_ready(client, backup, inputs.schedule))
        except Exception as exc:  # whatever failed, the backup must not be left unknown
            raise cleaned_up(delete, f"backup {backup.backup_id}", exc) from None
        if polling.ENGINE_GONE.is_set() and not inputs.has_proven_name:
            raise cleaned_up(delete, f"backup {backup.backup_id}", PineconeError("the engine is gone"))
        return recorded


def _record_if_cancelled(wait: Callable[[], BackupModel]) -> BackupModel:
    try:
        return wait()
    except WaitCancelledError as cancelled:
        backup: BackupModel = cancelled.current
        report(
            f"Recorded as {backup.status}: backup {backup.backup_id} of {backup.source_index_name} (cancelled); "
            "the next `pulumi up` waits for it"
        )
        return backup


def _left_by_an_interrupted_run(client: PineconeClient, inputs: BackupInputs) -> BackupModel | None:
    """A backup with this resource's proven name: made by an `up` that was killed before it could
    record it. Adopt it (or, if it ended Failed, delete it and start again)."""
    found = None
    for backup in _made_before_this_run(client, inputs.index_name).get(inputs.name, []):
        if backup.is_failed:
            client.delete_backup(backup.backup_id)
        elif found is None:
            found = backup
            report(f"Adopted: backup {backup.backup_id} of {inputs.index_name}, made by an interrupted run")
    return found


# An index's backups by name, listed once per provider process (per client): a backup an
# interrupted run left was made before this `up` began (the stack's lock keeps `up`s apart), so
# one listing serves every create of the index in this `up`, not one listing per backup.
_earlier: weakref.WeakKeyDictionary[PineconeClient, dict[str, dict[str | None, list[BackupModel]]]] = (
    weakref.WeakKeyDictionary()
)
_earlier_lock = threading.Lock()


def _made_before_this_run(client: PineconeClient, index_name: str) -> dict[str | None, list[BackupModel]]:
    with _earlier_lock:  # held while listing: creates arriving together wait for the one listing
        by_index = _earlier.setdefault(client, {})
        if index_name not in by_index:
            by_name: dict[str | None, list[BackupModel]] = {}
            for backup in client.list_backups(index_name):
                by_name.setdefault(backup.name, []).append(backup)
            by_index[index_name] = by_name
        return by_index[index_name]


def _named(client: PineconeClient, inputs: BackupInputs) -> list[BackupModel]:
    return [backup for backup in client.list_backups(inputs.index_name) if backup.name == inputs.name]


def _outputs(inputs: BackupInputs, backup: BackupModel) -> dict[str, Any]:
    return {**inputs.to_props(), **{output.name: getattr(backup, output.name) for output in BACKUP_OUTPUTS}}


def _inputs_of(backup: BackupModel, props: dict[str, Any]) -> BackupInputs:
    """The inputs a read reports: those in state, else (Backup.get) the backup's own."""
    if props.get("index_name"):
        return BackupInputs.from_props(props)
    return BackupInputs.from_props(
        {**props, "index_name": backup.source_index_name, "name": backup.name, "description": backup.description}
    )


def _adopt(client: PineconeClient, inputs: BackupInputs) -> Made:
    """`import_`: take an existing backup under management, if it is the one the program describes."""
    assert inputs.import_id is not None
    try:
        backup = client.describe_backup(inputs.import_id)
    except NotFoundError:
        raise PineconeError(f"import_: no backup with id {inputs.import_id!r} in this project") from None
    expected = {"index_name": inputs.index_name, "name": inputs.name, "description": inputs.description}
    actual = {"index_name": backup.source_index_name, "name": backup.name, "description": backup.description}
    mismatched = [key for key, value in expected.items() if value is not None and value != actual[key]]
    if mismatched:
        details = "; ".join(f"{key} is {actual[key]!r}, the program says {expected[key]!r}" for key in mismatched)
        raise PineconeError(
            f"import_: backup {backup.backup_id} does not match the program ({details}). "
            "Make the program's inputs match the backup, then run the command again."
        )
    report(f"Adopted: backup {backup.backup_id} of {backup.source_index_name}")
    if inputs.wait_for_ready:
        # Not ours to delete if the wait fails: it existed before this stack.
        backup = wait_until_ready(client, backup, inputs.schedule)
    return Made(backup.backup_id, _outputs(inputs, backup))


def _post_backup(client: PineconeClient, inputs: BackupInputs) -> BackupModel:
    """POST the backup exactly once in effect, even when an answer is lost.

    A 5xx or a dropped connection after the request was sent may hide a backup that was
    created. With the automatic name, a backup so named is ours: adopt it. With a name the
    program chose, another stack may use it too, so a backup of that name made meanwhile is
    never adopted on a guess: the error names it.
    """
    since = datetime.now(timezone.utc) - CLOCK_SKEW
    attempt = 1
    while True:
        try:
            return client.create_backup(inputs.index_name, name=inputs.name, description=inputs.description)
        except NotFoundError:
            raise _explain_missing_index(client, inputs.index_name) from None
        except InvalidRequestError as exc:
            raise _explain_rejected_index(client, inputs.index_name, exc) from None
        except (ServerError, TransportError) as exc:
            lost = _lost_backup(client, inputs, since, exc)
            if lost is not None:
                report(f"Adopted: backup {lost.backup_id}, whose create answer was lost ({exc})")
                return lost
            if attempt == CREATE_ATTEMPTS:
                raise
            time.sleep(random.uniform(0.5, 1.0) * 2**attempt)
            attempt += 1


def _lost_backup(
    client: PineconeClient, inputs: BackupInputs, since: datetime, error: PineconeError
) -> BackupModel | None:
    named = _named(client, inputs) if inputs.name is not None else []
    if inputs.has_proven_name:
        return named[0] if named else None
    recent = [backup for backup in named if backup.created_time is not None and backup.created_time >= since]
    if recent:
        ids = ", ".join(backup.backup_id for backup in recent)
        raise PineconeError(
            f"the answer to creating backup {inputs.name!r} of index {inputs.index_name} was lost ({error}), and "
            f"backups so named were made meanwhile ({ids}). A name the program chose does not prove which is "
            "this stack's: adopt one with `import_`, or delete them, then run the command again. Leave `name` "
            "unset and the automatic name proves it."
        )
    return None


def _explain_missing_index(client: PineconeClient, index_name: str) -> PineconeError:
    return PineconeError(
        f"index_name: no index named {index_name!r} in this Pinecone project "
        f"(at {client.host}). Create it first, or check the name and the API key's project."
    )


def _explain_rejected_index(client: PineconeClient, index_name: str, error: InvalidRequestError) -> PineconeError:
    try:
        index = client.describe_index(index_name)
    except PineconeError:
        return error
    if not index.is_serverless:
        return PineconeError(f"index_name: {index_name!r} is not a serverless index; Pinecone backs up serverless only")
    return error
