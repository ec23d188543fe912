"""Bad inputs fail at preview, naming the property and the rule, before any API call.

One table, run three ways: in-process (the rules themselves), through the real dynamic-provider
host's Check over gRPC (what the engine calls), and a handful through the plain `pulumi preview`
of a small project (what a user sees). Also the warning about an API key stored in plain text.
"""

from __future__ import annotations

import json
import os
import re
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pulumi
import pulumi.runtime
import pytest
import yaml
from pulumi.runtime.rpc import UNKNOWN

from pinecone_backup.backup import BackupProvider
from pinecone_backup.core import credentials as _credentials
from pinecone_backup.core.fields import Role
from pinecone_backup.index_from_backup import IndexFromBackupProvider
from pinecone_backup.schedule import BackupScheduleProvider
from support.cli import CliProject, cli_env
from support.emulator import API_KEY, calls
from support.provider_host import ProviderHost

BACKUP_ID = "670e8400-e29b-41d4-a716-446655440000"
VALID = {
    "Backup": {"index_name": "products"},
    "IndexFromBackup": {"backup_id": BACKUP_ID, "name": "restored"},
    "BackupSchedule": {"index_name": "products", "retention_days": 7},
}
PROVIDERS = {
    "Backup": BackupProvider,
    "IndexFromBackup": IndexFromBackupProvider,
    "BackupSchedule": BackupScheduleProvider,
}
NAN, INF = float("nan"), float("inf")
TWENTY_TAGS = {f"tag{i}": "x" for i in range(20)}  # Pinecone's most; the owner tag needs one
SECONDS_RULE = "number of seconds above 0"
INDEX_NAME_RULE = "not a valid index name"
BACKUP_NAME_RULE = "not a valid backup name"
SCHEDULE_NAME_RULE = "not a valid schedule name"
TAG_VALUE_RULE = "at most 120 printable ASCII"
WHOLE_DAYS_RULE = "whole number of at least 1"


def case(resource: str, inputs: dict[str, Any], prop: str, rule: str, **marks: Any) -> Any:
    """One bad input: `inputs` replace the valid ones (None drops one); `rule` is part of the reason."""
    news = {key: value for key, value in {**VALID[resource], **inputs}.items() if value is not None}
    label = f"{resource}.{prop}={next(iter(inputs.values()))!r}"[:60]
    return pytest.param(resource, news, prop, rule, id=label, **marks)


CASES = [
    # Backup
    case("Backup", {"index_name": None}, "index_name", "is required"),
    case("Backup", {"index_name": "Products"}, "index_name", INDEX_NAME_RULE),
    case("Backup", {"index_name": "-products"}, "index_name", INDEX_NAME_RULE),
    case("Backup", {"index_name": "products-"}, "index_name", INDEX_NAME_RULE),
    case("Backup", {"index_name": "a" * 46}, "index_name", INDEX_NAME_RULE),
    case("Backup", {"index_name": "under_score"}, "index_name", INDEX_NAME_RULE),
    case("Backup", {"index_name": "products\n"}, "index_name", INDEX_NAME_RULE),
    case("Backup", {"index_name": "pro ducts"}, "index_name", INDEX_NAME_RULE),
    case("Backup", {"index_name": "produits-é"}, "index_name", INDEX_NAME_RULE),
    case("Backup", {"index_name": 42}, "index_name", "must be a string"),
    case("Backup", {"name": 5}, "name", "must be a string"),
    case("Backup", {"name": "Nightly_Backup"}, "name", BACKUP_NAME_RULE),
    case("Backup", {"name": "n" * 46}, "name", "(46 characters): use 1-45 lowercase letters"),
    case("Backup", {"name": "-nightly"}, "name", BACKUP_NAME_RULE),
    case("Backup", {"name": ""}, "name", BACKUP_NAME_RULE),
    case("Backup", {"description": ["x"]}, "description", "must be a string"),
    case("Backup", {"wait_for_ready": "yes"}, "wait_for_ready", "true or false"),
    case("Backup", {"wait_for_ready": 1}, "wait_for_ready", "true or false"),
    case("Backup", {"ready_timeout": 0}, "ready_timeout", SECONDS_RULE),
    case("Backup", {"ready_timeout": -5}, "ready_timeout", SECONDS_RULE),
    case("Backup", {"ready_timeout": "1h"}, "ready_timeout", SECONDS_RULE),
    case("Backup", {"ready_timeout": True}, "ready_timeout", SECONDS_RULE),
    case("Backup", {"ready_timeout": NAN}, "ready_timeout", SECONDS_RULE),
    case("Backup", {"ready_timeout": INF}, "ready_timeout", SECONDS_RULE),
    case("Backup", {"ready_timeout": 1e20}, "ready_timeout", "at most 604800"),
    case("Backup", {"poll_interval": 0}, "poll_interval", SECONDS_RULE),
    case("Backup", {"poll_interval": NAN}, "poll_interval", SECONDS_RULE),
    case("Backup", {"poll_interval": 3601}, "poll_interval", "at most 3600"),
    case("Backup", {"triggers": "v2"}, "triggers", "must be a list or a map"),
    case("Backup", {"triggers": 2}, "triggers", "must be a list or a map"),
    case("Backup", {"ready_timeout": ""}, "ready_timeout", SECONDS_RULE),
    # IndexFromBackup
    case("IndexFromBackup", {"backup_id": None}, "backup_id", "is required"),
    case("IndexFromBackup", {"backup_id": 42}, "backup_id", "must be a string"),
    case("IndexFromBackup", {"backup_id": "../indexes/products"}, "backup_id", "Pinecone's id of a backup"),
    case("IndexFromBackup", {"backup_id": f"{BACKUP_ID}\n"}, "backup_id", "Pinecone's id of a backup"),
    case("IndexFromBackup", {"backup_id": "a b"}, "backup_id", "Pinecone's id of a backup"),
    case("IndexFromBackup", {"backup_id": "b1?limit=1"}, "backup_id", "Pinecone's id of a backup"),
    case("IndexFromBackup", {"name": None}, "name", "is required"),
    case("IndexFromBackup", {"name": "Bad_Name"}, "name", INDEX_NAME_RULE),
    case("IndexFromBackup", {"name": "restored\n"}, "name", INDEX_NAME_RULE),
    case("IndexFromBackup", {"name": "r" * 46}, "name", INDEX_NAME_RULE),
    case("IndexFromBackup", {"deletion_protection": "on"}, "deletion_protection", "one of 'enabled', 'disabled'"),
    case("IndexFromBackup", {"deletion_protection": "Enabled"}, "deletion_protection", "one of"),
    case("IndexFromBackup", {"deletion_protection": True}, "deletion_protection", "one of"),
    case("IndexFromBackup", {"tags": "team=search"}, "tags", "must map tag names to values"),
    case("IndexFromBackup", {"tags": ["team", "search"]}, "tags", "must map tag names to values"),
    case("IndexFromBackup", {"tags": {"team": 1}}, "tags", "must have string values"),
    case("IndexFromBackup", {"tags": {"bad key": "x"}}, "tags", "keys of 1-80 letters"),
    case("IndexFromBackup", {"tags": {"a.b": "x"}}, "tags", "keys of 1-80 letters"),
    case("IndexFromBackup", {"tags": {"k" * 81: "x"}}, "tags", "keys of 1-80 letters"),
    case("IndexFromBackup", {"tags": {"": "x"}}, "tags", "keys of 1-80 letters"),
    case("IndexFromBackup", {"tags": {"team": ""}}, "tags", "must not have empty values"),
    case("IndexFromBackup", {"tags": {"team": "x" * 121}}, "tags", TAG_VALUE_RULE),
    case("IndexFromBackup", {"tags": {"team": "tab\there"}}, "tags", TAG_VALUE_RULE),
    case("IndexFromBackup", {"tags": {"team": "line\n"}}, "tags", TAG_VALUE_RULE),
    case("IndexFromBackup", {"tags": {"team": "naïve"}}, "tags", TAG_VALUE_RULE),
    case("IndexFromBackup", {"tags": TWENTY_TAGS}, "tags", "at most 19 tags"),
    case("IndexFromBackup", {"tags": {"pinecone-backup-owner": "x"}}, "tags", "pinecone-backup keeps it"),
    case("IndexFromBackup", {"wait_for_ready": "true"}, "wait_for_ready", "true or false"),
    case("IndexFromBackup", {"ready_timeout": NAN}, "ready_timeout", SECONDS_RULE),
    case("IndexFromBackup", {"ready_timeout": 0}, "ready_timeout", SECONDS_RULE),
    case("IndexFromBackup", {"poll_interval": -1}, "poll_interval", SECONDS_RULE),
    case("IndexFromBackup", {"poll_interval": INF}, "poll_interval", SECONDS_RULE),
    case("IndexFromBackup", {"deletion_protection": ""}, "deletion_protection", "one of"),
    case("IndexFromBackup", {"wait_for_ready": ""}, "wait_for_ready", "true or false"),
    case("IndexFromBackup", {"tags": ""}, "tags", "must map"),
    # BackupSchedule
    case("BackupSchedule", {"index_name": None}, "index_name", "is required"),
    case("BackupSchedule", {"index_name": "Products"}, "index_name", INDEX_NAME_RULE),
    case("BackupSchedule", {"retention_days": None}, "retention_days", "is required"),
    case("BackupSchedule", {"retention_days": 0}, "retention_days", WHOLE_DAYS_RULE),
    case("BackupSchedule", {"retention_days": -7}, "retention_days", WHOLE_DAYS_RULE),
    case("BackupSchedule", {"retention_days": 1.5}, "retention_days", WHOLE_DAYS_RULE),
    case("BackupSchedule", {"retention_days": "7"}, "retention_days", WHOLE_DAYS_RULE),
    case("BackupSchedule", {"retention_days": True}, "retention_days", WHOLE_DAYS_RULE),
    case("BackupSchedule", {"retention_days": NAN}, "retention_days", WHOLE_DAYS_RULE),
    case("BackupSchedule", {"retention_days": INF}, "retention_days", WHOLE_DAYS_RULE),
    case("BackupSchedule", {"frequency": "hourly"}, "frequency", "one of 'daily', 'weekly', 'monthly'"),
    case("BackupSchedule", {"frequency": "Daily"}, "frequency", "one of 'daily'"),
    case("BackupSchedule", {"frequency": ""}, "frequency", "one of 'daily'"),
    case("BackupSchedule", {"enabled": "false"}, "enabled", "true or false"),
    case("BackupSchedule", {"name": 5}, "name", "must be a string"),
    case("BackupSchedule", {"name": "Nightly"}, "name", SCHEDULE_NAME_RULE),
    case("BackupSchedule", {"name": "s" * 29}, "name", "each run names its backup `<schedule name>-20261130T060000Z`"),
    case("BackupSchedule", {"name": "nightly-"}, "name", SCHEDULE_NAME_RULE),
]

ACCEPTED = [
    ("Backup", {"index_name": "a" * 45, "ready_timeout": 7 * 24 * 3600, "poll_interval": 3600}),
    ("Backup", {"index_name": "0-9", "name": "nightly-backup", "description": "before the migration"}),
    ("Backup", {"name": "n" * 45}),
    ("IndexFromBackup", {"tags": {f"tag{i}": "x" for i in range(19)}}),
    ("IndexFromBackup", {"tags": {"k" * 80: "v" * 120, "A_b-9": "a;b@c_d-e.f+g h:/=~!"}}),
    ("IndexFromBackup", {"tags": {}, "deletion_protection": "enabled", "wait_for_ready": False}),
    ("IndexFromBackup", {"tags": {"team": UNKNOWN}, "backup_id": UNKNOWN, "name": UNKNOWN}),  # known at `up`
    ("BackupSchedule", {"retention_days": 7.0, "frequency": "monthly", "enabled": False, "name": "nightly"}),
    ("BackupSchedule", {"name": "s" * 28}),
    ("BackupSchedule", {"retention_days": UNKNOWN, "index_name": UNKNOWN, "frequency": UNKNOWN}),
]


# -- the rules, in-process --------------------------------------------------------------------


@pytest.mark.parametrize(("resource", "news", "prop", "rule"), CASES)
def test_check_names_the_property_and_the_rule(resource, news, prop, rule, emulator):
    failures = [(f.property, f.reason) for f in PROVIDERS[resource]().check({}, news).failures]
    assert [got for got, _ in failures] == [prop], failures
    assert rule in failures[0][1]
    assert calls(emulator) == []


@pytest.mark.parametrize(
    ("resource", "name"), [("Backup", "Nightly_Backup"), ("BackupSchedule", "s" * 36 + "-0123abcd")]
)
def test_a_name_the_object_already_has_is_not_checked_again(resource, name, emulator):
    """An object made under an older rule (API versions before 2026-07 took such backup names;
    earlier releases named schedules up to 45 characters) keeps its stack working."""
    olds = {**VALID[resource], "name": name}
    assert PROVIDERS[resource]().check(olds, dict(olds)).failures == []
    assert [f.property for f in PROVIDERS[resource]().check({}, dict(olds)).failures] == ["name"]


@pytest.mark.parametrize(("resource", "inputs"), ACCEPTED)
def test_valid_inputs_pass(resource, inputs):
    assert PROVIDERS[resource]().check({}, {**VALID[resource], **inputs}).failures == []


@pytest.mark.parametrize(
    ("resource", "prop", "rule"),
    [("Backup", "ready_timeout", SECONDS_RULE), ("BackupSchedule", "retention_days", WHOLE_DAYS_RULE)],
)
def test_a_number_too_large_for_a_float_is_refused_not_a_crash(resource, prop, rule):
    (failure,) = PROVIDERS[resource]().check({}, {**VALID[resource], prop: 10**400}).failures
    assert failure.property == prop and rule in failure.reason


def test_the_table_covers_every_resource_and_every_input():
    plain = [param.values for param in CASES if not param.marks]
    assert len(plain) >= 40
    for resource, provider in PROVIDERS.items():
        checked = {prop for res, _, prop, _ in plain if res == resource}
        assert checked == set(provider.lifecycle.inputs.names(Role.REPLACE, Role.UPDATE, Role.WAIT)), resource


# -- the same table through the real provider host's Check, over gRPC ---------------------------


@pytest.fixture(scope="module")
def hosts(emulator_server, tmp_path_factory):
    """One `python -m pulumi.dynamic` per resource type, configured with the key, aimed at the emulator."""
    env = {k: v for k, v in os.environ.items() if k != "PINECONE_API_KEY"}
    env.update({"PINECONE_CONTROLLER_HOST": emulator_server.url, "TMPDIR": str(tmp_path_factory.mktemp("host"))})
    started = {name: ProviderHost(env, provider()) for name, provider in PROVIDERS.items()}
    try:
        for host in started.values():
            host.configure({"pinecone:apiKey": API_KEY})
        yield started
    finally:
        for host in started.values():
            host.close()


@pytest.mark.parametrize(("resource", "news", "prop", "rule"), CASES)
def test_the_provider_host_fails_check_naming_the_property(resource, news, prop, rule, hosts, emulator):
    response = hosts[resource].check(news)
    failures = [(failure.property, failure.reason) for failure in response.failures]
    assert [got for got, _ in failures] == [prop], failures
    assert rule in failures[0][1]
    assert calls(emulator) == []


@pytest.mark.parametrize(("resource", "inputs"), ACCEPTED)
def test_the_provider_host_passes_valid_inputs(resource, inputs, hosts, emulator):
    assert list(hosts[resource].check({**VALID[resource], **inputs}).failures) == []
    assert calls(emulator) == []


# -- the plaintext-key warning, in-process ----------------------------------------------------


@pytest.fixture
def program_config(monkeypatch):
    """Set the stack config a program sees (and its secret keys); capture pulumi.log.warn."""
    warnings: list[str] = []
    monkeypatch.setattr(pulumi.log, "warn", lambda message, *args, **kwargs: warnings.append(message))
    _credentials.reset()

    def set_config(config: dict[str, str], secret_keys: list[str]) -> list[str]:
        pulumi.runtime.set_all_config(config, secret_keys)
        return warnings

    yield set_config
    pulumi.runtime.set_all_config({}, [])
    _credentials.reset()


def test_a_plaintext_key_is_warned_about_once_without_the_key(program_config):
    warnings = program_config({"pinecone:apiKey": API_KEY}, [])
    _credentials.warn_if_plaintext_key()
    _credentials.warn_if_plaintext_key()
    assert len(warnings) == 1 and "\n" not in warnings[0] and API_KEY not in warnings[0]
    assert "pulumi config set --secret pinecone:apiKey" in warnings[0] and "PINECONE_API_KEY" in warnings[0]


@pytest.mark.parametrize(
    ("config", "secret_keys"),
    [({"pinecone:apiKey": API_KEY}, ["pinecone:apiKey"]), ({}, []), ({"other:apiKey": "x"}, [])],
    ids=["secret", "unset", "another-key"],
)
def test_no_warning_for_a_secret_or_absent_key(program_config, config, secret_keys):
    warnings = program_config(config, secret_keys)
    _credentials.warn_if_plaintext_key()
    assert warnings == []


# -- a few through the plain CLI: `pulumi preview` of a small project -------------------------

PROGRAM = textwrap.dedent(
    '''
    """Declares one resource from stack config: `resource`, `inputs` (JSON), `readyTimeout`."""
    import json

    import pulumi

    from pinecone_backup import Backup, BackupSchedule, IndexFromBackup

    config = pulumi.Config()
    inputs = json.loads(config.get("inputs") or "{}")
    timeout = config.get_float("readyTimeout")  # as the examples read it
    if timeout is not None:
        inputs["ready_timeout"] = timeout
    kinds = {"Backup": Backup, "IndexFromBackup": IndexFromBackup, "BackupSchedule": BackupSchedule}
    resource = kinds[config.require("resource")]
    resource("case", **inputs)
    '''
)
WARNING = "The stack config `pinecone:apiKey` is stored in plain text"

# (stack, resource, inputs, config beyond those, the property, what the CLI must print about it)
CLI_CASES = [
    ("newline", "Backup", {"index_name": "products\n"}, {}, "index_name", "is not a valid index name"),
    ("nan", "Backup", {"index_name": "products"}, {"readyTimeout": "nan"}, "ready_timeout", "got nan"),
    ("tags", "IndexFromBackup", {**VALID["IndexFromBackup"], "tags": {"team": ""}}, {}, "tags", "empty values"),
    (
        "protection",
        "IndexFromBackup",
        {**VALID["IndexFromBackup"], "deletion_protection": "yes"},
        {},
        "deletion_protection",
        "must be one of 'enabled', 'disabled', got 'yes'",
    ),
    ("backup-name", "Backup", {"index_name": "products", "name": "Nightly_Backup"}, {}, "name", BACKUP_NAME_RULE),
    (
        "schedule-name",
        "BackupSchedule",
        {**VALID["BackupSchedule"], "name": "nightly-backups-of-the-products"},
        {},
        "name",
        "(31 characters): use 1-28 lowercase letters",
    ),
    (
        "frequency",
        "BackupSchedule",
        {**VALID["BackupSchedule"], "frequency": "hourly"},
        {},
        "frequency",
        "must be one of 'daily', 'weekly', 'monthly', got 'hourly'",
    ),
]


def new_project(directory: Path, cli_bin: Path, state: Path, emulator_url: str, stack: str) -> CliProject:
    """A project of its own per stack, so that previews can run side by side."""
    directory.mkdir(parents=True)
    settings = {"name": "bad-inputs", "runtime": {"name": "python", "options": {"virtualenv": sys.prefix}}}
    (directory / "Pulumi.yaml").write_text(yaml.safe_dump(settings, sort_keys=False))
    (directory / "__main__.py").write_text(PROGRAM)
    return CliProject(directory, cli_bin, cli_env(cli_bin, state, emulator_url), stack)


def diagnostics(output: str) -> str:
    return output.split("Diagnostics:", 1)[-1]


@pytest.mark.engine
@pytest.mark.timeout(300)
def test_preview_fails_naming_the_property_with_no_api_call(cli_bin, emulator, tmp_path):
    """Seven bad inputs and one good, each `pulumi preview` of its own stack, side by side. The key
    is set in plain text for the bad ones (a warning), with --secret for the good one (none)."""
    good = ("good", "IndexFromBackup", {**VALID["IndexFromBackup"], "tags": {"team": "search"}}, {}, None, None)
    runs = [*CLI_CASES, good]
    projects = [new_project(tmp_path / stack, cli_bin, tmp_path / "state", emulator.url, stack) for stack, *_ in runs]

    def preview(project: CliProject, run: tuple[Any, ...]) -> str:
        _, resource, inputs, config, _, _ = run
        plain = {"resource": resource, "inputs": json.dumps(inputs), **config}
        key = {"pinecone:apiKey": API_KEY}
        project.init({**plain, **(key if run is not good else {})}, secrets=key if run is good else None)
        done = project.run("preview", check=run is good, timeout=120)
        assert (done.returncode == 0) is (run is good), done.stdout + done.stderr
        return done.stdout + done.stderr

    try:
        with ThreadPoolExecutor(3) as pool:
            outputs = list(pool.map(preview, projects, runs))
    finally:
        for project in projects:
            print(project.report())
    for (stack, _, _, _, prop, message), output in zip(CLI_CASES, outputs, strict=False):
        problem = re.search(rf"property {prop} value .*? has a problem: (?P<reason>.*)", output, re.DOTALL)
        assert problem and message in problem["reason"], (stack, output)
        assert diagnostics(output).count(WARNING) == 1, (stack, output)
        assert "pulumi config set --secret pinecone:apiKey" in output and API_KEY not in output
    assert WARNING not in outputs[-1] and "+ 2 to create" in outputs[-1]
    assert calls(emulator) == []
