"""The committed TypeScript and Go SDKs are what the plugin's schema makes, and they build."""

from __future__ import annotations

import subprocess

import pytest

from support import gen_sdks


@pytest.mark.engine
def test_regenerating_the_sdks_changes_nothing(tmp_path):
    gen_sdks.generate(tmp_path)
    for language in gen_sdks.LANGUAGES:
        assert gen_sdks.differences(tmp_path / language, gen_sdks.SDK / language) == [], (
            "run `python -m support.gen_sdks` and commit sdk/"
        )


@pytest.mark.engine
def test_the_schemas_descriptions_reach_the_sdks():
    backup = (gen_sdks.SDK / "nodejs" / "backup.ts").read_text()
    assert "A backup of a Pinecone serverless index. Backups are immutable" in backup  # TSDoc
    assert "public readonly indexName: pulumi.Output<string>" in backup
    go = (gen_sdks.SDK / "go" / "pineconebackup" / "backup.go").read_text()
    assert "// A backup of a Pinecone serverless index." in go  # GoDoc
    assert "`index_name`" not in backup + go  # the schema's own names, not Python's


@pytest.mark.engine
def test_the_node_package_compiles():
    out = gen_sdks.build_nodejs()
    for name in ("index.js", "index.d.ts", "backup.js", "package.json"):
        assert (out / name).is_file()


@pytest.mark.engine
def test_the_go_module_vets():
    done = subprocess.run(
        ["go", "vet", "./..."], cwd=gen_sdks.SDK / "go", capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr
