"""A new serverless index restored from a backup: its fields, once, and its lifecycle, for both faces."""

from __future__ import annotations

import contextlib
import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from pinecone_backup.core import credentials, polling, rules
from pinecone_backup.core.fields import Output, Role, declare, is_unknown
from pinecone_backup.core.identity import Owned
from pinecone_backup.core.lifecycle import Diff, Found, Lifecycle, Made, WaitSettings, cleaned_up
from pinecone_backup.core.polling import PollSchedule, WaitCancelledError, report, wait_until
from pinecone_backup.core.watch import wait_until_restored
from pinecone_backup.errors import (
    AlreadyExistsError,
    ForbiddenError,
    NotFoundError,
    PineconeError,
    PreconditionFailedError,
    ServerError,
    TransportError,
)
from pinecone_backup.statuses import RestoreJobStatus

if TYPE_CHECKING:
    from pinecone_backup.api.client import PineconeClient
    from pinecone_backup.api.models import Index, RestoreJob

CREATE_ATTEMPTS = 3
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
# The tag a restore puts on the index it makes: this resource's owner token (see `Owned`), the
# proof that an index found under the program's name is this stack's own. It is not the user's:
# left out of the `tags` a read reports, and never unset by a change of them.
OWNER_TAG = "pinecone-backup-owner"


@dataclass(frozen=True)
class IndexFromBackupInputs(WaitSettings, Owned):
    backup_id: str = field(
        metadata=declare(
            Role.REPLACE, "the backup to restore, typically `backup.backup_id` of a `Backup`", rules.backup_id
        )
    )
    name: str = field(
        metadata=declare(Role.REPLACE, f"the new index's name: {rules.INDEX_NAME_RULE}", rules.index_name)
    )
    tags: dict[str, str] | None = field(
        default=None,
        metadata=declare(
            Role.UPDATE,
            f"the new index's tags (at most {rules.MAX_TAGS - 1}: the restore adds `{OWNER_TAG}`, which proves "
            "which stack made the index); unset: the index keeps the tags it has, unmanaged",
            rules.index_tags(reserved=OWNER_TAG),
        ),
    )
    deletion_protection: str = field(
        default="disabled",
        metadata=declare(Role.UPDATE, "`enabled` or `disabled`", rules.one_of("enabled", "disabled")),
    )


RESTORE_OUTPUTS = (
    Output("restore_job_id", "the restore job that made the index"),
    Output("index_id", "Pinecone's id of the new index"),
    Output("restore_status", "`Completed` once the index is usable (with `wait_for_ready`)"),
    Output("percent_complete", "the restore job's progress", float),
    Output("completed_at", "when the restore job completed (RFC 3339)"),
)
INDEX_OUTPUTS = (
    Output("host", "the index's data-plane host"),
    Output("dimension", "the vectors' dimension", int),
    Output("metric", "the index's similarity metric"),
)


class IndexFromBackupLifecycle(Lifecycle):
    """A serverless index created from a backup. The resource id is the index name."""

    summary = (
        "A new serverless index restored from a backup; the resource id is the index name. Changing "
        "`backup_id` or `name` replaces it; `tags` and `deletion_protection` change in place."
    )
    inputs = IndexFromBackupInputs
    outputs = (*RESTORE_OUTPUTS, *INDEX_OUTPUTS)

    def differs(self, olds: dict[str, Any], news: dict[str, Any], key: str) -> bool:
        """`tags` unset: the index keeps the tags it has (a restore copies its backup's), unmanaged."""
        return not (key == "tags" and news.get("tags") is None) and super().differs(olds, news, key)

    def delete_before_replace(self, replaces: list[str]) -> bool:
        """Same name, new backup: the old index must go first, or the new one's name is taken."""
        return bool(replaces) and "name" not in replaces

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> Diff:
        """Besides changed inputs: an index whose restore ended Failed is replaced, and one recorded
        before its restore completed (a cancelled `up`) is updated, which waits for it, when the
        program waits."""
        diff = super().diff(id_, olds, news)
        if diff.replaces or is_unknown(news.get("wait_for_ready")):
            return diff
        status = olds.get("restore_status")
        if status in RestoreJobStatus.FAILED_ANY:
            return Diff(True, ["restore_status"], delete_before_replace=True)
        if _unfinished(olds) and news.get("wait_for_ready") is not False:
            return Diff(True)
        return diff

    def create(self, props: dict[str, Any]) -> Made:
        inputs = IndexFromBackupInputs.from_props(props)
        client = credentials.client()
        job_id, adopted = _start_restore(client, inputs)
        # The index exists from here on. Pulumi cannot record a create that fails, so whatever
        # goes wrong (an API error, a garbled answer, a bug) deletes it before the error is raised;
        # only a cancelled wait records it as it is, for the next `up` to finish.
        try:
            job = client.describe_restore_job(job_id)
            report(f"Restoring: backup {inputs.backup_id} into index {inputs.name} (restore job {job.restore_job_id})")
            if inputs.wait_for_ready:
                job, index = _wait_or_record(client, inputs, job)
            else:
                index = client.describe_index(inputs.name)
        except Exception as exc:
            error = cleaned_up(lambda: _force_delete_index(client, inputs.name), f"index {inputs.name}", exc)
            raise error from (None if isinstance(exc, PineconeError) else exc)
        if not adopted and inputs.owner_token is None:
            polling.unless_recorded(f"index {inputs.name}", lambda: _force_delete_index(client, inputs.name))
        return Made(inputs.name, _outputs(inputs, job, index, adopted=adopted))

    def read(self, id_: str, props: dict[str, Any]) -> Found:
        client = credentials.client()
        try:
            index = client.describe_index(id_)
        except NotFoundError:
            return Found("", {})  # deleted outside Pulumi: refresh drops it
        refreshed = {
            **props,
            "tags": _user_tags(index),
            "deletion_protection": index.deletion_protection or props.get("deletion_protection"),
            **{output.name: getattr(index, output.name) for output in INDEX_OUTPUTS},
        }
        if _unfinished(props):  # recorded mid-restore: how it went since
            with contextlib.suppress(NotFoundError):
                refreshed.update(_restore_outputs(client.describe_restore_job(props["restore_job_id"])))
        # What changed outside Pulumi (tags, deletion protection) becomes the recorded input too,
        # so the next preview shows `~ tags` back to the program's values, as a schedule's does.
        inputs = {key: refreshed[key] for key in IndexFromBackupInputs.names() if refreshed.get(key) is not None}
        return Found(id_, refreshed, inputs)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        """Wait for a restore recorded before it completed (a cancelled `up`); then tags and
        deletion protection change in place (PATCH); the wait settings ride along into state."""
        client = credentials.client()
        state = dict(olds)
        inputs = IndexFromBackupInputs.from_props(news)
        if _unfinished(olds) and inputs.wait_for_ready:
            try:
                job, index = _wait_or_record(client, inputs, client.describe_restore_job(olds["restore_job_id"]))
            except PineconeError as exc:
                raise PineconeError(
                    f"{exc}. Index {id_} stays in the stack: run the command again to wait again, or, if its "
                    "restore failed, `pulumi refresh` and then `pulumi up`, which replaces it."
                ) from None
            state.update(_restore_outputs(job))
            if index is not None:
                state.update({output.name: getattr(index, output.name) for output in INDEX_OUTPUTS})
        if any(self.differs(olds, news, key) for key in IndexFromBackupInputs.names(Role.UPDATE)):
            client.configure_index(
                id_, deletion_protection=news.get("deletion_protection"), tags=_tag_changes(olds, news)
            )
        carried = IndexFromBackupInputs.names(Role.UPDATE, Role.WAIT)
        return {**state, **{key: news.get(key) for key in carried if news.get(key) is not None}}

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        try:
            credentials.client().delete_index(id_)
        except NotFoundError:
            return
        except ForbiddenError as exc:
            raise PineconeError(
                f"index {id_} has deletion protection enabled ({exc.message}). To delete it, set "
                "its deletion protection to 'disabled' (Python: deletion_protection; other languages: "
                "deletionProtection) and run `pulumi up`, then run this again; "
                "to keep the index and forget it, run `pulumi state delete <urn>`."
            ) from None


def _start_restore(client: PineconeClient, inputs: IndexFromBackupInputs) -> tuple[str, bool]:
    """Start the restore, or find the one an earlier attempt started: (restore job id, adopted).

    Index names are unique in a project, so an index named `name` whose latest restore job
    restored this backup is this resource's, made by a run whose answer was lost or that was
    killed before it could record it: adopt it. A create answered with 5xx or no answer at all
    may have started the restore: look for it, and try again only if it is not there (a second
    POST can never make a second index: the name is taken).
    """
    tags = _tags_with_owner(client, inputs)
    attempt = 1
    while True:
        try:
            started = client.create_index_from_backup(
                inputs.backup_id,
                name=inputs.name,
                tags=tags,
                deletion_protection=inputs.deletion_protection,
            )
            return started.restore_job_id, False
        except NotFoundError:
            raise _no_such_backup(inputs) from None
        except AlreadyExistsError:
            own = _own_restore(client, inputs)
            if own is None:
                raise PineconeError(
                    f"name: an index named {inputs.name!r} already exists (not restored from backup "
                    f"{inputs.backup_id} by this resource of this stack: it lacks this stack's `{OWNER_TAG}` tag, "
                    "so it may be another stack's); choose another name, or delete that index if it is no one's"
                ) from None
            report(
                f"Adopted: index {inputs.name}, restored from backup {inputs.backup_id} by restore job "
                f"{own.restore_job_id} of an earlier run that did not record it"
            )
            return own.restore_job_id, True
        except PreconditionFailedError as exc:
            raise PineconeError(
                f"backup_id: backup {inputs.backup_id} is not Ready ({exc.message}). Pass `backup.backup_id` of a "
                "Backup resource (it waits for Ready), or wait for the backup and run the command again."
            ) from None
        except (ServerError, TransportError) as exc:
            own = _own_restore(client, inputs)
            if own is not None:
                report(f"Adopted: index {inputs.name} (restore job {own.restore_job_id}), whose create answer was lost")
                return own.restore_job_id, True
            if attempt == CREATE_ATTEMPTS:
                raise PineconeError(
                    f"creating index {inputs.name} from backup {inputs.backup_id} failed ({attempt} attempts, the "
                    f"last: {exc}), and no restore into that name was found; run the command again"
                ) from None
            time.sleep(random.uniform(0.5, 1.0) * 2**attempt)
            attempt += 1


def _no_such_backup(inputs: IndexFromBackupInputs) -> PineconeError:
    return PineconeError(f"backup_id: no backup with id {inputs.backup_id!r} in this project")


def _own_restore(client: PineconeClient, inputs: IndexFromBackupInputs) -> RestoreJob | None:
    """The restore job that made the index named `inputs.name`, if this resource started it.

    The index must carry this resource's owner tag: another stack (of the same names, in another
    backend) restoring the same backup into the same name makes an index that looks the same in
    every other way. The latest job into that name is the one that made the index there now (an
    index restored earlier under that name and since deleted left older jobs); it must be of
    this backup. Jobs started at the same moment prove nothing unless all of them are.
    """
    token = inputs.owner_token
    if token is None:
        return None
    try:
        tags = client.describe_index(inputs.name).tags or {}
    except NotFoundError:
        return None  # a lost answer to a create that made nothing
    if tags.get(OWNER_TAG) != token:
        return None
    into_name = [job for job in client.list_restore_jobs() if job.target_index_name == inputs.name]
    if not into_name:
        return None
    started = max(_created(job) for job in into_name)
    latest = [job for job in into_name if _created(job) == started]
    return latest[-1] if all(job.backup_id == inputs.backup_id for job in latest) else None


def _tags_with_owner(client: PineconeClient, inputs: IndexFromBackupInputs) -> dict[str, str] | None:
    """The restore's tags: the program's (unset: the backup's, which the service copies only when
    a restore names no tags) and, where the stack can prove whose the index is, the owner tag."""
    token = inputs.owner_token
    if token is None:
        return inputs.tags
    if inputs.tags is not None:
        tags = inputs.tags
    else:
        try:
            tags = client.describe_backup(inputs.backup_id).tags or {}
        except NotFoundError:
            raise _no_such_backup(inputs) from None
        tags = {key: value for key, value in tags.items() if key != OWNER_TAG}  # a backup of a restored index
        if len(tags) >= rules.MAX_TAGS:
            return None  # no room for the proof: the service copies the backup's tags, nothing is adopted
    return {**tags, OWNER_TAG: token}


def _user_tags(index: Index) -> dict[str, str] | None:
    """The index's tags without the owner tag: the user's, as the `tags` input means them."""
    return {key: value for key, value in (index.tags or {}).items() if key != OWNER_TAG} or None


def _tag_changes(olds: dict[str, Any], news: dict[str, Any]) -> dict[str, str] | None:
    """The PATCH's tags: the program's, and "" for each it dropped (that unsets it); None leaves them."""
    if news.get("tags") is None:
        return None
    old_tags, new_tags = olds.get("tags") or {}, news["tags"]
    return {**{key: "" for key in old_tags if key not in new_tags}, **new_tags} or None


def _created(job: RestoreJob) -> datetime:
    """When a job started; a job without a time counts as the oldest."""
    created = job.created_time
    if created is None:
        return EPOCH
    return created if created.tzinfo else created.replace(tzinfo=timezone.utc)


def _unfinished(props: dict[str, Any]) -> bool:
    """Whether state holds an index recorded before its restore completed (a cancelled `up`)."""
    status = props.get("restore_status")
    return bool(props.get("restore_job_id")) and status not in (
        None,
        RestoreJobStatus.COMPLETED,
        *RestoreJobStatus.FAILED_ANY,
    )


def _wait_or_record(
    client: PineconeClient, inputs: IndexFromBackupInputs, job: RestoreJob
) -> tuple[RestoreJob, Index | None]:
    """Wait until the restore completes and the index is ready. A cancelled `up` returns what is
    known so far (the index then None when its restore has not completed), to be recorded."""
    schedule = inputs.schedule
    try:
        job = wait_until_restored(client, job, schedule)  # checks shared with other restores (_watch)
    except WaitCancelledError as cancelled:
        job = cancelled.current
        report(
            f"Recorded as {job.status}: index {inputs.name} (restore job {job.restore_job_id}, cancelled); "
            "the next `pulumi up` waits for it"
        )
        return job, None
    try:
        return job, _wait_for_index(client, inputs.name, schedule)
    except WaitCancelledError as cancelled:
        return job, cancelled.current


def _wait_for_index(client: PineconeClient, name: str, schedule: PollSchedule) -> Index:
    return wait_until(
        lambda: client.describe_index(name),
        client.describe_index(name),
        schedule,
        subject=f"index {name}",
        status=lambda index: index.status.state,
        done=lambda index: index.status.ready,
        failed=lambda index: index.status.state == "InitializationFailed",
    )


def _force_delete_index(client: PineconeClient, name: str) -> None:
    """Delete a half-restored index, lifting the deletion protection it was created with."""
    try:
        client.delete_index(name)
    except ForbiddenError:
        client.configure_index(name, deletion_protection="disabled")
        client.delete_index(name)


def _restore_outputs(job: RestoreJob) -> dict[str, Any]:
    return {
        "restore_job_id": job.restore_job_id,
        "index_id": job.target_index_id,
        "restore_status": job.status,
        "percent_complete": job.percent_complete,
        "completed_at": job.completed_at,
    }


def _outputs(inputs: IndexFromBackupInputs, job: RestoreJob, index: Index | None, *, adopted: bool) -> dict[str, Any]:
    outputs = {
        **inputs.to_props(),
        **_restore_outputs(job),
        **{output.name: getattr(index, output.name) if index else None for output in INDEX_OUTPUTS},
    }
    if adopted and index is not None:
        # An adopted index keeps the tags and protection it was made with: state says what they
        # are, so that the next `up` changes them to the program's if they differ.
        actual = {"tags": _user_tags(index), "deletion_protection": index.deletion_protection}
        if actual["tags"] == (inputs.tags or None):
            actual["tags"] = inputs.tags  # {} and None are the same to the service
        outputs.update({key: value for key, value in actual.items() if value is not None or key == "tags"})
    return outputs
