"""The emulator answers by API version, over real HTTP: shapes, status codes, semantics, refusals."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from pinecone_backup.emulator import EmulatorServer, EmulatorState
from pinecone_backup.emulator.__main__ import parse_args, state_from_args
from pinecone_backup.emulator.parsing import SERVERLESS_REGIONS
from pinecone_backup.emulator.versions import SUPPORTED_VERSIONS
from support.emulator import API_KEY, DIMENSION, INDEX, RECORDS, calls, create_index

VERSIONS = ("2025-04", "2025-10", "2026-07")
EARLY = ("2025-04", "2025-10")
LEGACY_SPEC = {"serverless": {"cloud": "aws", "region": "us-east-1"}}


def api(emulator: EmulatorServer, version: str | None, **headers: str) -> httpx.Client:
    sent = {"Api-Key": API_KEY, **headers}
    if version is not None:
        sent["X-Pinecone-Api-Version"] = version
    return httpx.Client(base_url=emulator.url, headers=sent)


@pytest.fixture
def http(emulator) -> Iterator[Any]:
    """`http(version)`: a client speaking that version to the emulator."""
    clients: list[httpx.Client] = []

    def make(version: str | None = "2026-07", **headers: str) -> httpx.Client:
        clients.append(api(emulator, version, **headers))
        return clients[-1]

    yield make
    for client in clients:
        client.close()


def nulls(value: Any, where: str = "") -> list[str]:
    """Where a JSON value holds null."""
    if value is None:
        return [where]
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in nulls(item, f"{where}.{key}")]
    if isinstance(value, list):
        return [found for number, item in enumerate(value) for found in nulls(item, f"{where}[{number}]")]
    return []


def error(response: httpx.Response) -> tuple[int, str]:
    body = response.json()
    assert body["status"] == response.status_code and body["error"]["message"]
    return response.status_code, body["error"]["code"]


def last_logged(emulator: EmulatorServer) -> tuple[str, str, int]:
    return calls(emulator)[-1]


# -- the version header ----------------------------------------------------------------------------


def test_a_request_without_the_version_is_served_in_the_oldest(emulator, index, http):
    """As the live service: "If you don't [specify a version], requests default to the oldest
    supported stable version" (Pinecone's versioning guide)."""
    assert emulator.state.default_api_version == SUPPORTED_VERSIONS[0] == "2025-04"
    response = http(None).get(f"/indexes/{index}")
    assert response.status_code == 200
    body = response.json()  # 2025-04: dimension and spec, and no read_capacity (2025-10 added it)
    assert body["dimension"] == DIMENSION and body["spec"]["serverless"] == {"cloud": "aws", "region": "us-east-1"}
    assert last_logged(emulator) == ("GET", f"/indexes/{index}", 200)
    assert emulator.state.request_log()[-1].api_version is None  # the log shows what was sent
    created = http(None).post("/indexes", json={"name": "x", "dimension": 4, "spec": LEGACY_SPEC})
    assert created.status_code == 201 and "read_capacity" not in created.json()["spec"]["serverless"]


def test_an_unknown_version_is_refused_and_logged(emulator, index, http):
    response = http("2024-01").get(f"/indexes/{index}")
    assert error(response) == (400, "INVALID_ARGUMENT")
    message = response.json()["error"]["message"]
    assert "Unsupported API version" in message and "2026-07" in message
    assert last_logged(emulator) == ("GET", f"/indexes/{index}", 400)
    assert emulator.state.request_log()[-1].api_version == "2024-01"


def test_a_strict_emulator_refuses_a_request_without_the_version():
    with EmulatorServer(EmulatorState(api_keys=frozenset({API_KEY}), strict_api_version=True)) as server:
        create_index(server, INDEX)
        with api(server, None) as client:
            response = client.get(f"/indexes/{INDEX}")
            assert error(response) == (400, "INVALID_ARGUMENT")
            message = response.json()["error"]["message"]
            assert "Missing required header X-Pinecone-Api-Version" in message and "2026-07" in message
            assert calls(server) == [("GET", f"/indexes/{INDEX}", 400)]
            assert server.state.request_log()[-1].api_version is None
            wrong_key = client.get("/indexes", headers={"Api-Key": "wrong"})  # no version: the plain-text 401
            assert wrong_key.status_code == 401 and wrong_key.headers["content-type"].startswith("text/plain")
            assert client.get("/indexes", headers={"X-Pinecone-Api-Version": "2025-04"}).status_code == 200


def test_another_default_version_can_be_chosen():
    with EmulatorServer(EmulatorState(default_api_version="2026-07")) as server:
        create_index(server, INDEX)
        with api(server, None) as client:
            body = client.get(f"/indexes/{INDEX}").json()
            assert "dimension" not in body and body["deployment"]["region"] == "us-east-1"  # 2026-07
            assert client.get("/indexes", headers={"X-Pinecone-Api-Version": "1999-01"}).status_code == 400


def test_strict_and_a_default_version_do_not_go_together():
    with pytest.raises(ValueError, match="strict_api_version"):
        EmulatorState(strict_api_version=True, default_api_version="2025-10")
    with pytest.raises(ValueError, match="default_api_version"):
        EmulatorState(default_api_version="1999-01")


@pytest.mark.parametrize(
    ("argv", "default", "strict"),
    [
        ([], "2025-04", False),
        (["--default-api-version", "2025-10"], "2025-10", False),
        (["--strict-api-version"], None, True),
    ],
)
def test_the_cli_chooses_how_requests_without_a_version_are_answered(argv, default, strict):
    state = state_from_args(parse_args(argv))
    assert (state.default_api_version, state.strict_api_version) == (default, strict)


def test_the_cli_refuses_strict_with_a_default_version(capsys):
    with pytest.raises(SystemExit):
        parse_args(["--strict-api-version", "--default-api-version", "2025-10"])
    assert "not allowed with argument" in capsys.readouterr().err


def test_authentication_comes_first_and_takes_the_version_form(emulator, index, http):
    """A request without a version takes the form of the version it is served in (2025-04's JSON)."""
    for version, content_type in [
        ("2025-10", "application/json"),
        ("2026-07", "text/plain"),
        (None, "application/json"),
        ("1999-01", "text/plain"),  # a version the emulator does not speak: no JSON form to follow
    ]:
        response = http(version, **{"Api-Key": "wrong"}).get(f"/indexes/{index}")
        assert response.status_code == 401 and response.headers["content-type"].startswith(content_type)
    assert http("2025-10", **{"Api-Key": "wrong"}).get("/indexes").json()["error"]["code"] == "UNAUTHENTICATED"
    assert http("2026-07", **{"Api-Key": "wrong"}).get("/indexes").text == "Invalid API key"
    assert http("2026-07", **{"api-key": API_KEY}).get("/indexes").status_code == 200  # header names: any case


# -- indexes in both forms ------------------------------------------------------------------------


def test_describe_follows_the_version(emulator, index, http):
    early = http("2025-04").get(f"/indexes/{index}").json()
    assert early["spec"] == {"serverless": {"cloud": "aws", "region": "us-east-1"}}
    october = http("2025-10").get(f"/indexes/{index}").json()
    assert october["dimension"] == DIMENSION and october["metric"] == "cosine" and october["vector_type"] == "dense"
    assert october["spec"]["serverless"]["read_capacity"] == {"mode": "OnDemand", "status": {"state": "Ready"}}
    assert "tags" not in october and not nulls(october)  # no nulls where the spec has objects
    latest = http("2026-07").get(f"/indexes/{index}").json()
    assert not {"dimension", "metric", "vector_type", "spec"} & set(latest)
    assert latest["deployment"] == {"deployment_type": "managed", "cloud": "aws", "region": "us-east-1"}
    # made from dimension/metric: a vectors-API index, reported under the reserved names
    assert latest["schema"]["fields"] == {
        "_values": {"type": "dense_vector", "dimension": DIMENSION, "metric": "cosine", "description": None},
        "_sparse_values": {"type": "sparse_vector", "description": None},
    }
    assert latest["tags"] is None and latest["read_capacity"]["status"]["current_replicas"] is None
    listed = http("2026-07").get("/indexes").json()["indexes"]
    assert [item["name"] for item in listed] == [index] and "schema" in listed[0]


def test_create_in_the_2026_07_form(emulator, http):
    client = http("2026-07")
    body = {
        "name": "docs",
        "schema": {
            "fields": {
                "embedding": {"type": "dense_vector", "dimension": 4, "metric": "dotproduct", "description": "e"},
                "body": {"type": "string", "full_text_search": {"stemming": True}},
            }
        },
        "deployment": {"deployment_type": "managed", "cloud": "gcp", "region": "us-central1"},
        "deletion_protection": "enabled",
        "tags": {"team": "search"},
    }
    created = client.post("/indexes", json=body)
    assert created.status_code == 201
    fields = created.json()["schema"]["fields"]
    assert fields["embedding"] == {"type": "dense_vector", "dimension": 4, "metric": "dotproduct", "description": "e"}
    assert fields["body"]["full_text_search"] == {"language": "en", "stemming": True, "stop_words": False}
    assert created.json()["deployment"]["cloud"] == "gcp" and created.json()["tags"] == {"team": "search"}
    # the same index in 2025-10: its dense field's dimension and metric
    legacy = http("2025-10").get("/indexes/docs").json()
    assert (legacy["dimension"], legacy["metric"], legacy["vector_type"]) == (4, "dotproduct", "dense")
    assert legacy["spec"]["serverless"]["cloud"] == "gcp"
    # without name and deployment: a generated name, managed on aws us-east-1
    minimal = client.post("/indexes", json={"schema": {"fields": {"s": {"type": "sparse_vector"}}}}).json()
    assert minimal["name"] and minimal["deployment"]["region"] == "us-east-1"
    assert http("2025-10").get(f"/indexes/{minimal['name']}").json()["vector_type"] == "sparse"


def test_the_reserved_schema_makes_a_vectors_api_index(emulator, http):
    body = {
        "name": "classic",
        "schema": {"fields": {"_values": {"type": "dense_vector", "dimension": 3, "metric": "cosine"}}},
    }
    fields = http("2026-07").post("/indexes", json=body).json()["schema"]["fields"]
    assert set(fields) == {"_values", "_sparse_values"}


SPARSE = {"fields": {"s": {"type": "sparse_vector"}}}
BAD, UNREADABLE = (400, "INVALID_ARGUMENT"), (422, "UNPROCESSABLE_ENTITY")


def fields(**configs: dict[str, Any]) -> dict[str, Any]:
    return {"schema": {"fields": configs}}


def dense(dimension: Any = 8, metric: str = "cosine") -> dict[str, Any]:
    return {"type": "dense_vector", "dimension": dimension, "metric": metric}


@pytest.mark.parametrize(
    ("version", "body", "expected"),
    [
        # each version refuses the other's form
        ("2026-07", {"name": "x", "dimension": 8, "spec": LEGACY_SPEC}, UNREADABLE),
        ("2025-10", {"name": "x", "schema": SPARSE}, UNREADABLE),
        ("2026-07", {"name": "x"}, UNREADABLE),  # schema is required
        ("2026-07", fields(), BAD),
        ("2026-07", fields(e=dense(dimension="8")), UNREADABLE),
        ("2026-07", fields(e=dense(dimension=0)), BAD),
        ("2026-07", fields(e=dense(), f=dense()), BAD),  # at most one dense field
        ("2026-07", fields(e={"type": "float"}), BAD),
        ("2026-07", fields(_id={"type": "sparse_vector"}), BAD),
        ("2026-07", fields(_values=dense(), other={"type": "sparse_vector"}), BAD),
        ("2026-07", fields(s={"type": "string"}), BAD),
        ("2026-07", fields(s={"type": "string", "full_text_search": {"stop_words": True}}), BAD),
        ("2026-07", {"schema": SPARSE, "deployment": {"deployment_type": "byoc", "environment": "e"}}, BAD),
        ("2026-07", {"schema": SPARSE, "read_capacity": {"mode": "Dedicated"}}, (403, "FORBIDDEN")),
        ("2026-07", {"schema": SPARSE, "deployment": {"deployment_type": "managed", "cloud": "moon", "region": "x"}},
         (404, "NOT_FOUND")),
        ("2026-07", {"schema": SPARSE, "deployment": {"deployment_type": "pod"}}, UNREADABLE),
        ("2026-07", {"schema": SPARSE, "tags": {f"k{n}": "v" for n in range(21)}}, BAD),  # at most 20
        ("2025-10", {"name": "x", "dimension": 8, "spec": {"pod": {"environment": "e"}}}, BAD),
        ("2025-10", {"name": "x", "dimension": 8, "metric": "manhattan", "spec": LEGACY_SPEC}, BAD),
        ("2025-10", {"name": "x", "dimension": 8.5, "spec": LEGACY_SPEC}, UNREADABLE),
        ("2025-10", {"name": "x", "spec": LEGACY_SPEC}, BAD),  # dense without dimension
        ("2025-10", {"name": "x", "dimension": 8, "spec": LEGACY_SPEC, "tags": {"k": "no/slash"}}, BAD),
        ("2025-10", {"name": "Upper", "dimension": 8, "spec": LEGACY_SPEC}, BAD),
    ],
)  # fmt: skip
def test_create_index_refusals(emulator, http, version, body, expected):
    assert error(http(version).post("/indexes", json=body)) == expected
    assert emulator.state.indexes == {}


DOCUMENTED_REGIONS = [(cloud, region) for cloud, regions in SERVERLESS_REGIONS.items() for region in regions]


def create_in(http: Any, version: str, cloud: str, region: str) -> httpx.Response:
    if version == "2026-07":
        place = {"deployment": {"deployment_type": "managed", "cloud": cloud, "region": region}}
        response: httpx.Response = http(version).post("/indexes", json={"name": "placed", "schema": SPARSE, **place})
        return response
    spec = {"serverless": {"cloud": cloud, "region": region}}
    response = http(version).post("/indexes", json={"name": "placed", "dimension": 8, "spec": spec})
    return response


def test_the_guides_six_regions_are_among_the_documented_ones():
    """Pinecone's guide lists these six; newer sources add the rest (see `parsing.SERVERLESS_REGIONS`)."""
    documented = {
        ("aws", "us-east-1"),
        ("aws", "us-west-2"),
        ("aws", "eu-west-1"),
        ("gcp", "us-central1"),
        ("gcp", "europe-west4"),
        ("azure", "eastus2"),
    }
    assert documented <= set(DOCUMENTED_REGIONS)


@pytest.mark.parametrize("version", ["2025-10", "2026-07"])
@pytest.mark.parametrize(("cloud", "region"), DOCUMENTED_REGIONS)
def test_an_index_can_be_made_in_each_documented_region(emulator, http, version, cloud, region):
    created = create_in(http, version, cloud, region)
    assert created.status_code == 201, created.text
    assert (emulator.state.indexes["placed"].cloud, emulator.state.indexes["placed"].region) == (cloud, region)


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(
    ("cloud", "region"),
    [("aws", "mars-north-1"), ("aws", "us-west1"), ("gcp", "us-east-1"), ("gcp", "us-east1"), ("azure", ""),
     ("moon", "us-east-1")],
)  # fmt: skip
def test_an_unknown_region_is_404(emulator, http, version, cloud, region):
    """The specs' 404 "Unknown cloud or region", with their example's message."""
    response = create_in(http, version, cloud, region)
    assert error(response) == (404, "NOT_FOUND")
    assert response.json()["error"]["message"] == f"Resource cloud: {cloud} region: {region} not found."
    assert emulator.state.indexes == {}


# -- status codes -------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_status_codes_are_the_live_services(emulator, index, http, version):
    """Create backup and configure index answer 200 in every version: 2026-07's spec says so, and the
    live service answers 200 to 2025-10 too (the Go SDK v5 relies on it)."""
    emulator.state.faults.update({"ready_delay": 0, "restore_delay": 0})
    client = http(version)
    backup = client.post(f"/indexes/{index}/backups", json={"name": "nightly"})
    assert backup.status_code == 200
    configured = client.patch(f"/indexes/{index}", json={"tags": {"team": "search"}})
    assert configured.status_code == 200 and configured.json()["tags"] == {"team": "search"}
    restore = client.post(f"/backups/{backup.json()['backup_id']}/create-index", json={"name": "restored"})
    assert restore.status_code == 202 and set(restore.json()) == {"restore_job_id", "index_id"}
    assert client.delete("/indexes/restored").status_code == 202
    assert error(client.delete("/indexes/restored")) == (404, "NOT_FOUND")
    assert client.delete(f"/backups/{backup.json()['backup_id']}").status_code == 202


# -- backups ---------------------------------------------------------------------------------------------


def test_backup_shapes_follow_the_version(emulator, index, http):
    emulator.state.faults.update({"ready_delay": 0, "fail_backups": True})
    failed = http("2025-10").post(f"/indexes/{index}/backups", json={}).json()
    assert failed["status"] == "Failed" and not nulls(failed)
    assert "name" not in failed and "record_count" not in failed and "tags" not in failed
    assert (failed["dimension"], failed["metric"]) == (DIMENSION, "cosine")
    latest = http("2026-07").get(f"/backups/{failed['backup_id']}").json()
    assert latest["status"] == "InitializationFailed"
    assert "dimension" not in latest and "metric" not in latest and latest["tags"] is None
    assert latest["schema"]["fields"]["_values"]["dimension"] == DIMENSION
    emulator.state.faults.update({"ready_delay": 30, "fail_backups": False})
    initializing = http("2026-07").post(f"/indexes/{index}/backups", json={"name": "n1"}).json()
    assert initializing["status"] == "Initializing" and "record_count" not in initializing
    assert "source_index_deleted_at" not in initializing


def test_backup_names_are_checked_from_2026_07(emulator, index, http):
    assert error(http("2026-07").post(f"/indexes/{index}/backups", json={"name": "Nightly Backup"})) == (
        400,
        "INVALID_ARGUMENT",
    )
    assert error(http("2026-07").post(f"/indexes/{index}/backups", json={"name": "x" * 46})) == (
        400,
        "INVALID_ARGUMENT",
    )
    assert http("2025-10").post(f"/indexes/{index}/backups", json={"name": "Nightly Backup"}).status_code == 200


def test_a_backup_keeps_what_its_index_was(emulator, index, http):
    client = http("2026-07")
    client.patch(f"/indexes/{index}", json={"tags": {"team": "search"}})
    backup = client.post(f"/indexes/{index}/backups", json={}).json()
    client.patch(f"/indexes/{index}", json={"tags": {"team": "", "env": "prod"}})
    assert client.get(f"/backups/{backup['backup_id']}").json()["tags"] == {"team": "search"}


def test_include_deleted_lists_the_backups_of_deleted_indexes(emulator, index, http):
    client = http("2026-07")
    old = client.post(f"/indexes/{index}/backups", json={"name": "old"}).json()["backup_id"]
    assert client.delete(f"/indexes/{index}").status_code == 202
    assert error(client.get(f"/indexes/{index}/backups")) == (404, "NOT_FOUND")
    listed = client.get(f"/indexes/{index}/backups", params={"include_deleted": "true"}).json()["data"]
    assert [backup["backup_id"] for backup in listed] == [old] and listed[0]["source_index_deleted_at"]
    # a new index of the same name: its own backups by default, every index's with include_deleted
    create_index(emulator, index)
    new = client.post(f"/indexes/{index}/backups", json={"name": "new"}).json()["backup_id"]
    assert [b["backup_id"] for b in client.get(f"/indexes/{index}/backups").json()["data"]] == [new]
    every = client.get(f"/indexes/{index}/backups", params={"include_deleted": "true"}).json()["data"]
    assert [b["backup_id"] for b in every] == [old, new]
    assert error(client.get("/indexes/never-was/backups", params={"include_deleted": "true"})) == (404, "NOT_FOUND")
    assert error(client.get(f"/indexes/{index}/backups", params={"include_deleted": "yes"})) == (
        400,
        "INVALID_ARGUMENT",
    )
    # the project's listing holds them all; 2025-10 knows no include_deleted
    assert {b["backup_id"] for b in client.get("/backups").json()["data"]} == {old, new}
    assert "source_index_deleted_at" not in http("2025-10").get(f"/backups/{old}").json()


# -- pagination -----------------------------------------------------------------------------------------


def test_tokens_carry_the_page_size(emulator, index, http):
    for _ in range(5):
        emulator.state.create_backup(index, {})
    client = http("2026-07")
    first = client.get("/backups", params={"limit": 2}).json()
    assert len(first["data"]) == 2
    second = client.get("/backups", params={"paginationToken": first["pagination"]["next"]}).json()
    assert len(second["data"]) == 2  # the token alone: pages of 2, not of the default
    third = client.get("/backups", params={"paginationToken": second["pagination"]["next"]}).json()
    assert len(third["data"]) == 1 and "pagination" not in third
    ids = [backup["backup_id"] for page in (first, second, third) for backup in page["data"]]
    assert ids == list(emulator.state.backups)
    # a limit beside the token overrides the size and keeps the position
    wider = client.get("/backups", params={"paginationToken": first["pagination"]["next"], "limit": 10}).json()
    assert [b["backup_id"] for b in wider["data"]] == ids[2:]


@pytest.mark.parametrize(("version", "size"), [("2025-10", 10), ("2026-07", 100)])
def test_the_default_page_size_follows_the_version(emulator, index, http, version, size):
    for _ in range(12):
        emulator.state.create_backup(index, {})
    assert len(http(version).get("/backups").json()["data"]) == min(size, 12)


@pytest.mark.parametrize(
    "params",
    [
        {"limit": "ten"},
        {"limit": "0"},
        {"limit": "-1"},
        {"paginationToken": "not-a-token"},
        {"paginationToken": "eyJ4IjoxfQ"},
    ],
)
@pytest.mark.parametrize("path", ["/backups", f"/indexes/{INDEX}/backups", "/restore-jobs"])
def test_bad_query_values_are_400_and_logged(emulator, index, http, params, path):
    assert error(http("2025-10").get(path, params=params)) == (400, "INVALID_ARGUMENT")
    assert last_logged(emulator) == ("GET", path, 400)


def test_a_token_of_another_listing_is_refused(emulator, index, http):
    for _ in range(3):
        emulator.state.create_backup(index, {})
    token = http().get("/backups", params={"limit": 1}).json()["pagination"]["next"]
    assert error(http().get("/restore-jobs", params={"paginationToken": token})) == (400, "INVALID_ARGUMENT")


# -- restores --------------------------------------------------------------------------------------------


@pytest.fixture
def ready_backup(emulator, index) -> str:
    emulator.state.faults.update({"ready_delay": 0})
    emulator.state.configure_index(index, {"tags": {"team": "search"}})
    return emulator.state.create_backup(index, {"name": "nightly"}).backup_id


def test_restore_jobs_are_pending_until_completed_in_2026_07(emulator, ready_backup, http):
    emulator.state.faults.restore_delay = 60
    job_id = (
        http("2026-07")
        .post(f"/backups/{ready_backup}/create-index", json={"name": "restored"})
        .json()["restore_job_id"]
    )
    emulator.state.restore_jobs[job_id].started -= 30  # half way
    latest = http("2026-07").get(f"/restore-jobs/{job_id}").json()
    assert latest["status"] == "Pending" and "percent_complete" not in latest and latest["completed_at"] is None
    early = http("2025-10").get(f"/restore-jobs/{job_id}").json()
    assert early["status"] == "Running" and 40 < early["percent_complete"] < 60 and "completed_at" not in early
    assert not nulls(early)
    emulator.state.restore_jobs[job_id].duration = 0
    done = http("2026-07").get(f"/restore-jobs/{job_id}").json()
    assert done["status"] == "Completed" and done["percent_complete"] == 100 and done["completed_at"]
    assert http("2026-07").get("/indexes/restored").json()["source_backup_id"] == ready_backup


def test_a_failed_restore_reports_no_progress_in_2026_07(emulator, ready_backup, http):
    emulator.state.faults.update({"restore_delay": 0, "fail_restores": True})
    job_id = http().post(f"/backups/{ready_backup}/create-index", json={"name": "restored"}).json()["restore_job_id"]
    failed = http("2026-07").get(f"/restore-jobs/{job_id}").json()
    assert failed["status"] == "Failed" and "percent_complete" not in failed
    assert http("2026-07").get("/indexes/restored").json()["status"] == {
        "ready": False,
        "state": "InitializationFailed",
    }


@pytest.mark.parametrize(
    ("request_tags", "index_tags"),
    [(None, {"team": "search"}), ({"env": "prod"}, {"env": "prod"}), ({}, None)],
    ids=["inherited", "given", "given-empty"],
)
@pytest.mark.parametrize("version", VERSIONS)
def test_a_restore_without_tags_inherits_the_backups(emulator, ready_backup, http, version, request_tags, index_tags):
    emulator.state.configure_index(INDEX, {"tags": {"team": "", "other": "later"}})  # after the backup: not in it
    body: dict[str, Any] = {"name": "restored"}
    if request_tags is not None:
        body["tags"] = request_tags
    assert http(version).post(f"/backups/{ready_backup}/create-index", json=body).status_code == 202
    assert http("2026-07").get("/indexes/restored").json()["tags"] == index_tags


def test_restore_jobs_of_deleted_indexes_leave_the_listing(emulator, ready_backup, http):
    emulator.state.faults.restore_delay = 60
    client = http("2026-07")
    gone = client.post(f"/backups/{ready_backup}/create-index", json={"name": "gone"}).json()["restore_job_id"]
    kept = client.post(f"/backups/{ready_backup}/create-index", json={"name": "kept"}).json()["restore_job_id"]
    assert error(client.delete(f"/backups/{ready_backup}")) == (412, "FAILED_PRECONDITION")
    assert client.delete("/indexes/gone").status_code == 202
    assert [job["restore_job_id"] for job in client.get("/restore-jobs").json()["data"]] == [kept]
    assert error(client.get(f"/restore-jobs/{gone}")) == (404, "NOT_FOUND")
    assert client.get(f"/restore-jobs/{kept}").status_code == 200
    client.delete("/indexes/kept")
    assert client.get("/restore-jobs").json() == {"data": []}
    assert client.delete(f"/backups/{ready_backup}").status_code == 202  # no restore from it is pending now


def test_a_restore_from_a_backup_that_is_not_ready_is_412(emulator, index, http):
    emulator.state.faults.ready_delay = 30
    backup = emulator.state.create_backup(index, {}).backup_id
    response = http().post(f"/backups/{backup}/create-index", json={"name": "early"})
    assert error(response) == (412, "FAILED_PRECONDITION") and "is not completed" in response.json()["error"]["message"]


# -- malformed requests: answered with the spec's error body, and logged ----------------------------------


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\xff\xfe{}", (400, "INVALID_ARGUMENT")),  # not UTF-8
        (b'{"name": "\xc3\x28"}', (400, "INVALID_ARGUMENT")),  # not UTF-8, inside a string
        (b"{", (400, "INVALID_ARGUMENT")),  # not JSON
        (b"NaN", (400, "INVALID_ARGUMENT")),  # not JSON either
        (b"", (400, "INVALID_ARGUMENT")),  # the spec requires a body
        (b"[]", (422, "UNPROCESSABLE_ENTITY")),  # JSON, but not an object
        (b'{"name": 7}', (422, "UNPROCESSABLE_ENTITY")),  # a wrong type
        (b'{"description": ["a"]}', (422, "UNPROCESSABLE_ENTITY")),
    ],
    ids=["bytes", "bytes-in-string", "syntax", "nan", "empty", "array", "int-name", "list-description"],
)
def test_malformed_bodies_are_refused_and_logged(emulator, index, http, version, content, expected):
    response = http(version).post(
        f"/indexes/{index}/backups", content=content, headers={"Content-Type": "application/json"}
    )
    assert response.headers["content-type"] == "application/json"
    assert error(response) == expected
    assert last_logged(emulator) == ("POST", f"/indexes/{index}/backups", expected[0])
    assert emulator.state.backups == {}


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/indexes", b"\xff"),
        ("PATCH", f"/indexes/{INDEX}", b"\xff"),
        ("POST", "/backups/b1/create-index", b"\xff"),
        ("PATCH", f"/indexes/{INDEX}", b""),
        ("POST", "/backups/b1/create-index", b""),
    ],
)
def test_every_body_is_read_the_same_way(emulator, index, http, method, path, body):
    response = http("2025-10").request(method, path, content=body)
    assert error(response) == (400, "INVALID_ARGUMENT")
    assert last_logged(emulator) == (method, path, 400)


@pytest.mark.parametrize(
    ("version", "body"),
    [
        ("2026-07", {"tags": {"a": "b"}, "spec": {}}),  # an unknown field where the spec forbids them
        ("2025-10", {"tags": {"a": 1}}),
        ("2025-10", {"deletion_protection": True}),
    ],
)
def test_configure_refuses_wrong_types(emulator, index, http, version, body):
    assert error(http(version).patch(f"/indexes/{index}", json=body)) == (422, "UNPROCESSABLE_ENTITY")


def test_unknown_paths_and_methods_get_the_error_body_and_are_logged(emulator, http):
    assert error(http().get("/nothing/here")) == (404, "NOT_FOUND")
    response = http().put("/indexes")
    assert error(response) == (405, "INVALID_ARGUMENT") and response.headers["allow"] == "GET, POST"
    assert calls(emulator) == [("GET", "/nothing/here", 404), ("PUT", "/indexes", 405)]


def test_a_failure_inside_the_emulator_is_a_500_with_the_error_body(emulator, index, http, monkeypatch):
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(emulator.state, "get_index", broken)
    response = http().get(f"/indexes/{index}")
    assert error(response) == (500, "UNKNOWN") and response.json()["error"]["message"] == "Internal server error"
    assert last_logged(emulator) == ("GET", f"/indexes/{index}", 500)


@pytest.mark.parametrize(("version", "code"), [("2025-10", "UNAVAILABLE"), ("2026-07", "SERVICE_UNAVAILABLE")])
def test_the_503_code_follows_the_version(emulator, index, http, version, code):
    emulator.state.faults.update({"server_errors_next": 1})
    assert error(http(version).get(f"/indexes/{index}")) == (503, code)


# -- what the answers leave out -------------------------------------------------------------------------------


@pytest.mark.parametrize("version", EARLY)
def test_2025_answers_hold_no_nulls(emulator, index, http, version):
    """The 2025 specs declare no field nullable: an absent value is left out, never null."""
    emulator.state.faults.update({"ready_delay": 30, "restore_delay": 30})
    initializing = emulator.state.create_backup(index, {}).backup_id
    emulator.state.faults.ready_delay = 0
    ready = emulator.state.create_backup(index, {}).backup_id
    emulator.state.create_index_from_backup(ready, {"name": "restored"})
    client = http(version)
    answers = [
        client.get("/indexes").json(),
        client.get(f"/backups/{initializing}").json(),
        client.get("/backups").json(),
        client.get("/restore-jobs").json(),
    ]
    assert [found for answer in answers for found in nulls(answer)] == []


def test_records_still_read_in_every_version(emulator, index):
    """`to_api` on the records, as tests and tools call it: 2025-10 unless told."""
    emulator.state.faults.ready_delay = 0
    backup = emulator.state.create_backup(index, {})
    assert backup.to_api(time.monotonic())["record_count"] == RECORDS
    assert backup.to_api(float("inf"), "2026-07")["schema"]["fields"]["_values"]["dimension"] == DIMENSION
    assert emulator.state.indexes[index].to_api()["dimension"] == DIMENSION
