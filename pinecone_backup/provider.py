"""The lifecycle of a backup: check, diff, create, read, update, delete.

An instance is pickled into the stack's state and unpickled in the provider process, so
it carries nothing: the key and the client come from `pinecone_backup.credentials`.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from pulumi.dynamic import (
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
)

from pinecone_backup import credentials, host
from pinecone_backup.api.errors import (
    InvalidRequestError,
    NotFoundError,
    PineconeError,
    PreconditionFailedError,
    ServerError,
    TransportError,
)
from pinecone_backup.inputs import BACKUP_INPUTS, BackupInputs, check_inputs, is_unknown
from pinecone_backup.polling import PollSchedule, report, wait_until_ready

if TYPE_CHECKING:
    from pinecone_backup.api.client import PineconeClient
    from pinecone_backup.api.models import Backup

# Fields of the backup object exported as outputs besides the inputs.
BACKUP_OUTPUTS = (
    "backup_id",
    "status",
    "record_count",
    "size_bytes",
    "namespace_count",
    "dimension",
    "metric",
    "cloud",
    "region",
    "source_index_id",
    "source_index_name",
    "created_at",
    "tags",
)
CREATE_ATTEMPTS = 3
CLOCK_SKEW = timedelta(minutes=1)


class PineconeProvider(ResourceProvider):
    """What every provider of this package shares: nothing on the instance, credentials per process."""

    serialize_as_secret_always = False  # it captures nothing secret, so state stays readable

    def configure(self, req: ConfigureRequest) -> None:
        """Runs in the provider host only, once per unpickled provider."""
        credentials.configure(req.config)
        host.widen_host_pool()


class BackupProvider(PineconeProvider):
    """Pinecone backups as a Pulumi dynamic provider. Stateless by design: see module doc."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        return CheckResult(BackupInputs.with_defaults(news), check_inputs(news))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Only what the backup is made of counts. Wait settings are read by `create` alone, so a
        change of them is no change: reported as an update, the engine would preview this backup's
        outputs as unknown and every dependent (a restore of it) as a replacement."""
        replaces = [key for key in BACKUP_INPUTS if changed(olds, news, key)]
        return DiffResult(changes=bool(replaces), replaces=replaces, delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        inputs = BackupInputs.from_props(props)
        client = credentials.client()
        if inputs.import_id:
            return _adopt(client, inputs)
        backup = _post_backup(client, inputs)
        report(f"Created: backup {backup.backup_id} of {inputs.index_name}")
        if inputs.wait_for_ready:
            try:
                backup = wait_until_ready(client, backup, PollSchedule(inputs.poll_interval, inputs.ready_timeout))
            except PineconeError as exc:
                delete = functools.partial(client.delete_backup, backup.backup_id)
                raise cleaned_up(delete, f"backup {backup.backup_id}", exc) from None
        return CreateResult(backup.backup_id, _outputs(inputs, backup))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        try:
            backup = credentials.client().describe_backup(id_)
        except NotFoundError:
            return ReadResult("", {})  # deleted outside Pulumi: refresh drops it
        inputs = _inputs_of(backup, props)
        return ReadResult(backup.backup_id, _outputs(inputs, backup))

    def delete(self, id_: str, _props: dict[str, Any]) -> None:
        try:
            credentials.client().delete_backup(id_)
        except NotFoundError:
            return  # already gone: that is what we wanted
        except PreconditionFailedError as exc:
            raise PineconeError(
                f"backup {id_} cannot be deleted while a restore from it is pending ({exc.message}). "
                "Wait for the restore job to finish, then run the command again."
            ) from None


def changed(olds: dict[str, Any], news: dict[str, Any], key: str) -> bool:
    """Whether `key` differs; a value not known until `up` may differ, so it counts."""
    return is_unknown(news.get(key)) or olds.get(key) != news.get(key)


def _outputs(inputs: BackupInputs, backup: Backup) -> dict[str, Any]:
    return {**inputs.to_props(), **{key: getattr(backup, key) for key in BACKUP_OUTPUTS}}


def _inputs_of(backup: Backup, props: dict[str, Any]) -> BackupInputs:
    """The inputs a read reports: those in state, else (Backup.get) the backup's own."""
    if props.get("index_name"):
        return BackupInputs.from_props(props)
    return BackupInputs.from_props(
        {**props, "index_name": backup.source_index_name, "name": backup.name, "description": backup.description}
    )


def _adopt(client: PineconeClient, inputs: BackupInputs) -> CreateResult:
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
        backup = wait_until_ready(client, backup, PollSchedule(inputs.poll_interval, inputs.ready_timeout))
    return CreateResult(backup.backup_id, _outputs(inputs, backup))


def _post_backup(client: PineconeClient, inputs: BackupInputs) -> Backup:
    """POST the backup exactly once in effect, even when an answer is lost.

    A 5xx or a dropped connection after the request was sent may hide a backup that was
    created: look for it before trying again, and adopt it if it is there.
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
            adopted = _find_lost_backup(client, inputs, since)
            if adopted is not None:
                report(f"Adopted: backup {adopted.backup_id}, whose create answer was lost ({exc})")
                return adopted
            if attempt == CREATE_ATTEMPTS:
                raise
            time.sleep(random.uniform(0.5, 1.0) * 2**attempt)
            attempt += 1


def _find_lost_backup(client: PineconeClient, inputs: BackupInputs, since: datetime) -> Backup | None:
    matches = [
        backup
        for backup in client.list_backups(inputs.index_name)
        if backup.name == inputs.name
        and backup.description == inputs.description
        and backup.created_time is not None
        and backup.created_time >= since
    ]
    if len(matches) > 1:
        ids = ", ".join(backup.backup_id for backup in matches)
        raise PineconeError(
            f"a create answer was lost and several backups of index {inputs.index_name} match it ({ids}); "
            "delete the ones you do not want, then run the command again"
        )
    return matches[0] if matches else None


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


def cleaned_up(delete: Callable[[], None], what: str, error: PineconeError) -> PineconeError:
    """Delete `what` a failed create made (Pulumi cannot record it) and say so in the error."""
    try:
        delete()
    except NotFoundError:
        pass
    except PineconeError as delete_error:
        return PineconeError(
            f"{error}. It could not be deleted ({delete_error}): delete {what} by hand, "
            "or it stays in the project unknown to Pulumi."
        )
    return PineconeError(f"{error}. The {what} was deleted so that nothing is left behind; run the command again.")
