"""The provider inside the real dynamic-provider host process, driven over the gRPC protocol.

Pickling mistakes, configure() wiring and the host's error reporting only show here.
"""

from __future__ import annotations

import base64
import json
import os
import re
from concurrent.futures import ThreadPoolExecutor

import grpc
import pytest

from support.emulator import API_KEY, INDEX, RECORDS, calls
from support.provider_host import ProviderHost, from_struct

INPUTS = {"index_name": INDEX, "name": "nightly", "description": "first", "poll_interval": 0.05}


@pytest.fixture
def host(emulator, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PINECONE_API_KEY"}
    env.update({"PINECONE_CONTROLLER_HOST": emulator.url, "TMPDIR": str(tmp_path)})
    process = ProviderHost(env)
    process.configure({"pinecone:apiKey": API_KEY, "pinecone-backup:unrelated": "value"})
    yield process
    process.close()


def checked_inputs(host, inputs):
    response = host.check(inputs)
    assert list(response.failures) == []
    return from_struct(response.inputs)


def test_full_lifecycle_through_the_host(host, emulator, index):
    inputs = checked_inputs(host, INPUTS)
    assert inputs["ready_timeout"] == 3600 and inputs["wait_for_ready"] is True

    backup_id, outs = host.create(inputs)
    assert outs["backup_id"] == backup_id and outs["status"] == "Ready"
    assert outs["record_count"] == RECORDS and outs["size_bytes"] > 0
    assert outs["__provider"] == host.serialized_provider

    no_change = host.diff(backup_id, outs, host.with_provider(inputs))
    assert no_change.changes == no_change.DIFF_NONE

    changed = host.diff(backup_id, outs, host.with_provider(inputs | {"description": "second"}))
    assert changed.changes == changed.DIFF_SOME and list(changed.replaces) == ["description"]
    assert changed.deleteBeforeReplace is False

    read_id, refreshed = host.read(backup_id, outs)
    assert read_id == backup_id and refreshed["record_count"] == RECORDS

    host.delete(backup_id, outs)
    assert emulator.state.backups == {}
    read_id, _ = host.read(backup_id, outs)
    assert read_id == ""  # refresh drops it
    host.delete(backup_id, outs)  # and deleting again is fine


def test_upgraded_package_pickle_never_replaces(host, emulator, index):
    inputs = checked_inputs(host, INPUTS)
    backup_id, outs = host.create(inputs)
    # What an older release of this package would have left in state: a different pickle.
    old_state = outs | {"__provider": "b2xkLXBpY2tsZS1mcm9tLTAuMC45"}
    response = host.diff(backup_id, old_state, host.with_provider(inputs))
    assert response.changes == response.DIFF_NONE and list(response.replaces) == []


def test_check_failures_come_back_per_property(host, emulator):
    response = host.check({"index_name": "Not_Valid", "ready_timeout": -1})
    reasons = {failure.property: failure.reason for failure in response.failures}
    assert set(reasons) == {"index_name", "ready_timeout"}
    assert "lowercase" in reasons["index_name"] and "above 0" in reasons["ready_timeout"]
    assert calls(emulator) == []


def test_failed_backup_error_reaches_the_engine_and_leaves_nothing(host, emulator, index):
    emulator.state.faults.fail_backups = True
    with pytest.raises(grpc.RpcError) as raised:
        host.create(checked_inputs(host, INPUTS))
    assert "is InitializationFailed" in raised.value.details() and "deleted" in raised.value.details()
    assert emulator.state.backups == {}


def test_progress_lines_lead_with_the_state_and_never_interleave(host, emulator, index):
    emulator.state.faults.ready_delay = 0.5
    names = [f"parallel-{i}" for i in range(6)]
    with ThreadPoolExecutor(len(names)) as callers:
        list(callers.map(lambda name: host.create(checked_inputs(host, INPUTS | {"name": name})), names))
    lines = host.stderr().splitlines()
    one_line = re.compile(
        r"(Created: backup \S+|(Initializing \d+s|Ready after \d+s): backup \S+…) of products(, next check in \d+s)?"
    )
    assert [line for line in lines if not one_line.fullmatch(line)] == []
    assert sum(line.startswith("Ready after") for line in lines) == len(names)


def test_api_key_appears_in_no_output_pickle_error_or_log(host, emulator, index):
    backup_id, outs = host.create(checked_inputs(host, INPUTS))
    emulator.state.faults.fail_backups = True
    with pytest.raises(grpc.RpcError) as raised:
        host.create(checked_inputs(host, INPUTS))
    host.read(backup_id, outs)
    host.delete(backup_id, outs)

    unpickled_bytes = base64.b64decode(host.serialized_provider)
    for text in (json.dumps(outs), raised.value.details(), host.stderr(), host.serialized_provider):
        assert API_KEY not in text
    assert API_KEY.encode() not in unpickled_bytes


def test_missing_key_is_reported_by_the_host(emulator, index, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PINECONE_API_KEY"}
    env.update({"PINECONE_CONTROLLER_HOST": emulator.url, "TMPDIR": str(tmp_path)})
    process = ProviderHost(env)
    try:
        process.configure({})
        with pytest.raises(grpc.RpcError) as raised:
            process.create(checked_inputs(process, INPUTS))
        assert "pinecone:apiKey" in raised.value.details() and "PINECONE_API_KEY" in raised.value.details()
    finally:
        process.close()
    assert calls(emulator) == []
