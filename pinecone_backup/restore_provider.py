"""The lifecycle of an index restored from a backup: check, diff, create, read, update, delete."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from pinecone_backup import credentials
from pinecone_backup.api.errors import (
    AlreadyExistsError,
    ForbiddenError,
    NotFoundError,
    PineconeError,
    PreconditionFailedError,
)
from pinecone_backup.inputs import (
    RESTORE_INPUTS,
    RESTORE_UPDATABLE,
    WAIT_INPUTS,
    RestoreInputs,
    check_restore_inputs,
)
from pinecone_backup.polling import PollSchedule, report, short_id, wait_until
from pinecone_backup.provider import PineconeProvider, changed, cleaned_up

if TYPE_CHECKING:
    from pinecone_backup.api.client import PineconeClient
    from pinecone_backup.api.models import Index, RestoreJob

RESTORE_OUTPUTS = ("restore_job_id", "index_id", "restore_status", "percent_complete", "completed_at")
INDEX_OUTPUTS = ("host", "dimension", "metric")


class IndexFromBackupProvider(PineconeProvider):
    """A serverless index created from a backup. The resource id is the index name."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        return CheckResult(RestoreInputs.with_defaults(news), check_restore_inputs(news))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        replaces = [key for key in RESTORE_INPUTS if changed(olds, news, key)]
        updates = [key for key in RESTORE_UPDATABLE if changed(olds, news, key)]  # wait settings: no change
        # Same name, new backup: the old index must go first, or the new one's name is taken.
        return DiffResult(
            changes=bool(replaces or updates),
            replaces=replaces,
            delete_before_replace=bool(replaces) and "name" not in replaces,
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        inputs = RestoreInputs.from_props(props)
        client = credentials.client()
        job = _start_restore(client, inputs)
        report(f"Restoring: backup {inputs.backup_id} into index {inputs.name} (restore job {job.restore_job_id})")
        if not inputs.wait_for_ready:
            return CreateResult(inputs.name, _outputs(inputs, job, client.describe_index(inputs.name)))
        try:
            schedule = PollSchedule(inputs.poll_interval, inputs.ready_timeout)
            job = _wait_for_restore(client, job, schedule)
            index = _wait_for_index(client, inputs.name, schedule)
        except PineconeError as exc:
            raise cleaned_up(lambda: _force_delete_index(client, inputs.name), f"index {inputs.name}", exc) from None
        return CreateResult(inputs.name, _outputs(inputs, job, index))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        try:
            index = credentials.client().describe_index(id_)
        except NotFoundError:
            return ReadResult("", {})  # deleted outside Pulumi: refresh drops it
        refreshed = {
            **props,
            "tags": index.tags or None,
            "deletion_protection": index.deletion_protection or props.get("deletion_protection"),
            **{key: getattr(index, key) for key in INDEX_OUTPUTS},
        }
        return ReadResult(id_, refreshed)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Tags and deletion protection change in place (PATCH); wait settings only in state."""
        if any(changed(olds, news, key) for key in RESTORE_UPDATABLE):
            old_tags, new_tags = olds.get("tags") or {}, news.get("tags") or {}
            removed = {key: "" for key in old_tags if key not in new_tags}  # "" unsets a tag
            credentials.client().configure_index(
                id_, deletion_protection=news.get("deletion_protection"), tags={**removed, **new_tags} or None
            )
        return UpdateResult({**olds, **{key: news.get(key) for key in (*RESTORE_UPDATABLE, *WAIT_INPUTS)}})

    def delete(self, id_: str, _props: dict[str, Any]) -> None:
        try:
            credentials.client().delete_index(id_)
        except NotFoundError:
            return
        except ForbiddenError as exc:
            raise PineconeError(
                f"index {id_} has deletion protection enabled ({exc.message}). To delete it, set "
                "deletion_protection='disabled' on the resource and run `pulumi up`, then run this again; "
                "to keep the index and forget it, run `pulumi state delete <urn>`."
            ) from None


def _start_restore(client: PineconeClient, inputs: RestoreInputs) -> RestoreJob:
    try:
        started = client.create_index_from_backup(
            inputs.backup_id, name=inputs.name, tags=inputs.tags, deletion_protection=inputs.deletion_protection
        )
    except NotFoundError:
        raise PineconeError(f"backup_id: no backup with id {inputs.backup_id!r} in this project") from None
    except AlreadyExistsError:
        raise PineconeError(
            f"name: an index named {inputs.name!r} already exists; choose another name or delete that index"
        ) from None
    except PreconditionFailedError as exc:
        raise PineconeError(
            f"backup_id: backup {inputs.backup_id} is not Ready ({exc.message}). Pass `backup.backup_id` of a "
            "Backup resource (it waits for Ready), or wait for the backup and run the command again."
        ) from None
    return client.describe_restore_job(started.restore_job_id)


def _wait_for_restore(client: PineconeClient, job: RestoreJob, schedule: PollSchedule) -> RestoreJob:
    return wait_until(
        lambda: client.describe_restore_job(job.restore_job_id),
        job,
        schedule,
        subject=f"restore of backup {short_id(job.backup_id)} into index {job.target_index_name}",
        status=lambda j: j.status if j.percent_complete is None else f"{j.status} {j.percent_complete:.0f}%",
        done=lambda j: j.is_completed,
        failed=lambda j: j.is_failed,
    )


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


def _outputs(inputs: RestoreInputs, job: RestoreJob, index: Index) -> dict[str, Any]:
    return {
        **inputs.to_props(),
        "restore_job_id": job.restore_job_id,
        "index_id": job.target_index_id,
        "restore_status": job.status,
        "percent_complete": job.percent_complete,
        "completed_at": job.completed_at,
        **{key: getattr(index, key) for key in INDEX_OUTPUTS},
    }
