"""The API client over real HTTP against the emulator."""

from __future__ import annotations

import itertools
import time

import httpx
import pytest

from pinecone_backup._version import __version__
from pinecone_backup.api import (
    API_VERSION,
    AlreadyExistsError,
    ApiError,
    ForbiddenError,
    InvalidRequestError,
    NotFoundError,
    PineconeClient,
    PreconditionFailedError,
    RateLimitedError,
    ServerError,
    TransportError,
    UnauthorizedError,
    resolve_host,
)
from pinecone_backup.api.models import Backup, Index, RestoreJob
from pinecone_backup.errors import error_from_response
from support.emulator import API_KEY, INDEX, RECORDS, calls, create_index, eventually, fast_retry


def test_create_describe_delete_roundtrip(client, emulator, index):
    created = client.create_backup(index, name="nightly", description="before the migration")
    assert created.status == "Initializing"
    assert created.record_count is None  # counts are null until Ready, as on the live service
    assert created.name == "nightly" and created.description == "before the migration"

    time.sleep(0.35)
    ready = client.describe_backup(created.backup_id)
    assert ready.is_ready
    assert ready.record_count == RECORDS
    assert ready.namespace_count == 3
    assert ready.size_bytes and ready.size_bytes > 0
    assert ready.source_index_name == INDEX and ready.cloud == "aws" and ready.region == "us-east-1"

    client.delete_backup(created.backup_id)
    with pytest.raises(NotFoundError):
        client.describe_backup(created.backup_id)


def test_requests_carry_version_and_user_agent(client, emulator, index):
    client.create_backup(index)
    entry = emulator.state.request_log()[-1]
    assert entry.api_version == API_VERSION == "2026-07"
    assert entry.user_agent == f"pinecone-backup/{__version__}"


def test_create_sends_only_given_fields(client, emulator, index):
    backup = client.create_backup(index)
    assert backup.name is None and backup.description is None


def test_list_follows_every_page(client, emulator, index):
    create_index(emulator, "other")
    ids = {client.create_backup(index).backup_id for _ in range(7)}
    other = client.create_backup("other").backup_id

    listed = list(client.list_backups(index, page_size=3))
    assert {backup.backup_id for backup in listed} == ids
    assert len(calls(emulator, "GET", f"/indexes/{index}/backups")) == 3  # 3 + 3 + 1

    project = list(client.list_backups(page_size=2))
    assert {backup.backup_id for backup in project} == ids | {other}
    assert len(calls(emulator, "GET", "/backups")) == 4


def test_list_of_an_index_without_backups_is_empty(client, index):
    assert list(client.list_backups(index)) == []


def test_describe_index(client, index):
    described = client.describe_index(index)
    assert described.name == index and described.is_serverless and described.status.ready


@pytest.mark.parametrize(
    ("call", "error", "status", "code"),
    [
        (lambda api: api.describe_backup("missing"), NotFoundError, 404, "NOT_FOUND"),
        (lambda api: api.create_backup("no-such-index"), NotFoundError, 404, "NOT_FOUND"),
        (lambda api: api.describe_index("no-such-index"), NotFoundError, 404, "NOT_FOUND"),
        # a wrong type does not deserialize: 422 (the spec's "could not be deserialized")
        (lambda api: api.create_backup(INDEX, name=7), InvalidRequestError, 422, "UNPROCESSABLE_ENTITY"),  # type: ignore[arg-type]
        # a string that breaks 2026-07's backup-name rule: 400
        (lambda api: api.create_backup(INDEX, name="Not A Name"), InvalidRequestError, 400, "INVALID_ARGUMENT"),
    ],
)
def test_errors_are_typed_and_carry_status_code_message(client, index, call, error, status, code):
    with pytest.raises(error) as raised:
        call(client)
    assert raised.value.status == status
    assert raised.value.code == code
    assert raised.value.message
    assert str(status) in str(raised.value)


def test_quota_exceeded_is_forbidden(client, emulator, index, monkeypatch):
    monkeypatch.setattr(emulator.state, "max_backups", 1)
    client.create_backup(index)
    with pytest.raises(ForbiddenError, match="quota"):
        client.create_backup(index)


def test_wrong_api_key_is_unauthorized_and_not_echoed(emulator, index):
    wrong = "pcsk_wrong_key_should_never_be_printed"
    with PineconeClient(wrong, host=emulator.url) as api, pytest.raises(UnauthorizedError) as raised:
        api.describe_index(index)
    # 2026-07 answers a 401 in plain text ("Invalid API key"), not with an error body
    assert (raised.value.status, raised.value.code) == (401, "HTTP_401")
    assert raised.value.message == "Invalid API key"
    assert wrong not in str(raised.value) and wrong not in repr(raised.value)
    assert wrong not in repr(api)


@pytest.mark.parametrize(
    ("status", "error"),
    [(409, AlreadyExistsError), (412, PreconditionFailedError), (422, InvalidRequestError), (429, RateLimitedError)],
)
def test_status_mapping_from_spec_error_bodies(status, error):
    body = {"error": {"code": "SOME_CODE", "message": "what went wrong"}, "status": status}
    response = httpx.Response(status, json=body, request=httpx.Request("DELETE", "https://x/backups/b1"))
    built = error_from_response(response)
    assert type(built) is error
    assert (built.status, built.code, built.message) == (status, "SOME_CODE", "what went wrong")
    assert str(built) == f"DELETE /backups/b1 failed with HTTP {status} SOME_CODE: what went wrong"


def test_error_message_is_scrubbed_of_the_key():
    body = {"error": {"code": "UNAUTHENTICATED", "message": f"bad key {API_KEY}"}, "status": 401}
    response = httpx.Response(401, json=body, request=httpx.Request("GET", "https://x/indexes"))
    assert API_KEY not in str(error_from_response(response, secret=API_KEY))


def test_non_json_500_gives_a_clear_error():
    response = httpx.Response(500, text="<html>upstream exploded</html>", request=httpx.Request("GET", "https://x/y"))
    built = error_from_response(response)
    assert isinstance(built, ServerError)
    assert built.code == "HTTP_500" and "upstream exploded" in built.message


def test_retries_429_then_succeeds(client, emulator, index):
    emulator.state.faults.update({"rate_limit_next": 2, "retry_after": 0})
    assert client.describe_index(index).name == index
    assert [status for _, _, status in calls(emulator)] == [429, 429, 200]


def test_retries_503_then_succeeds(client, emulator, index):
    emulator.state.faults.update({"server_errors_next": 2})
    assert client.describe_index(index).name == index
    assert [status for _, _, status in calls(emulator)] == [503, 503, 200]


def test_create_retries_429_but_not_500(client, emulator, index):
    emulator.state.faults.update({"rate_limit_next": 1, "retry_after": 0})
    client.create_backup(index)
    assert [status for _, _, status in calls(emulator, "POST")] == [429, 200]

    emulator.state.faults.update({"server_errors_next": 1, "server_error_status": 500})
    with pytest.raises(ServerError):
        client.create_backup(index)
    assert [status for _, _, status in calls(emulator, "POST")] == [429, 200, 500]


def test_retry_after_is_honoured(client, emulator, index):
    emulator.state.faults.update({"rate_limit_next": 1, "retry_after": 1})
    started = time.monotonic()
    client.describe_index(index)
    assert time.monotonic() - started >= 1.0
    log = emulator.state.request_log()
    assert log[1].started - log[0].finished >= 0.95


def test_gives_up_after_bounded_attempts(client, emulator, index):
    emulator.state.faults.update({"server_errors_next": 100})
    with pytest.raises(ServerError) as raised:
        client.describe_index(index)
    assert raised.value.status == 503
    assert len(calls(emulator)) == 5  # the first try and 4 retries


def test_no_retry_on_400_or_404(client, emulator, index):
    with pytest.raises(NotFoundError):
        client.describe_backup("missing")
    with pytest.raises(InvalidRequestError):
        client.create_backup(index, name=1)  # type: ignore[arg-type]
    with pytest.raises(InvalidRequestError):
        client.create_backup(index, name="UPPER")
    assert [status for _, _, status in calls(emulator)] == [404, 422, 400]


def test_read_timeout_is_retried_then_reported(emulator, index):
    emulator.state.faults.update({"latency": 0.5})
    with (
        PineconeClient(
            API_KEY,
            host=emulator.url,
            timeout=httpx.Timeout(0.1),
            retry=fast_retry(total=2, allowed_methods=("GET",)),
        ) as api,
        pytest.raises(TransportError, match="ReadTimeout") as raised,
    ):
        api.describe_index(index)
    assert API_KEY not in str(raised.value)
    eventually(lambda: len(calls(emulator)) == 3)  # logged once each attempt's latency has passed


def test_refused_connection_is_a_transport_error():
    with (
        PineconeClient(API_KEY, host="http://127.0.0.1:9", retry=fast_retry(total=1)) as api,
        pytest.raises(TransportError, match="ConnectError"),
    ):
        api.describe_backup("b")


@pytest.mark.parametrize(
    ("given", "env", "expected"),
    [
        (None, None, "https://api.pinecone.io"),
        (None, "api.example.test", "https://api.example.test"),
        (None, "http://127.0.0.1:5080/", "http://127.0.0.1:5080"),
        ("https://given.test", "ignored.test", "https://given.test"),
    ],
)
def test_host_resolution(monkeypatch, given, env, expected):
    if env is None:
        monkeypatch.delenv("PINECONE_CONTROLLER_HOST", raising=False)
    else:
        monkeypatch.setenv("PINECONE_CONTROLLER_HOST", env)
    assert resolve_host(given) == expected


def test_api_error_base_covers_unmapped_statuses():
    response = httpx.Response(
        402,
        json={"error": {"code": "PAYMENT_REQUIRED", "message": "pay"}, "status": 402},
        request=httpx.Request("POST", "https://x/indexes/i/backups"),
    )
    built = error_from_response(response)
    assert type(built) is ApiError and built.code == "PAYMENT_REQUIRED"


def test_a_shared_rate_limit_is_ridden_out_with_retry_after(client, emulator, index):
    emulator.state.faults.update({"rate_limit": 5, "rate_burst": 2})
    for _ in range(6):
        assert client.describe_index(index).name == index
    statuses = [status for _, _, status in calls(emulator)]
    assert statuses.count(200) == 6 and 429 in statuses
    log = emulator.state.request_log()
    for previous, entry in itertools.pairwise(log):
        if previous.status == 429:
            assert entry.started - previous.finished >= 0.95  # Retry-After: 1 was honoured


# -- the 2026-07 shapes ---------------------------------------------------------------------------------


def test_backup_dimension_and_metric_come_from_its_schema(client, emulator, index):
    emulator.state.faults.ready_delay = 0
    backup = client.describe_backup(client.create_backup(index).backup_id)
    assert backup.index_schema is not None and set(backup.index_schema.fields) == {"_values", "_sparse_values"}
    assert (backup.dimension, backup.metric) == (8, "cosine")  # what the Backup resource outputs
    assert backup.tags is None and backup.source_index_deleted_at is None
    described = client.describe_index(index)
    assert (described.dimension, described.metric, described.is_serverless) == (8, "cosine", True)
    assert described.deployment is not None and described.deployment.region == "us-east-1"


def test_a_backup_of_a_deleted_index_says_when_it_was_deleted(client, emulator, index):
    made = client.create_backup(index).backup_id
    client.delete_index(index)
    assert client.describe_backup(made).source_index_deleted_at
    with pytest.raises(NotFoundError):
        list(client.list_backups(index))
    assert [backup.backup_id for backup in client.list_backups(index, include_deleted=True)] == [made]


def test_pages_after_the_first_send_the_token_alone(client, emulator, index, monkeypatch):
    for _ in range(5):
        emulator.state.create_backup(index, {})
    sent: list[dict[str, object]] = []
    request = client._request

    def spy(method, path, **kwargs):
        sent.append(dict(kwargs.get("params") or {}))
        return request(method, path, **kwargs)

    monkeypatch.setattr(client, "_request", spy)
    assert len(list(client.list_backups(page_size=2))) == 5
    assert [sorted(params) for params in sent] == [["limit"], ["paginationToken"], ["paginationToken"]]


def test_restore_jobs_are_listed_across_pages(client, emulator, index):
    emulator.state.faults.update({"ready_delay": 0, "restore_delay": 30})
    backup = emulator.state.create_backup(index, {}).backup_id
    made = [emulator.state.create_index_from_backup(backup, {"name": f"r-{n}"}).restore_job_id for n in range(5)]
    jobs = list(client.list_restore_jobs(page_size=2))
    assert [job.restore_job_id for job in jobs] == made
    assert {job.status for job in jobs} == {"Pending"} and {job.percent_complete for job in jobs} == {None}
    assert jobs[0].created_time is not None
    assert len(calls(emulator, "GET", "/restore-jobs")) == 3


@pytest.mark.parametrize(
    ("body", "dimension", "metric", "serverless"),
    [
        # 2026-07: schema + deployment; sparse-only has dotproduct and no dimension
        (
            {"schema": {"fields": {"e": {"type": "dense_vector", "dimension": 3, "metric": "euclidean"}}},
             "deployment": {"deployment_type": "managed", "cloud": "aws", "region": "us-east-1"}},
            3, "euclidean", True,
        ),
        (
            {"schema": {"fields": {"s": {"type": "sparse_vector", "description": None}, "m": {"filterable": True}}},
             "deployment": {"deployment_type": "byoc", "environment": "e"}, "tags": None},
            None, "dotproduct", False,
        ),
        # 2025-10: dimension, metric and spec, kept as extra fields
        ({"dimension": 1536, "metric": "cosine", "spec": {"serverless": {}}, "tags": None}, 1536, "cosine", True),
        ({"spec": {"pod": {}}}, None, None, False),
    ],
)  # fmt: skip
def test_index_models_read_every_shape(body, dimension, metric, serverless):
    index = Index.model_validate({"name": "i", "host": None, "unknown": {"new": "field"}, **body})
    assert (index.dimension, index.metric, index.is_serverless) == (dimension, metric, serverless)


def test_backup_models_read_2025_shapes_and_unknown_fields():
    backup = Backup.model_validate(
        {
            "backup_id": "b",
            "status": "Failed",
            "dimension": 1536,
            "metric": "dotproduct",
            "record_count": None,
            "schema": {"fields": {"genre": {"filterable": True}}},  # 2025-10's metadata schema
            "something_new": [1, 2],
        }
    )
    assert (backup.dimension, backup.metric, backup.record_count, backup.is_failed) == (1536, "dotproduct", None, True)
    assert Backup.model_validate({"backup_id": "b", "status": "InitializationFailed"}).is_failed
    assert not Backup.model_validate({"backup_id": "b", "status": "Initializing"}).is_failed
    job = {"restore_job_id": "j", "backup_id": "b", "target_index_name": "t", "target_index_id": "i"}
    assert RestoreJob.model_validate({**job, "status": "Cancelled"}).is_failed
    assert RestoreJob.model_validate({**job, "status": "Running", "percent_complete": 42.5}).percent_complete == 42.5
