"""Restoring an index from a backup: the client, the emulator and the IndexFromBackup provider."""

from __future__ import annotations

import threading

import httpx
import pytest

from pinecone_backup.api import AlreadyExistsError, NotFoundError, PineconeError, PreconditionFailedError
from pinecone_backup.backup import BackupProvider
from pinecone_backup.core import credentials as _credentials
from pinecone_backup.core import polling as _polling
from pinecone_backup.core import restore as index_from_backup
from pinecone_backup.core.restore import OWNER_TAG, IndexFromBackupInputs
from pinecone_backup.errors import ServerError, TransportError
from pinecone_backup.index_from_backup import IndexFromBackupProvider
from support.emulator import INDEX, RECORDS, SERVERLESS_SPEC, calls, fast_retry

FAST = {"poll_interval": 0.05, "ready_timeout": 30.0, "wait_for_ready": True}


@pytest.fixture
def ready_backup(emulator, index):
    emulator.state.faults.update({"ready_delay": 0, "restore_delay": 0.4})
    return emulator.state.create_backup(index, {"name": "nightly"}).backup_id


@pytest.fixture
def provider(provider_env):
    return IndexFromBackupProvider()


# The program's hidden inputs: which resource of which stack instance (see `Owned`).
OWNER = {"name_seed": "organization/project/dev/restored", "stack_instance": "instance-a"}


def restore_props(backup_id: str, **overrides):
    return {"backup_id": backup_id, "name": "restored", "deletion_protection": "disabled", **FAST, **OWNER, **overrides}


def left_by(backup_id: str, *, owner=OWNER, tags=None):
    """What a restore of this resource (or of `owner`) left in Pinecone: a restore request body."""
    token = IndexFromBackupInputs.from_props(restore_props(backup_id, **owner)).owner_token
    return {"name": "restored", "tags": {**(tags or {}), OWNER_TAG: token}}


# -- the wire ---------------------------------------------------------------------------------


def test_client_restores_and_reports_progress(client, emulator, ready_backup):
    emulator.state.faults.restore_delay = 60  # still under way at every check, however loaded the machine
    started = client.create_index_from_backup(ready_backup, name="restored", tags={"team": "search"})
    job = client.describe_restore_job(started.restore_job_id)
    assert job.backup_id == ready_backup and job.target_index_name == "restored"
    assert job.status in ("Pending", "Running") and 0 <= (job.percent_complete or 0) < 100
    assert client.describe_index("restored").status.ready is False
    assert calls(emulator, "POST")[0] == ("POST", f"/backups/{ready_backup}/create-index", 202)


@pytest.mark.parametrize(
    ("setup", "error"),
    [
        (lambda state, backup: None, AlreadyExistsError),  # the name of the source index is taken
        (lambda state, backup: state.delete_backup(backup), NotFoundError),
    ],
)
def test_restore_errors(client, emulator, ready_backup, setup, error):
    setup(emulator.state, ready_backup)
    with pytest.raises(error):
        client.create_index_from_backup(ready_backup, name=INDEX)


def test_restore_of_an_initializing_backup_is_412(client, emulator, index):
    emulator.state.faults.ready_delay = 30
    backup = emulator.state.create_backup(index, {}).backup_id
    with pytest.raises(PreconditionFailedError, match="not ready"):
        client.create_index_from_backup(backup, name="restored")


def test_backup_with_a_pending_restore_cannot_be_deleted(client, emulator, ready_backup, provider_env):
    emulator.state.faults.restore_delay = 60  # pending for the whole test, however loaded the machine
    started = client.create_index_from_backup(ready_backup, name="restored")
    with pytest.raises(PreconditionFailedError, match="pending restore jobs"):
        client.delete_backup(ready_backup)
    with pytest.raises(PineconeError, match=r"while a restore from it is pending.*Wait for the restore job"):
        BackupProvider().delete(ready_backup, {})
    assert ready_backup in emulator.state.backups
    emulator.state.restore_jobs[started.restore_job_id].duration = 0  # the restore completes
    client.delete_backup(ready_backup)
    assert ready_backup not in emulator.state.backups


def test_configure_index_changes_protection_and_tags(client, emulator, ready_backup):
    emulator.state.faults.restore_delay = 0
    client.create_index_from_backup(ready_backup, name="restored", tags={"a": "1", "b": "2"})
    index = client.configure_index("restored", deletion_protection="enabled", tags={"a": "", "c": "3"})
    assert index.deletion_protection == "enabled" and index.tags == {"b": "2", "c": "3"}


# -- the provider -----------------------------------------------------------------------------


def test_create_waits_for_the_restore_and_the_index(provider, emulator, ready_backup, capsys):
    result = provider.create(restore_props(ready_backup, tags={"team": "search"}))
    outs = result.outs
    assert result.id == "restored"
    assert outs["restore_status"] == "Completed" and outs["percent_complete"] == 100.0 and outs["completed_at"]
    assert outs["index_id"] == emulator.state.indexes["restored"].id and outs["restore_job_id"]
    assert outs["host"] and outs["dimension"] == 8 and outs["metric"] == "cosine"
    restored = emulator.state.indexes["restored"]
    assert restored.record_count == RECORDS and outs["tags"] == {"team": "search"}
    token = IndexFromBackupInputs.from_props(restore_props(ready_backup)).owner_token
    assert restored.tags == {"team": "search", OWNER_TAG: token}  # the proof of whose index it is
    assert "Completed 100% after" in capsys.readouterr().err


@pytest.mark.parametrize("protection", ["disabled", "enabled"])
def test_failed_restore_leaves_no_index_behind(provider, emulator, ready_backup, protection):
    emulator.state.faults.fail_restores = True
    with pytest.raises(PineconeError, match=r"is Failed.*index restored was deleted"):
        provider.create(restore_props(ready_backup, deletion_protection=protection))
    assert "restored" not in emulator.state.indexes


def test_restore_timeout_leaves_no_index_behind(provider, emulator, ready_backup):
    emulator.state.faults.restore_delay = 30
    with pytest.raises(PineconeError, match=r"is Pending after .*ready_timeout=0.3s.*deleted"):
        provider.create(restore_props(ready_backup, ready_timeout=0.3))
    assert "restored" not in emulator.state.indexes


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({"name": INDEX}, r"name: an index named 'products' already exists"),
        ({"backup_id": "no-such-backup"}, r"backup_id: no backup with id 'no-such-backup'"),
    ],
)
def test_create_errors_name_the_property(provider, emulator, ready_backup, props, message):
    with pytest.raises(PineconeError, match=message):
        provider.create({**restore_props(ready_backup), **props})


def test_create_from_a_backup_that_is_not_ready_says_what_to_do(provider, emulator, index):
    emulator.state.faults.ready_delay = 30
    backup = emulator.state.create_backup(index, {}).backup_id
    with pytest.raises(PineconeError, match=r"backup_id: .* is not Ready.*backup.backup_id"):
        provider.create(restore_props(backup))


def test_read_drops_an_index_deleted_outside_pulumi(provider, emulator, ready_backup):
    created = provider.create(restore_props(ready_backup))
    emulator.state.delete_index("restored")
    assert provider.read(created.id, created.outs).id == ""


def test_delete_with_deletion_protection_says_how_to_proceed(provider, emulator, ready_backup):
    created = provider.create(restore_props(ready_backup, deletion_protection="enabled"))
    with pytest.raises(
        PineconeError,
        match=r"deletion protection enabled.*'disabled'.*deletion_protection.*deletionProtection.*pulumi up",
    ):
        provider.delete(created.id, created.outs)
    assert "restored" in emulator.state.indexes


def test_update_lifts_protection_in_place_then_delete_works(provider, emulator, ready_backup):
    created = provider.create(restore_props(ready_backup, deletion_protection="enabled", tags={"a": "1"}))
    news = restore_props(ready_backup, deletion_protection="disabled", tags={"b": "2"})
    diff = provider.diff(created.id, created.outs, news)
    assert diff.changes and diff.replaces == []
    updated = provider.update(created.id, created.outs, news).outs
    assert updated["deletion_protection"] == "disabled" and updated["tags"] == {"b": "2"}
    assert emulator.state.indexes["restored"].tags.keys() == {"b", OWNER_TAG}  # the owner tag stays
    provider.delete(created.id, updated)
    assert "restored" not in emulator.state.indexes


def test_diff_replaces_on_backup_or_name_and_orders_the_replacement():
    olds = restore_props("b1")
    same_name = IndexFromBackupProvider().diff("restored", olds, restore_props("b2"))
    assert same_name.replaces == ["backup_id"] and same_name.delete_before_replace is True
    new_name = IndexFromBackupProvider().diff("restored", olds, restore_props("b2", name="restored-2"))
    assert set(new_name.replaces) == {"backup_id", "name"} and new_name.delete_before_replace is False
    assert IndexFromBackupProvider().diff("restored", olds, restore_props("b1")).changes is False


@pytest.mark.parametrize(
    ("news", "prop"),
    [
        ({"name": "restored"}, "backup_id"),
        ({"backup_id": "b1"}, "name"),
        ({"backup_id": "b1", "name": "Bad_Name"}, "name"),
        ({"backup_id": "b1", "name": "ok", "deletion_protection": "on"}, "deletion_protection"),
        ({"backup_id": "b1", "name": "ok", "tags": {"a": 1}}, "tags"),
        ({"backup_id": "b1", "name": "ok", "ready_timeout": 0}, "ready_timeout"),
    ],
)
def test_check_names_the_property(news, prop):
    failures = IndexFromBackupProvider().check({}, news).failures
    assert [failure.property for failure in failures] == [prop]


# -- nothing left behind: any error once the index exists deletes it -----------------------------


@pytest.fixture
def shared_client(provider_env):
    """The provider's own client, with retries short enough for a test (it is built on first use)."""
    shared = _credentials.client()
    shared._retry = fast_retry(allowed_methods=("GET", "DELETE", "PATCH"))  # 5 attempts, ~0.2 s
    return shared


def after_the_restore_starts(shared, monkeypatch, then):
    """Let create-index reach the emulator and start the restore, then run `then()`."""
    post = shared.create_index_from_backup

    def post_then(*args, **kwargs):
        started = post(*args, **kwargs)
        then()
        return started

    monkeypatch.setattr(shared, "create_index_from_backup", post_then)


def test_a_5xx_reading_the_new_restore_job_deletes_the_index(
    provider, emulator, ready_backup, shared_client, monkeypatch
):
    """The first read after create-index used to be outside the cleanup: the index stayed, and
    every later `up` failed with "already exists"."""
    after_the_restore_starts(
        shared_client, monkeypatch, lambda: emulator.state.faults.update({"server_errors_next": 5})
    )
    with pytest.raises(PineconeError, match=r"GET /restore-jobs/\S+ failed with HTTP 503.*index restored was deleted"):
        provider.create(restore_props(ready_backup))
    assert "restored" not in emulator.state.indexes
    made = [(method, path.split("/")[1], status) for method, path, status in calls(emulator)]
    assert made == [
        ("GET", "backups", 200),  # the backup's tags, which the restore keeps beside the owner tag
        ("POST", "backups", 202),
        *[("GET", "restore-jobs", 503)] * 5,
        ("DELETE", "indexes", 202),
    ]


def raises(error):
    def fail(*_args, **_kwargs):
        raise error

    return fail


@pytest.mark.parametrize(
    "error",
    [ValueError("garbled answer"), httpx.RemoteProtocolError("peer closed connection"), RuntimeError("a bug")],
    ids=["ValueError", "httpx", "RuntimeError"],
)
@pytest.mark.parametrize(
    ("method", "overrides"),
    [
        ("describe_restore_job", {}),  # the first read after create-index
        ("describe_index", {}),  # waiting for the index, once the restore completed
        ("describe_index", {"wait_for_ready": False}),  # not waiting: the one read of the index
    ],
    ids=["first-read", "wait", "no-wait"],
)
@pytest.mark.parametrize("protection", ["disabled", "enabled"])
def test_any_error_once_the_index_exists_deletes_it(
    provider, emulator, ready_backup, shared_client, monkeypatch, error, method, overrides, protection
):
    emulator.state.faults.restore_delay = 0
    monkeypatch.setattr(shared_client, method, raises(error))
    props = restore_props(ready_backup, deletion_protection=protection, **overrides)
    with pytest.raises(
        PineconeError, match=rf"{type(error).__name__}: {error}. The index restored was deleted"
    ) as raised:
        provider.create(props)
    assert raised.value.__cause__ is error  # the original traceback stays reachable
    assert "restored" not in emulator.state.indexes


def test_an_index_that_cannot_be_deleted_is_named_in_the_error(
    provider, emulator, ready_backup, shared_client, monkeypatch
):
    monkeypatch.setattr(shared_client, "describe_restore_job", raises(ValueError("garbled answer")))
    monkeypatch.setattr(shared_client, "delete_index", raises(PineconeError("service unavailable")))
    with pytest.raises(PineconeError, match=r"garbled answer. It could not be deleted.*delete index restored by hand"):
        provider.create(restore_props(ready_backup))


# -- a lost answer, a killed run: the index the last attempt made is adopted ----------------------


def restore_posts(emulator):
    return [status for method, path, status in calls(emulator, "POST") if path.endswith("/create-index")]


def test_the_index_a_killed_run_left_is_adopted(provider, emulator, ready_backup, capsys):
    left = emulator.state.create_index_from_backup(ready_backup, left_by(ready_backup))  # then the run was killed
    outs = provider.create(restore_props(ready_backup)).outs
    assert outs["restore_job_id"] == left.restore_job_id and outs["index_id"] == left.target_index_id
    assert outs["restore_status"] == "Completed" and outs["host"]
    assert restore_posts(emulator) == [409] and list(emulator.state.restore_jobs) == [left.restore_job_id]
    assert f"Adopted: index restored, restored from backup {ready_backup}" in capsys.readouterr().err


@pytest.mark.parametrize(
    "lost", [ServerError(500, "UNKNOWN", "Internal server error"), TransportError("POST ... got no answer")]
)
def test_a_lost_create_answer_adopts_the_restore_it_started(
    provider, emulator, ready_backup, shared_client, monkeypatch, lost
):
    after_the_restore_starts(shared_client, monkeypatch, raises(lost))
    outs = provider.create(restore_props(ready_backup)).outs
    (job,) = emulator.state.restore_jobs.values()
    assert outs["restore_job_id"] == job.restore_job_id and outs["restore_status"] == "Completed"
    assert restore_posts(emulator) == [202]  # looked for, found: not posted again


def test_a_5xx_that_started_nothing_is_tried_again(provider, emulator, ready_backup):
    emulator.state.faults.server_errors_next = 1  # the POST (tags set: no GET of the backup's first): 503
    outs = provider.create(restore_props(ready_backup, tags={"team": "search"})).outs
    assert restore_posts(emulator) == [503, 202] and outs["restore_status"] == "Completed"
    assert ("GET", "/indexes/restored", 404) in calls(emulator)  # looked for: nothing made


def test_a_create_that_keeps_failing_says_nothing_was_made(provider, emulator, ready_backup, monkeypatch):
    monkeypatch.setattr(index_from_backup, "CREATE_ATTEMPTS", 1)
    emulator.state.faults.server_errors_next = 1
    with pytest.raises(PineconeError, match=r"failed \(1 attempts, .*HTTP 503.*no restore into that name"):
        provider.create(restore_props(ready_backup, tags={"team": "search"}))
    assert "restored" not in emulator.state.indexes


@pytest.mark.parametrize(
    "made_before",
    [
        lambda state, backup, other: state.create_index({"name": "restored", "dimension": 8, "spec": SERVERLESS_SPEC}),
        lambda state, backup, other: state.create_index_from_backup(other, {"name": "restored"}),
        # restored from this backup once, deleted, then from another: the index there now is the other's
        lambda state, backup, other: (
            started_at(state.create_index_from_backup(backup, {"name": "restored"}), "2000-01-01T00:00:00Z"),
            state.delete_index("restored"),
            state.create_index_from_backup(other, {"name": "restored"}),
        ),
        # the same backup restored into the same name by another stack of the same names (another
        # backend), or by a release before the owner tag, or by hand: nothing proves it is this one's
        lambda state, backup, other: state.create_index_from_backup(
            backup, left_by(backup, owner={**OWNER, "stack_instance": "instance-b"})
        ),
        lambda state, backup, other: state.create_index_from_backup(backup, {"name": "restored"}),
    ],
    ids=["made-by-hand", "from-another-backup", "latest-from-another-backup", "another-stack's", "untagged"],
)
def test_an_index_that_is_not_this_restore_is_never_adopted(provider, emulator, ready_backup, made_before):
    other = emulator.state.create_backup(INDEX, {"name": "other"}).backup_id
    made_before(emulator.state, ready_backup, other)
    before = emulator.state.indexes["restored"]
    with pytest.raises(
        PineconeError,
        match=rf"name: an index named 'restored' already exists \(not restored from backup {ready_backup}",
    ):
        provider.create(restore_props(ready_backup))
    assert emulator.state.indexes["restored"] is before  # untouched


def started_at(job, when: str):
    job.created_at = when
    return job


def test_an_older_restore_of_another_backup_into_the_name_does_not_matter(provider, emulator, ready_backup):
    other = emulator.state.create_backup(INDEX, {"name": "other"}).backup_id
    started_at(emulator.state.create_index_from_backup(other, {"name": "restored"}), "2000-01-01T00:00:00Z")
    emulator.state.delete_index("restored")
    left = emulator.state.create_index_from_backup(ready_backup, left_by(ready_backup))
    assert provider.create(restore_props(ready_backup)).outs["restore_job_id"] == left.restore_job_id


def test_the_restore_jobs_are_read_page_by_page(provider, emulator, ready_backup):
    emulator.state.faults.restore_delay = 0
    for number in range(105):
        emulator.state.create_index_from_backup(ready_backup, {"name": f"other-{number}"})
    left = emulator.state.create_index_from_backup(ready_backup, left_by(ready_backup))  # on the second page
    assert provider.create(restore_props(ready_backup)).outs["restore_job_id"] == left.restore_job_id
    assert [path for _, path, _ in calls(emulator, "GET", "/restore-jobs") if path == "/restore-jobs"] == [
        "/restore-jobs",
        "/restore-jobs",
    ]


def test_an_adopted_index_reports_its_own_tags_so_the_next_up_corrects_them(provider, emulator, ready_backup):
    emulator.state.create_index_from_backup(ready_backup, left_by(ready_backup, tags={"team": "old"}))
    props = restore_props(ready_backup, tags={"team": "search"})
    outs = provider.create(props).outs
    assert outs["tags"] == {"team": "old"} and outs["deletion_protection"] == "disabled"
    diff = provider.diff("restored", outs, props)
    assert diff.changes and diff.replaces == []


def test_an_adopted_restore_that_failed_is_deleted_like_any_other(provider, emulator, ready_backup):
    emulator.state.faults.fail_restores = True
    emulator.state.create_index_from_backup(ready_backup, left_by(ready_backup))
    with pytest.raises(PineconeError, match=r"is Failed.*index restored was deleted"):
        provider.create(restore_props(ready_backup))
    assert "restored" not in emulator.state.indexes


# -- a cancelled `up` records the index; the next one finishes the wait -------------------------


@pytest.fixture
def cancellation():
    """`cancel_after(seconds)` cancels the waits as the provider host does when the engine cancels;
    the process-wide flag is cleared again afterwards (a provider host cancels once)."""
    timers: list[threading.Timer] = []

    def cancel_after(seconds: float) -> None:
        timers.append(threading.Timer(seconds, _polling.CANCELLED.set))
        timers[-1].start()

    yield cancel_after
    for timer in timers:
        timer.cancel()
    _polling.CANCELLED.clear()


def test_a_cancelled_wait_records_the_index_and_the_next_up_waits_for_it(
    provider, emulator, ready_backup, cancellation
):
    emulator.state.faults.restore_delay = 60
    cancellation(0.3)
    outs = provider.create(restore_props(ready_backup)).outs
    assert outs["restore_status"] in ("Pending", "Running") and "restored" in emulator.state.indexes

    news = restore_props(ready_backup)
    assert provider.diff("restored", outs, news).changes is True  # the next `up` updates it...
    assert provider.diff("restored", outs, restore_props(ready_backup, wait_for_ready=False)).changes is False
    _polling.CANCELLED.clear()  # the next `up`: a new provider host
    emulator.state.restore_jobs[outs["restore_job_id"]].duration = 0.2
    updated = provider.update("restored", outs, news).outs  # ...which waits for it
    assert updated["restore_status"] == "Completed" and updated["percent_complete"] == 100.0 and updated["host"]
    assert provider.diff("restored", updated, news).changes is False


def test_refresh_reads_how_a_recorded_restore_went(provider, emulator, ready_backup):
    emulator.state.faults.fail_restores = True
    outs = provider.create(restore_props(ready_backup, wait_for_ready=False)).outs
    assert outs["restore_status"] in ("Pending", "Running")
    emulator.state.restore_jobs[outs["restore_job_id"]].duration = 0
    refreshed = provider.read("restored", outs).outs
    assert refreshed["restore_status"] == "Failed"
    diff = provider.diff("restored", refreshed, restore_props(ready_backup))
    assert diff.replaces == ["restore_status"] and diff.delete_before_replace is True


def test_unset_tags_keep_what_the_restore_copied_from_the_backup(provider, emulator, index):
    emulator.state.faults.update({"ready_delay": 0, "restore_delay": 0.2})
    emulator.state.seed_index(index, record_count=RECORDS, namespace_count=3)
    _credentials.client().configure_index(index, tags={"team": "search"})
    backup_id = emulator.state.create_backup(index, {"name": "tagged"}).backup_id
    created = provider.create(restore_props(backup_id)).outs
    refreshed = provider.read("restored", created).outs
    assert refreshed["tags"] == {"team": "search"}  # copied from the backup by the service

    diff = provider.diff("restored", refreshed, restore_props(backup_id))
    assert diff.changes is False  # unset tags are not managed: nothing to take away
    emulator.state.requests.clear()
    provider.update("restored", refreshed, restore_props(backup_id, deletion_protection="enabled"))
    assert emulator.state.indexes["restored"].tags.keys() == {"team", OWNER_TAG}
