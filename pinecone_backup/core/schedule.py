"""A backup schedule: Pinecone backs an index up daily, weekly or monthly and expires the backups.

Its fields, once, and its lifecycle, for both faces. Pinecone (API 2026-07) lets an index have
one *enabled* schedule at a time, which decides how a replacement runs: see `_collides`.
"""

from __future__ import annotations

import functools
import random
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pinecone_backup.core import credentials, polling, rules
from pinecone_backup.core.fields import Output, Role, declare, is_unknown
from pinecone_backup.core.identity import AutoNamed, NamingLifecycle
from pinecone_backup.core.lifecycle import Diff, Found, Made, changed, cleaned_up
from pinecone_backup.core.polling import report
from pinecone_backup.errors import (
    AlreadyExistsError,
    InvalidRequestError,
    NotFoundError,
    PineconeError,
    ServerError,
    TransportError,
)

if TYPE_CHECKING:
    from pinecone_backup.api.client import PineconeClient
    from pinecone_backup.api.models import BackupSchedule as ScheduleModel

FREQUENCIES = ("daily", "weekly", "monthly")
DEFAULT_FREQUENCY = "daily"
CREATE_ATTEMPTS = 3


@dataclass(frozen=True, kw_only=True)
class BackupScheduleInputs(AutoNamed):
    AUTONAME_LENGTH = rules.SCHEDULE_NAME_LENGTH

    index_name: str = field(
        metadata=declare(
            Role.REPLACE,
            f"the serverless (or BYOC) index to back up: {rules.INDEX_NAME_RULE}",
            rules.index_name,
        )
    )
    name: str | None = field(
        default=None,
        metadata=declare(
            Role.REPLACE,
            f"the schedule's name in Pinecone, which starts each backup's name (`<name>-20261130T060000Z`): "
            f"1-{rules.SCHEDULE_NAME_LENGTH} lowercase letters, digits or '-', starting and ending with a letter or "
            "digit; unset: the resource name and 8 hex digits",
            rules.schedule_name,
        ),
    )
    frequency: str = field(
        default=DEFAULT_FREQUENCY,
        metadata=declare(
            Role.UPDATE,
            "`daily`, `weekly` or `monthly`; Pinecone picks the time of day (06:00 UTC so far)",
            rules.one_of(*FREQUENCIES),
        ),
    )
    retention_days: int = field(
        metadata=declare(
            Role.UPDATE,
            "days Pinecone keeps each backup the schedule makes, then deletes it (at least 1; the project's "
            "plan sets the most); a change re-times the backups not yet expired",
            rules.whole_number(at_least=1),
        )
    )
    enabled: bool = field(
        default=True,
        metadata=declare(
            Role.UPDATE,
            "false pauses the schedule (no runs, its backups still expire); true again makes a backup at once "
            "and restarts the cadence from then",
            rules.boolean,
        ),
    )
    # From `ResourceOptions(import_=...)`: adopt this schedule instead of creating one.
    import_id: str | None = field(
        default=None, metadata=declare(Role.HIDDEN, "the schedule `import_` adopts", rules.schedule_id)
    )


SCHEDULE_OUTPUTS = (
    Output("schedule_id", "Pinecone's id of the schedule; also the resource's id"),
    Output(
        "next_scheduled_run",
        "when the schedule makes its next backup (RFC 3339), as of the last `up` or `refresh`; null while paused",
    ),
    Output("created_at", "when the schedule was made (RFC 3339)"),
    Output(
        "index_id", "the id of the index backed up: an index deleted and made again has another id, and no schedule"
    ),
    Output("project_id", "the id of the Pinecone project"),
    Output("schedule_type", "`time-based`, the one kind of schedule Pinecone has"),
)


class BackupScheduleLifecycle(NamingLifecycle):
    """Creates, changes in place (frequency, retention, enabled), reads and deletes schedules."""

    summary = (
        "A backup schedule: Pinecone backs the index up daily, weekly or monthly and deletes each backup "
        "`retention_days` after it was made. `frequency`, `retention_days` and `enabled` change in place; a "
        "change of `index_name` or `name` replaces the schedule. An index has at most one enabled schedule, so "
        "replacing an enabled one on the same index deletes it first. Deleting the schedule keeps its backups, "
        "which still expire."
    )
    inputs = BackupScheduleInputs
    outputs = SCHEDULE_OUTPUTS

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> Diff:
        diff = super().diff(id_, olds, news)
        diff.delete_before_replace = bool(diff.replaces) and _collides(olds, news)
        return diff

    def create(self, props: dict[str, Any]) -> Made:
        inputs = BackupScheduleInputs.from_props(props)
        client = credentials.client()
        if inputs.import_id:
            schedule = _adopt(client, inputs)
        else:
            schedule = _create(client, inputs)
            if not inputs.has_proven_name:
                what = f"backup schedule {schedule.schedule_id} ({schedule.name}) of {inputs.index_name}"
                polling.unless_recorded(what, functools.partial(client.delete_backup_schedule, schedule.schedule_id))
        return Made(schedule.schedule_id, _outputs(inputs, schedule))

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        inputs = BackupScheduleInputs.from_props(news)
        client = credentials.client()
        changes = {
            key: getattr(inputs, key) for key in BackupScheduleInputs.names(Role.UPDATE) if changed(olds, news, key)
        }
        try:
            schedule = _patch(client, id_, inputs.index_name, changes)
        except NotFoundError:
            raise PineconeError(
                f"backup schedule {id_} of index {inputs.index_name} was deleted outside Pulumi. "
                "Run `pulumi refresh` to drop it from the stack, then `pulumi up` makes it again."
            ) from None
        return _outputs(inputs, schedule)

    def read(self, id_: str, props: dict[str, Any]) -> Found:
        try:
            schedule = credentials.client().describe_backup_schedule(id_)
        except NotFoundError:
            return Found("", {})  # deleted outside Pulumi, or with its index: refresh drops it
        outs = _outputs(BackupScheduleInputs.from_props(props), schedule)
        # What changed outside Pulumi becomes the recorded input too, so the next preview shows
        # `~ frequency: "monthly" => "weekly"`, not an update without a changed line.
        inputs = {key: outs[key] for key in BackupScheduleInputs.names() if outs.get(key) is not None}
        return Found(schedule.schedule_id, outs, inputs)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        try:
            credentials.client().delete_backup_schedule(id_)
        except NotFoundError:
            return  # already gone (deleting an index deletes its schedules)
        days = props.get("retention_days")
        kept = f"{int(days)} days" if isinstance(days, (int, float)) else "its retention days"
        report(
            f"Deleted: backup schedule {props.get('name') or id_} of {props.get('index_name')}; the backups it made "
            f"stay, and Pinecone deletes each {kept} after it was made"
        )


def _collides(olds: dict[str, Any], news: dict[str, Any]) -> bool:
    """Whether the replacement would meet the old schedule as a second enabled one on its index.

    Pinecone creates every schedule enabled and refuses a second enabled one (409). Made first
    beside an enabled old schedule on the same index, the new one would fail; so then the old
    one is deleted first, leaving the index without a schedule only for the create's round trip.
    On another index, or with the old one paused, the new one is made first, as usual."""
    same_index = is_unknown(news.get("index_name")) or olds.get("index_name") == news.get("index_name")
    return same_index and olds.get("enabled") is not False


def _create(client: PineconeClient, inputs: BackupScheduleInputs) -> ScheduleModel:
    """POST the schedule (retrying lost answers), then pause it if the program says so; a pause
    that fails deletes the new schedule, since a failed create cannot be recorded."""
    schedule = _post_schedule(client, inputs)
    if inputs.enabled:
        return schedule
    delete = functools.partial(client.delete_backup_schedule, schedule.schedule_id)
    try:
        return client.update_backup_schedule(schedule.schedule_id, enabled=False)
    except Exception as exc:  # whatever failed, the schedule must not be left unknown
        raise cleaned_up(delete, f"backup schedule {schedule.schedule_id}", exc) from None


def _post_schedule(client: PineconeClient, inputs: BackupScheduleInputs) -> ScheduleModel:
    """Create the schedule exactly once in effect.

    A lost answer (5xx, a dropped connection) may hide a schedule that was made: the retry then
    meets it as the index's enabled schedule (409), which is adopted only if it carries this
    resource's automatic name. Any other enabled schedule is named in the error.
    """
    assert inputs.name is not None  # check settles it
    attempt = 1
    while True:
        try:
            schedule = client.create_backup_schedule(
                inputs.index_name,
                name=inputs.name,
                frequency=inputs.frequency,
                retention_days=int(inputs.retention_days),
            )
        except AlreadyExistsError:
            return _own_enabled_schedule(client, inputs)
        except NotFoundError:
            raise PineconeError(
                f"index_name: no index named {inputs.index_name!r} in this Pinecone project (at {client.host}). "
                "Create it first, or check the name and the API key's project."
            ) from None
        except InvalidRequestError as exc:
            raise PineconeError(
                f"Pinecone refused the schedule of index {inputs.index_name!r} ({exc.message}). Schedules back up "
                "serverless and BYOC indexes only, and retention_days is capped by the project's plan."
            ) from None
        except (ServerError, TransportError):
            if attempt == CREATE_ATTEMPTS:
                raise
            time.sleep(random.uniform(0.5, 1.0) * 2**attempt)
            attempt += 1
            continue
        report(
            f"Created: backup schedule {schedule.name} of {inputs.index_name}, next run {schedule.next_scheduled_run}"
        )
        return schedule


def _own_enabled_schedule(client: PineconeClient, inputs: BackupScheduleInputs) -> ScheduleModel:
    """The index's enabled schedule, if it is this resource's (an interrupted run or a lost
    answer made it); otherwise an error naming it and the ways out."""
    other = _enabled_schedule(client, inputs.index_name)
    if other is not None and inputs.has_proven_name and other.name == inputs.name:
        report(f"Adopted: backup schedule {other.name} of {inputs.index_name}, made by an interrupted run")
        return _patch(client, other.schedule_id, inputs.index_name, _differences(inputs, other))
    raise _second_enabled(inputs.index_name, other, "create it")


def _second_enabled(index_name: str, other: ScheduleModel | None, doing: str) -> PineconeError:
    named = (
        f"{other.name!r} (id {other.schedule_id}, {other.frequency}, keeping backups "
        f"{other.retention_expire_after_days} days)"
        if other is not None
        else "one this key cannot see"
    )
    adopt = f"adopt it with `opts=pulumi.ResourceOptions(import_={other.schedule_id!r})`, " if other else ""
    return PineconeError(
        f"index_name: index {index_name!r} already has an enabled backup schedule, {named}, so Pinecone refuses "
        f"to {doing} (one enabled schedule per index). To manage that schedule here, {adopt}or disable or delete "
        "it, then run the command again."
    )


def _enabled_schedule(client: PineconeClient, index_name: str, other_than: str | None = None) -> ScheduleModel | None:
    """The index's enabled schedule (besides `other_than`), which Pinecone allows one of."""
    found = client.list_backup_schedules(index_name)
    return next((schedule for schedule in found if schedule.enabled and schedule.schedule_id != other_than), None)


def _patch(client: PineconeClient, schedule_id: str, index_name: str, changes: dict[str, Any]) -> ScheduleModel:
    """PATCH what changed (nothing: describe). Enabling meets the one-enabled-schedule rule."""
    if not changes:
        return client.describe_backup_schedule(schedule_id)
    try:
        schedule = client.update_backup_schedule(
            schedule_id,
            frequency=changes.get("frequency"),
            retention_days=None if changes.get("retention_days") is None else int(changes["retention_days"]),
            enabled=changes.get("enabled"),
        )
    except AlreadyExistsError:
        other = _enabled_schedule(client, index_name, other_than=schedule_id)
        raise _second_enabled(index_name, other, f"enable schedule {schedule_id}") from None
    report(
        f"Changed: backup schedule {schedule.name} of {index_name} ({', '.join(sorted(changes))}), "
        f"next run {schedule.next_scheduled_run or 'none: paused'}"
    )
    return schedule


def _differences(inputs: BackupScheduleInputs, schedule: ScheduleModel) -> dict[str, Any]:
    """The program's values of what differs in the schedule as the service reports it."""
    reported = _reported(schedule)
    return {
        key: getattr(inputs, key)
        for key in BackupScheduleInputs.names(Role.UPDATE)
        if reported[key] != getattr(inputs, key)
    }


def _adopt(client: PineconeClient, inputs: BackupScheduleInputs) -> ScheduleModel:
    """`import_`: manage an existing schedule of the index, set to the program's frequency,
    retention and enabled; its index and name must be the program's (they cannot change)."""
    assert inputs.import_id is not None
    try:
        schedules = {found.schedule_id: found for found in client.list_backup_schedules(inputs.index_name)}
    except NotFoundError:
        raise PineconeError(f"index_name: no index named {inputs.index_name!r} in this Pinecone project") from None
    schedule = schedules.get(inputs.import_id)
    if schedule is None:
        raise PineconeError(
            f"import_: index {inputs.index_name!r} has no backup schedule with id {inputs.import_id!r} "
            f"(it has {', '.join(repr(found.name) for found in schedules.values()) or 'none'})"
        )
    if inputs.name is not None and inputs.name != schedule.name:
        raise PineconeError(
            f"import_: backup schedule {schedule.schedule_id} is named {schedule.name!r}, the program says "
            f"{inputs.name!r}; a schedule's name cannot change. Set name={schedule.name!r}, then run the command again."
        )
    report(f"Adopted: backup schedule {schedule.name} of {inputs.index_name}")
    return _patch(client, schedule.schedule_id, inputs.index_name, _differences(inputs, schedule))


def _reported(schedule: ScheduleModel) -> dict[str, Any]:
    """The inputs as the service reports them."""
    return {
        "name": schedule.name,
        "frequency": schedule.frequency,
        "retention_days": schedule.retention_expire_after_days,
        "enabled": schedule.enabled,
    }


def _outputs(inputs: BackupScheduleInputs, schedule: ScheduleModel) -> dict[str, Any]:
    return {
        **inputs.to_props(),
        **_reported(schedule),
        **{output.name: getattr(schedule, output.name) for output in SCHEDULE_OUTPUTS},
    }
