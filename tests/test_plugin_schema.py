"""The plugin's schema is the core's declarations, in Pulumi's camelCase, as the CLI reads it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pinecone_backup.core.fields import Role
from pinecone_backup.plugin.schema import RESOURCES, camel, schema_names, snake, token

PLUGIN = Path(sys.executable).parent / "pulumi-resource-pinecone-backup"


@pytest.fixture(scope="module")
def schema(cli_bin) -> dict:
    """What `pulumi package get-schema <the plugin's executable>` prints."""
    done = subprocess.run(
        [str(cli_bin / "pulumi"), "package", "get-schema", str(PLUGIN)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout)


@pytest.mark.engine
@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_every_declared_field_is_in_the_schema_as_declared(schema, name):
    lifecycle = RESOURCES[name]
    resource = schema["resources"][token(name)]
    for declared in lifecycle.inputs.declared(Role.REPLACE, Role.UPDATE, Role.WAIT):
        spec = resource["inputProperties"][camel(declared.name)]
        assert schema_names(declared.metadata["doc"])[1:] in spec["description"]  # documented where declared
        assert resource["properties"][camel(declared.name)].get("replaceOnChanges", False) is (
            declared.metadata["role"] is Role.REPLACE
        )
    for output in lifecycle.outputs:
        assert camel(output.name) in resource["properties"]
    hidden = {camel(f.name) for f in lifecycle.inputs.declared(Role.HIDDEN)}
    assert not hidden & set(resource["inputProperties"])  # set by the provider, not the program


@pytest.mark.engine
def test_the_api_key_is_secret_provider_config(schema):
    assert schema["config"]["variables"]["apiKey"]["secret"] is True
    assert schema["provider"]["inputProperties"]["apiKey"]["secret"] is True


def test_names_go_both_ways():
    for lifecycle in RESOURCES.values():
        for name in (*lifecycle.inputs.names(), *(output.name for output in lifecycle.outputs)):
            assert snake(camel(name)) == name
