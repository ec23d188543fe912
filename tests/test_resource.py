"""The user's API in a Pulumi program, with the engine mocked by pulumi.runtime.set_mocks."""

from __future__ import annotations

import inspect
import typing
from pathlib import Path
from typing import Any

import pulumi
import pytest

from pinecone_backup import Backup, BackupSchedule, IndexFromBackup
from pinecone_backup.core.backup import BACKUP_OUTPUTS, BackupInputs
from pinecone_backup.core.fields import Role, markdown_tables
from pinecone_backup.core.restore import INDEX_OUTPUTS, RESTORE_OUTPUTS, IndexFromBackupInputs
from pinecone_backup.core.schedule import SCHEDULE_OUTPUTS, BackupScheduleInputs

CREATED: list[pulumi.runtime.MockResourceArgs] = []


class FakeEngine(pulumi.runtime.Mocks):
    """Stands in for the engine and provider: echoes inputs, adds what Pinecone would return."""

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict]:
        CREATED.append(args)
        backup_id = f"bkp-{args.name}"
        return backup_id, {**args.inputs, "backup_id": backup_id, "status": "Ready", "record_count": 10}

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict, list[tuple[str, str]] | None]:
        return {}, None


@pytest.fixture(autouse=True)
def mocks():
    CREATED.clear()
    pulumi.runtime.set_mocks(FakeEngine(), preview=False)


@pulumi.runtime.test
def test_inputs_accept_outputs_and_reach_the_provider():
    index = pulumi.Output.from_input("products")
    backup = Backup("nightly", index_name=index, name="nightly-1", description=pulumi.Output.from_input("d"))

    def check(values):
        backup_id, status, record_count = values
        assert (backup_id, status, record_count) == ("bkp-nightly", "Ready", 10)
        assert type(record_count) is int  # the engine sends 10.0: the declared type makes it an int
        (args,) = CREATED
        assert args.typ == "pulumi-python:dynamic/pinecone:Backup"
        assert args.inputs["index_name"] == "products"
        assert args.inputs["name"] == "nightly-1" and args.inputs["description"] == "d"
        assert args.inputs["wait_for_ready"] is True and args.inputs["ready_timeout"] == 3600
        assert "__provider" in args.inputs

    return pulumi.Output.all(backup.backup_id, backup.status, backup.record_count).apply(check)


def typed_outputs(resource: type) -> dict[str, Any]:
    """The resource's typed output attributes (getters, as in generated SDKs) and their types."""
    getters = inspect.getmembers(resource, lambda member: isinstance(member, property))
    sdk_own = dir(pulumi.dynamic.Resource)  # urn, id, ...
    return {name: typing.get_type_hints(getter.fget)["return"] for name, getter in getters if name not in sdk_own}


def test_outputs_are_typed_attributes():
    hints = typed_outputs(Backup)
    for attribute in ("backup_id", "status", "record_count", "size_bytes", "namespace_count", "created_at"):
        assert typing.get_origin(hints[attribute]) is pulumi.Output, attribute
    assert typing.get_args(hints["record_count"]) == (int | None,)


@pytest.mark.parametrize("resource", [Backup, IndexFromBackup, BackupSchedule])
def test_the_sdk_reads_the_output_types_from_getters_not_from_annotations_at_each_registration(resource):
    """The SDK evaluates class annotations at every registration; getters it reads once."""
    assert inspect.get_annotations(resource) == {}
    sdk_types = pulumi._types.resource_types(resource)
    assert sdk_types == {name: pulumi._types.unwrap_type(hint) for name, hint in typed_outputs(resource).items()}


def test_constructor_is_keyword_only_after_the_resource_name():
    with pytest.raises(TypeError):
        Backup("nightly", "products")  # type: ignore[misc]


@pytest.mark.parametrize(
    ("resource", "inputs", "outputs"),
    [
        (Backup, BackupInputs, BACKUP_OUTPUTS),
        (IndexFromBackup, IndexFromBackupInputs, (*RESTORE_OUTPUTS, *INDEX_OUTPUTS)),
        (BackupSchedule, BackupScheduleInputs, SCHEDULE_OUTPUTS),
    ],
    ids=["Backup", "IndexFromBackup", "BackupSchedule"],
)
def test_typed_attributes_and_constructor_match_the_declared_fields(resource, inputs, outputs):
    public_inputs = inputs.names(Role.REPLACE, Role.UPDATE, Role.WAIT)
    assert set(typed_outputs(resource)) >= {*public_inputs, *(output.name for output in outputs)}
    parameters = list(inspect.signature(resource.__init__).parameters)
    assert parameters == ["self", "resource_name", *public_inputs, "opts"]
    for name in (*public_inputs, *(output.name for output in outputs)):
        assert f"\n    {name}: " in resource.__doc__, f"{name} is not documented"  # help(Backup) lists each


@pytest.mark.parametrize(
    ("marker", "inputs", "outputs"),
    [
        ("Backup", BackupInputs, BACKUP_OUTPUTS),
        ("IndexFromBackup", IndexFromBackupInputs, RESTORE_OUTPUTS + INDEX_OUTPUTS),
        ("BackupSchedule", BackupScheduleInputs, SCHEDULE_OUTPUTS),
    ],
)
def test_readme_tables_are_the_declared_fields(marker, inputs, outputs):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    begin, end = f"<!-- fields:{marker} -->\n", f"\n<!-- /fields:{marker} -->"
    in_readme = readme[readme.index(begin) + len(begin) : readme.index(end)]
    assert in_readme == markdown_tables(inputs, outputs), "regenerate with pinecone_backup.core.fields.markdown_tables"
