"""`IndexFromBackup`: a new serverless index restored from a backup — fields, provider, resource class."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pulumi
import pulumi.dynamic
from pulumi.dynamic import CreateResult, ReadResult, UpdateResult

from pinecone_backup import _credentials
from pinecone_backup import _rules as rules
from pinecone_backup._base import ProviderBase, changed, cleaned_up
from pinecone_backup._fields import Inputs, Output, Role, declare, docstring
from pinecone_backup._polling import PollSchedule, report, short_id, wait_until
from pinecone_backup.backup import (
    DEFAULT_POLL_INTERVAL,
    DEFAULT_READY_TIMEOUT,
    DEFAULT_WAIT_FOR_READY,
    POLL_INTERVAL_DOC,
)
from pinecone_backup.errors import (
    AlreadyExistsError,
    ForbiddenError,
    NotFoundError,
    PineconeError,
    PreconditionFailedError,
)

if TYPE_CHECKING:
    from pinecone_backup.api.client import PineconeClient
    from pinecone_backup.api.models import Index, RestoreJob


@dataclass(frozen=True)
class IndexFromBackupInputs(Inputs):
    backup_id: str = field(
        metadata=declare(
            Role.REPLACE, "the backup to restore, typically `backup.backup_id` of a `Backup`", rules.string
        )
    )
    name: str = field(
        metadata=declare(Role.REPLACE, f"the new index's name: {rules.INDEX_NAME_RULE}", rules.index_name)
    )
    tags: dict[str, str] | None = field(
        default=None, metadata=declare(Role.UPDATE, "the new index's tags", rules.string_map)
    )
    deletion_protection: str = field(
        default="disabled",
        metadata=declare(Role.UPDATE, "`enabled` or `disabled`", rules.one_of("enabled", "disabled")),
    )
    wait_for_ready: bool = field(
        default=DEFAULT_WAIT_FOR_READY,
        metadata=declare(Role.WAIT, "wait until the restore completes and the index is ready", rules.boolean),
    )
    ready_timeout: float = field(
        default=DEFAULT_READY_TIMEOUT,
        metadata=declare(
            Role.WAIT, "seconds to wait; on timeout the index is deleted and `up` fails", rules.ready_timeout
        ),
    )
    poll_interval: float = field(
        default=DEFAULT_POLL_INTERVAL, metadata=declare(Role.WAIT, POLL_INTERVAL_DOC, rules.poll_interval)
    )


RESTORE_OUTPUTS = (
    Output("restore_job_id", "the restore job that made the index"),
    Output("index_id", "Pinecone's id of the new index"),
    Output("restore_status", "`Completed` once the index is usable (with `wait_for_ready`)"),
    Output("percent_complete", "the restore job's progress"),
    Output("completed_at", "when the restore job completed (RFC 3339)"),
)
INDEX_OUTPUTS = (
    Output("host", "the index's data-plane host"),
    Output("dimension", "the vectors' dimension"),
    Output("metric", "the index's similarity metric"),
)


class IndexFromBackupProvider(ProviderBase):
    """A serverless index created from a backup. The resource id is the index name."""

    inputs = IndexFromBackupInputs

    def delete_before_replace(self, replaces: list[str]) -> bool:
        """Same name, new backup: the old index must go first, or the new one's name is taken."""
        return bool(replaces) and "name" not in replaces

    def create(self, props: dict[str, Any]) -> CreateResult:
        inputs = IndexFromBackupInputs.from_props(props)
        client = _credentials.client()
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
            index = _credentials.client().describe_index(id_)
        except NotFoundError:
            return ReadResult("", {})  # deleted outside Pulumi: refresh drops it
        refreshed = {
            **props,
            "tags": index.tags or None,
            "deletion_protection": index.deletion_protection or props.get("deletion_protection"),
            **{output.name: getattr(index, output.name) for output in INDEX_OUTPUTS},
        }
        return ReadResult(id_, refreshed)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Tags and deletion protection change in place (PATCH); the wait settings ride along into state."""
        old_tags, new_tags = olds.get("tags") or {}, news.get("tags") or {}
        removed = {key: "" for key in old_tags if key not in new_tags}  # "" unsets a tag
        if any(changed(olds, news, key) for key in IndexFromBackupInputs.names(Role.UPDATE)):
            _credentials.client().configure_index(
                id_, deletion_protection=news.get("deletion_protection"), tags={**removed, **new_tags} or None
            )
        carried = IndexFromBackupInputs.names(Role.UPDATE, Role.WAIT)
        return UpdateResult({**olds, **{key: news.get(key) for key in carried}})

    def delete(self, id_: str, _props: dict[str, Any]) -> None:
        try:
            _credentials.client().delete_index(id_)
        except NotFoundError:
            return
        except ForbiddenError as exc:
            raise PineconeError(
                f"index {id_} has deletion protection enabled ({exc.message}). To delete it, set "
                "deletion_protection='disabled' on the resource and run `pulumi up`, then run this again; "
                "to keep the index and forget it, run `pulumi state delete <urn>`."
            ) from None


class IndexFromBackup(pulumi.dynamic.Resource, module="pinecone", name="IndexFromBackup"):
    __doc__ = docstring(
        "A new serverless index restored from a backup; the resource id is the index name. Changing "
        "`backup_id` or `name` replaces it; `tags` and `deletion_protection` change in place.",
        IndexFromBackupInputs,
        (*RESTORE_OUTPUTS, *INDEX_OUTPUTS),
    )

    backup_id: pulumi.Output[str]
    name: pulumi.Output[str]
    tags: pulumi.Output[dict[str, str] | None]
    deletion_protection: pulumi.Output[str]
    wait_for_ready: pulumi.Output[bool]
    ready_timeout: pulumi.Output[float]
    poll_interval: pulumi.Output[float]

    restore_job_id: pulumi.Output[str]
    index_id: pulumi.Output[str]
    restore_status: pulumi.Output[str]
    percent_complete: pulumi.Output[float | None]
    completed_at: pulumi.Output[str | None]
    host: pulumi.Output[str | None]
    dimension: pulumi.Output[int | None]
    metric: pulumi.Output[str | None]

    def __init__(
        self,
        resource_name: str,
        *,
        backup_id: pulumi.Input[str],
        name: pulumi.Input[str],
        tags: pulumi.Input[dict[str, str]] | None = None,
        deletion_protection: pulumi.Input[str] = "disabled",
        wait_for_ready: pulumi.Input[bool] = DEFAULT_WAIT_FOR_READY,
        ready_timeout: pulumi.Input[float] = DEFAULT_READY_TIMEOUT,
        poll_interval: pulumi.Input[float] = DEFAULT_POLL_INTERVAL,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """`resource_name` is Pulumi's name for the resource, not the index's; the class doc lists the rest."""
        props: dict[str, Any] = {
            "backup_id": backup_id,
            "name": name,
            "tags": tags,
            "deletion_protection": deletion_protection,
            "wait_for_ready": wait_for_ready,
            "ready_timeout": ready_timeout,
            "poll_interval": poll_interval,
            **dict.fromkeys(output.name for output in (*RESTORE_OUTPUTS, *INDEX_OUTPUTS)),
        }
        super().__init__(IndexFromBackupProvider(), resource_name, props, opts)


def _start_restore(client: PineconeClient, inputs: IndexFromBackupInputs) -> RestoreJob:
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


def _outputs(inputs: IndexFromBackupInputs, job: RestoreJob, index: Index) -> dict[str, Any]:
    return {
        **inputs.to_props(),
        "restore_job_id": job.restore_job_id,
        "index_id": job.target_index_id,
        "restore_status": job.status,
        "percent_complete": job.percent_complete,
        "completed_at": job.completed_at,
        **{output.name: getattr(index, output.name) for output in INDEX_OUTPUTS},
    }
