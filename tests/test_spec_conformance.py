"""The emulator against Pinecone's official OpenAPI specs, version by version, with schemathesis.

For each version (2025-04, 2025-10, 2026-07) and each operation the emulator serves in it (the
backup-schedule operations from 2026-07 on), two kinds of requests, every answer checked against
that version's spec (status declared, content type, body schema; no 5xx; a request the spec
forbids is refused):
- a tour: the requests a client makes, against real objects (indexes made both ways, backups
  Initializing, Ready, Failed and of a deleted index, restore jobs at every stage, lists over
  several pages; in 2026-07 backup schedules enabled, disabled, re-enabled and deleted, and
  their history with a planned run and backups at every stage), so that every success shape is
  checked;
- generated requests: positive and negative cases from the spec (its examples, then fuzzing),
  a bounded number per operation, derandomized so that every run sends the same requests.
  Before each, the emulator is reset and holds objects under the specs' example names and ids
  (`test-index`, backup and restore job `670e8400-…0000`, backup schedule `e88f7273-…6867`
  with a run behind it), so that generated calls reach them.

The spec files are read from `../shared/pinecone-api/` (beside the repository, read-only; or
$PINECONE_API_SPECS; without them the test is skipped, saying where it looked) and
never changed. The copies in memory get an overlay:
- each operation's `X-Pinecone-Api-Version` is pinned to its spec's version (the header selects
  the spec; 2025-04's spec does not declare it, but the service needs it to answer in 2025-04),
  and its absence is answered 400 (declared: the specs require the header but say nothing of
  the answer to a request without it). The emulator runs strict here (`strict_api_version`):
  by default it serves such a request in its oldest version, as the live service does, which
  a spec that requires the header cannot check;
- the statuses the live service is known to answer beyond a spec are declared, each with its
  source (`LIVE_STATUSES`).
Unknown query parameters are not generated: the specs do not forbid them, and the service
ignores them.
"""

from __future__ import annotations

import copy
import functools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.generation import GenerationMode  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from pinecone_backup.emulator import EmulatorServer, EmulatorState  # noqa: E402
from pinecone_backup.emulator.versions import SUPPORTED_VERSIONS  # noqa: E402
from support.emulator import API_KEY  # noqa: E402

SPECS = Path(os.environ.get("PINECONE_API_SPECS") or Path(__file__).resolve().parents[2] / "shared" / "pinecone-api")
VERSIONS = ("2025-04", "2025-10", "2026-07")
EXAMPLES_PER_OPERATION = 25  # generated cases per operation and version, besides the spec's examples
SEED = 20260701
EXAMPLE_INDEX = "test-index"  # the specs' example names and ids
EXAMPLE_ID = "670e8400-e29b-41d4-a716-446655440000"
EXAMPLE_SCHEDULE_ID = "e88f7273-42aa-47e9-af73-593827136867"
SCHEDULE_BODY = {  # the spec's example request
    "name": "daily-compliance-backup",
    "schedule": {"type": "time-based", "frequency": "daily"},
    "retention": {"expire_after_days": 90},
}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
SERVED = {
    ("GET", "/indexes"),
    ("POST", "/indexes"),
    ("GET", "/indexes/{index_name}"),
    ("DELETE", "/indexes/{index_name}"),
    ("PATCH", "/indexes/{index_name}"),
    ("GET", "/indexes/{index_name}/backups"),
    ("POST", "/indexes/{index_name}/backups"),
    ("GET", "/backups"),
    ("GET", "/backups/{backup_id}"),
    ("DELETE", "/backups/{backup_id}"),
    ("POST", "/backups/{backup_id}/create-index"),
    ("GET", "/restore-jobs"),
    ("GET", "/restore-jobs/{job_id}"),
}
SCHEDULE_OPERATIONS = {  # 2026-07 only: no earlier spec has the paths
    ("GET", "/indexes/{index_name}/backup-schedules"),
    ("POST", "/indexes/{index_name}/backup-schedules"),
    ("GET", "/backup-schedules/{schedule_id}"),
    ("PATCH", "/backup-schedules/{schedule_id}"),
    ("DELETE", "/backup-schedules/{schedule_id}"),
    ("GET", "/backup-schedules/{schedule_id}/history"),
}
SERVED |= SCHEDULE_OPERATIONS

# Statuses the live service answers beyond a spec, declared in the in-memory copy with the
# spec's ErrorResponse body (or the success body), each with its source.
EARLY = ("2025-04", "2025-10")
LIVE_STATUSES: list[tuple[tuple[str, ...], str, str, str, str]] = [
    # (versions, method, path, status, why)
    (EARLY, "POST", "/indexes/{index_name}/backups", "200",
     "SOURCES.md: 'Create backup: the spec says 201; the live service has been seen answering 200'"),
    (EARLY, "PATCH", "/indexes/{index_name}", "200",
     "the Go SDK v5 (2025-10) expects 200 from configure_index; 2026-07's spec says 200"),
    (VERSIONS, "POST", "/indexes/{index_name}/backups", "404",
     "backups-2026-07.md §6.4: no spec declares it; the Python SDK documents NotFoundError for an unknown index"),
    (("2026-07",), "DELETE", "/backups/{backup_id}", "412",
     "SOURCES.md: 'Delete backup answers 412 while a restore from that backup is pending'"),
    (EARLY, "POST", "/backups/{backup_id}/create-index", "412",
     "2026-07 declares it for the same service: 'The backup is not in `Ready` status, so it cannot be restored yet.'"),
    (EARLY, "GET", "/indexes/{index_name}/backups", "400",
     "a malformed paginationToken or limit; declared from 2026-07 on ('A malformed token gives 400')"),
    (EARLY, "GET", "/backups", "400", "as above"),
    (EARLY, "GET", "/restore-jobs", "400", "as above"),
]  # fmt: skip
VERSION_HEADER = "X-Pinecone-Api-Version"
VERSION_HEADER_MISSING = (
    "every operation requires X-Pinecone-Api-Version (2025-10, 2026-07) and declares no answer to its "
    "absence; the emulator, run strict, answers 400 INVALID_ARGUMENT"
)

pytestmark = pytest.mark.skipif(not SPECS.is_dir(), reason=f"the official specs are not at {SPECS}")


class SpecLoader(yaml.SafeLoader):
    """YAML as JSON Schema reads it: `2026-04-02T18:22:56Z` in an example stays a string."""


SpecLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@functools.cache
def load_spec(version: str) -> dict[str, Any]:
    raw = yaml.load((SPECS / f"db_control_{version}.oas.yaml").read_text(), Loader=SpecLoader)
    return overlay(raw, version)


def overlay(raw: dict[str, Any], version: str) -> dict[str, Any]:
    spec = copy.deepcopy(raw)
    spec["paths"] = {
        path: {
            method: operation
            for method, operation in operations.items()
            if method == "parameters" or (method.upper(), path) in SERVED
        }
        for path, operations in spec["paths"].items()
        if any((method.upper(), path) in SERVED for method in operations)
    }
    error_body = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            responses = operation["responses"]
            parameters = operation.setdefault("parameters", [])
            header = next((p for p in parameters if p.get("in") == "header" and p.get("name") == VERSION_HEADER), None)
            if header is None:  # 2025-04 declares none, but the service needs it to answer in 2025-04
                header = {"in": "header", "name": VERSION_HEADER, "required": True}
                parameters.insert(0, header)
            header["schema"] = {"type": "string", "enum": [version]}
            responses.setdefault("400", {"description": VERSION_HEADER_MISSING, "content": error_body})
            for versions, live_method, live_path, status, why in LIVE_STATUSES:
                if version in versions and (method.upper(), path) == (live_method, live_path):
                    success = next((r for code, r in responses.items() if code.startswith("2")), None)
                    body = success if status.startswith("2") else {"content": error_body}
                    responses.setdefault(status, {**copy.deepcopy(body or {}), "description": f"live: {why}"})
    return spec


@functools.cache
def schema_for(version: str) -> Any:
    config = schemathesis.config.SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            # Unknown query parameters are ignored, as by the live service: the specs do not forbid them.
            "generation": {"allow-extra-parameters": False},
            "auth": {"openapi": {"ApiKeyAuth": {"api_key": API_KEY}}},
        }
    )
    return schemathesis.openapi.from_dict(load_spec(version), config=config)


def operations(version: str) -> list[str]:
    return sorted(
        f"{method} {path}"
        for path, methods in load_spec(version)["paths"].items()
        for method in methods
        if method != "parameters"
    )


def _rekey(table: dict[str, Any], old: str, new: str, attribute: str) -> None:
    record = table.pop(old)
    setattr(record, attribute, new)
    table[new] = record


def seed(state: EmulatorState) -> None:
    """The objects generated calls may reach: the specs' example index, backup, restore job and
    backup schedule (enabled, with a planned run and a backup it made: re-enabled once)."""
    state.reset()
    state.faults.update({"ready_delay": 0, "restore_delay": 0})
    state.create_index(
        {"name": EXAMPLE_INDEX, "dimension": 8, "spec": {"serverless": {"cloud": "aws", "region": "us-east-1"}}}
    )
    state.seed_index(EXAMPLE_INDEX, record_count=100, namespace_count=2)
    backup = state.create_backup(EXAMPLE_INDEX, {"name": "nightly", "description": "before"})
    _rekey(state.backups, backup.backup_id, EXAMPLE_ID, "backup_id")
    job = state.create_index_from_backup(EXAMPLE_ID, {"name": "restored"})
    _rekey(state.restore_jobs, job.restore_job_id, EXAMPLE_ID, "restore_job_id")
    job.backup_id = EXAMPLE_ID
    schedule = state.create_backup_schedule(EXAMPLE_INDEX, SCHEDULE_BODY)
    _rekey(state.schedules, schedule.schedule_id, EXAMPLE_SCHEDULE_ID, "schedule_id")
    state.update_backup_schedule(EXAMPLE_SCHEDULE_ID, {"enabled": False})
    state.update_backup_schedule(EXAMPLE_SCHEDULE_ID, {"enabled": True})


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    """Strict about the version header: a request without it is a negative case, refused."""
    with EmulatorServer(EmulatorState(api_keys=frozenset({API_KEY}), strict_api_version=True)) as running:
        yield running


def test_every_supported_version_is_checked():
    assert set(VERSIONS) == set(SUPPORTED_VERSIONS)
    for version in VERSIONS:
        served = SERVED if version == "2026-07" else SERVED - SCHEDULE_OPERATIONS
        assert operations(version) == sorted(f"{method.lower()} {path}" for method, path in served), version


KNOWN = {"index_name": EXAMPLE_INDEX, "backup_id": EXAMPLE_ID, "job_id": EXAMPLE_ID, "schedule_id": EXAMPLE_SCHEDULE_ID}


def case_strategy(operation: Any) -> Any:
    """The spec's examples; positive and negative cases; and positive ones aimed at the seeded objects."""
    known = {name: KNOWN[name] for name in KNOWN if f"{{{name}}}" in operation.path}
    strategies = [
        *operation.schema.get_strategies_from_examples(operation),
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    ]
    if known:
        strategies.append(operation.as_strategy(generation_mode=GenerationMode.POSITIVE, path_parameters=known))
    return st.one_of(strategies)


@pytest.mark.parametrize(
    ("version", "label"),
    [(version, label) for version in VERSIONS for label in operations(version)] if SPECS.is_dir() else [],
)
def test_generated_requests_conform(server, version, label):
    method, path = label.split(" ", 1)
    operation = schema_for(version)[path][method.upper()]

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
        print_blob=False,
    )
    @given(case=case_strategy(operation))
    def call(case: Any) -> None:
        seed(server.state)
        case.call_and_validate(base_url=server.url, checks=CHECKS)

    call()


# -- the tour: what clients do, against real objects, every answer checked ------------------------


class Tour:
    """Calls of one version, each answer checked against that version's spec (and its status)."""

    def __init__(self, server: EmulatorServer, version: str) -> None:
        self.server = server
        self.version = version
        self.schema = schema_for(version)
        self.headers = {"Api-Key": API_KEY, VERSION_HEADER: version}
        self.seen: set[tuple[str, str, int]] = set()

    def __call__(self, method: str, path: str, status: int, *, body: Any = None, **query: Any) -> Any:
        template, parameters = self._template(path)
        operation = self.schema[template][method]
        kwargs: dict[str, Any] = {"path_parameters": parameters, "query": query or None}
        if body is not None:
            kwargs.update(body=body, media_type="application/json")
        case = operation.Case(**kwargs)
        response = case.call(base_url=self.server.url, headers=self.headers)
        case.validate_response(response, checks=CHECKS[:4], headers=self.headers)
        assert response.status_code == status, (method, path, response.status_code, response.text)
        self.seen.add((method, template, status))
        try:
            return response.json()
        except ValueError:  # no body, or a plain-text one
            return None

    def _template(self, path: str) -> tuple[str, dict[str, str]]:
        for template in self.schema.raw_schema["paths"]:
            names = [part[1:-1] for part in template.split("/") if part.startswith("{")]
            parts, actual = template.split("/"), path.split("/")
            if len(parts) == len(actual) and all(
                p == a or p.startswith("{") for p, a in zip(parts, actual, strict=True)
            ):
                values = [a for p, a in zip(parts, actual, strict=True) if p.startswith("{")]
                return template, dict(zip(names, values, strict=True))
        raise AssertionError(f"no operation for {path}")


def index_body(version: str, name: str, **extra: Any) -> dict[str, Any]:
    if version == "2026-07":
        return {
            "name": name,
            "schema": {"fields": {"embedding": {"type": "dense_vector", "dimension": 8, "metric": "cosine"}}},
            "deployment": {"deployment_type": "managed", "cloud": "aws", "region": "us-east-1"},
            **extra,
        }
    return {
        "name": name,
        "dimension": 8,
        "metric": "cosine",
        "spec": {"serverless": {"cloud": "aws", "region": "us-east-1"}},
        **extra,
    }


@pytest.mark.parametrize("version", VERSIONS)
def test_a_tour_of_every_operation_conforms(server, version):
    state = server.state
    state.reset()
    state.faults.update({"ready_delay": 0, "restore_delay": 60})
    call = Tour(server, version)

    # indexes: made in this version's form (and sparse, full-text, metadata-schema variants), read, changed
    call("POST", "/indexes", 201, body=index_body(version, "tour", tags={"team": "search"}))
    if version == "2026-07":
        call(
            "POST",
            "/indexes",
            201,
            body={
                "name": "classic",
                "schema": {"fields": {"_values": {"type": "dense_vector", "dimension": 4, "metric": "dotproduct"}}},
            },
        )
        search = {"language": "en", "stemming": True, "stop_words": True}
        hybrid = {
            "body": {"type": "string", "description": "text", "full_text_search": search},
            "title": {"type": "string", "full_text_search": {"ngram": {"min_gram": 2, "max_gram": 3}}},
            "sparse": {"type": "sparse_vector"},
        }
        call("POST", "/indexes", 201, body={"name": "hybrid", "schema": {"fields": hybrid}})
    else:
        call(
            "POST",
            "/indexes",
            201,
            body={
                "name": "sparse",
                "vector_type": "sparse",
                "spec": {"serverless": {"cloud": "gcp", "region": "us-central1"}},
            },
        )
        schema = {"schema": {"fields": {"genre": {"filterable": True}}}} if version == "2025-10" else {}
        call(
            "POST",
            "/indexes",
            201,
            body={
                "name": "filtered",
                "dimension": 3,
                "spec": {"serverless": {"cloud": "aws", "region": "us-east-1", **schema}},
            },
        )
    call("POST", "/indexes", 409, body=index_body(version, "tour"))
    call(
        "POST",
        "/indexes",
        422 if version == "2026-07" else 400,
        body={"name": "Bad Name", "dimension": 8, "spec": {"serverless": {"cloud": "aws", "region": "us-east-1"}}},
    )
    call("GET", "/indexes", 200)
    call("GET", "/indexes/tour", 200)
    call("GET", "/indexes/nothing", 404)
    call("PATCH", "/indexes/tour", 200, body={"deletion_protection": "enabled", "tags": {"env": "test", "team": ""}})
    call("PATCH", "/indexes/nothing", 404, body={"tags": {"a": "b"}})
    state.seed_index("tour", record_count=10, namespace_count=2)
    state.create_index(
        {"name": "doomed", "dimension": 8, "spec": {"serverless": {"cloud": "aws", "region": "us-east-1"}}}
    )

    # backups: Ready, Initializing, Failed, and of a deleted index; lists over pages
    ready = call("POST", "/indexes/tour/backups", 200, body={"name": "nightly", "description": "first"})["backup_id"]
    call("POST", "/indexes/doomed/backups", 200, body={})
    call("DELETE", "/indexes/doomed", 202)
    state.faults.update({"ready_delay": 60})
    initializing = call("POST", "/indexes/tour/backups", 200, body={})["backup_id"]
    state.faults.update({"ready_delay": 0, "fail_backups": True})
    call("POST", "/indexes/tour/backups", 200, body={"name": "doomed-too"})
    state.faults.update({"fail_backups": False})
    call("POST", "/indexes/nothing/backups", 404, body={})
    call("GET", f"/backups/{ready}", 200)
    call("GET", f"/backups/{initializing}", 200)
    call("GET", "/backups/nothing", 404)
    first = call("GET", "/indexes/tour/backups", 200, limit=1)
    call("GET", "/indexes/tour/backups", 200, paginationToken=first["pagination"]["next"])
    call("GET", "/indexes/tour/backups", 400, paginationToken="garbage")
    call("GET", "/indexes/doomed/backups", 404)
    if version == "2026-07":
        call("GET", "/indexes/doomed/backups", 200, include_deleted="true")
    page = call("GET", "/backups", 200, limit=2)
    call("GET", "/backups", 200, paginationToken=page["pagination"]["next"])

    # restores: started, under way, Completed, Failed; refused when the backup is not Ready, or the name taken
    started = call("POST", f"/backups/{ready}/create-index", 202, body={"name": "restored", "tags": {"from": "tour"}})
    call("GET", f"/restore-jobs/{started['restore_job_id']}", 200)
    call("DELETE", f"/backups/{ready}", 412)
    state.restore_jobs[started["restore_job_id"]].started -= 30  # half way
    call("GET", f"/restore-jobs/{started['restore_job_id']}", 200)
    state.restore_jobs[started["restore_job_id"]].duration = 0
    call("GET", f"/restore-jobs/{started['restore_job_id']}", 200)
    call("GET", "/indexes/restored", 200)
    state.faults.update({"restore_delay": 0, "fail_restores": True})
    call("POST", f"/backups/{ready}/create-index", 202, body={"name": "failing"})
    call("POST", f"/backups/{ready}/create-index", 409, body={"name": "tour"})
    call("POST", f"/backups/{initializing}/create-index", 412, body={"name": "early"})
    call("POST", "/backups/nothing/create-index", 404, body={"name": "other"})
    call("GET", "/restore-jobs", 200)
    call("GET", "/restore-jobs", 200, limit=1)
    call("GET", "/restore-jobs/nothing", 404)

    if version == "2026-07":
        tour_schedules(call, state)

    # deletes, and what deletion protection refuses
    call("DELETE", "/indexes/tour", 403)
    call("PATCH", "/indexes/tour", 200, body={"deletion_protection": "disabled"})
    call("DELETE", "/indexes/tour", 202)
    call("GET", f"/backups/{ready}", 200)  # of a deleted index now
    call("DELETE", f"/backups/{ready}", 202)
    call("DELETE", f"/backups/{ready}", 404)
    call("DELETE", "/indexes/tour", 404)

    missing = {
        (method.upper(), path) for path, methods in call.schema.raw_schema["paths"].items() for method in methods
    }
    missing -= {(method, path) for method, path, status in call.seen if status < 300}
    assert not missing, f"operations never answered with success in the tour: {sorted(missing)}"


def tour_schedules(call: Tour, state: EmulatorState) -> None:
    """2026-07's backup schedules on the tour's index: refusals, one enabled schedule per index,
    pause and re-enable (which runs a backup at once: Ready, Initializing, InitializationFailed
    in turn), the history over pages, a run whose backup name would break the name rule (a
    failed row, no backup), plan gating, delete."""
    listing = "/indexes/tour/backup-schedules"
    created = call("POST", listing, 200, body=SCHEDULE_BODY)
    schedule = f"/backup-schedules/{created['schedule_id']}"
    call("POST", listing, 409, body=SCHEDULE_BODY)
    call("POST", listing, 400, body={**SCHEDULE_BODY, "retention": {"expire_after_days": 100_000}})
    call("POST", listing, 422, body={"name": "no-schedule"})
    call("POST", "/indexes/nothing/backup-schedules", 404, body=SCHEDULE_BODY)
    call("GET", schedule, 200)
    call("GET", "/backup-schedules/nothing", 404)
    call("GET", f"{schedule}/history", 200)  # the planned run alone
    paused = {"enabled": False, "frequency": "weekly", "retention": {"expire_after_days": 30}}
    assert call("PATCH", schedule, 200, body=paused)["next_scheduled_run"] is None
    other = call("POST", listing, 200, body={**SCHEDULE_BODY, "name": "other"})
    call("PATCH", schedule, 409, body={"enabled": True})
    call("PATCH", f"/backup-schedules/{other['schedule_id']}", 200, body={"enabled": False})
    for switches in ({"ready_delay": 0}, {"ready_delay": 60}, {"ready_delay": 0, "fail_backups": True}):
        state.faults.update(switches)
        call("PATCH", schedule, 200, body={"enabled": True})
        call("PATCH", schedule, 200, body={"enabled": False})
    state.faults.update({"fail_backups": False})
    call("PATCH", schedule, 200, body={"enabled": True})
    page = call("GET", f"{schedule}/history", 200, limit=2)
    call("GET", f"{schedule}/history", 200, paginationToken=page["pagination"]["next"])
    call("GET", f"{schedule}/history", 400, paginationToken="garbage")
    call("PATCH", schedule, 200, body={"enabled": False})
    long_named = call("POST", listing, 200, body={**SCHEDULE_BODY, "name": "n" * 29})  # 29 + 17 > 45
    failing = f"/backup-schedules/{long_named['schedule_id']}"
    call("PATCH", failing, 200, body={"enabled": False})
    call("PATCH", failing, 200, body={"enabled": True})  # its run fails at once
    assert [row["status"] for row in call("GET", f"{failing}/history", 200)["data"]] == [
        "Scheduled",
        "InitializationFailed",
    ]
    call("PATCH", failing, 200, body={"enabled": False})
    call("PATCH", schedule, 200, body={"enabled": True})
    first = call("GET", listing, 200, limit=1)
    call("GET", listing, 200, paginationToken=first["pagination"]["next"])
    call("GET", "/indexes/nothing/backup-schedules", 404)
    call("PATCH", schedule, 400, body={"frequency": "hourly"})
    call("PATCH", schedule, 422, body={"enabled": "yes"})
    call("PATCH", "/backup-schedules/nothing", 404, body={})
    state.faults.update({"schedules_in_plan": False})
    call("POST", listing, 403, body=SCHEDULE_BODY)
    call("PATCH", schedule, 403, body={})
    state.faults.update({"schedules_in_plan": True})
    call("DELETE", f"/backup-schedules/{other['schedule_id']}", 204)
    call("DELETE", f"/backup-schedules/{other['schedule_id']}", 404)
    call("GET", f"/backup-schedules/{other['schedule_id']}/history", 404)
