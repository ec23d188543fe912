"""The stack instance's identity: read from the secrets provider's key material in its stack file."""

from __future__ import annotations

from pathlib import Path

import pytest

from pinecone_backup.core.identity import key_material

SALT = "v1:Q2pW3e4r5t6yAA==:v1:abcdefgh:ijklmnopqrstuvwxyz0123456789"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"Pulumi.yaml": "name: p\nruntime: python\n", "Pulumi.dev.yaml": f"encryptionsalt: {SALT}\n"}, SALT),
        (
            {
                "Pulumi.yaml": "name: p\n",
                "Pulumi.dev.yaml": "secretsprovider: awskms://alias/x\nencryptedkey: AQICAH==\n",
            },
            "AQICAH==",
        ),
        (
            {"Pulumi.yaml": "name: p\nstackConfigDir: config\n", "config/Pulumi.dev.yaml": f"encryptionsalt: {SALT}\n"},
            SALT,
        ),
        ({"Pulumi.json": '{"name": "p"}', "Pulumi.dev.json": f'{{"encryptionsalt": "{SALT}"}}'}, SALT),
        ({"Pulumi.yaml": "name: p\n", "Pulumi.dev.yaml": "config:\n  p:x: 1\n"}, None),  # Pulumi Cloud's own secrets
        ({"Pulumi.yaml": "name: p\n"}, None),  # no stack file
        ({}, None),  # no project
        ({"Pulumi.yaml": "name: p\n", "Pulumi.dev.yaml": ": not yaml ["}, None),
    ],
    ids=["passphrase", "cloud-kms", "stack-config-dir", "json", "none", "no-stack-file", "no-project", "garbled"],
)
def test_key_material_of_the_stack(tmp_path, files, expected):
    for name, text in files.items():
        write(tmp_path / name, text)
    assert key_material(tmp_path, "dev") == expected
    assert key_material(tmp_path, "prod") is None  # another stack's file is not this one's


def test_a_fully_qualified_stack_name_reads_the_short_names_file(tmp_path):
    write(tmp_path / "Pulumi.yaml", "name: p\n")
    write(tmp_path / "Pulumi.dev.yaml", f"encryptionsalt: {SALT}\n")
    assert key_material(tmp_path, "acme/dev") == SALT
