"""docs/ is what the schema makes, and its hand-written examples are real programs: the YAML
uses the schema's tokens and properties, the Python the dynamic resources' own keywords, the
TypeScript and Go the generated SDKs' names (and, with the engine's tools, they compile)."""

from __future__ import annotations

import ast
import inspect
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import pinecone_backup
from pinecone_backup.api import models
from pinecone_backup.plugin.schema import PACKAGE, schema, snake
from support import gen_docs, gen_sdks
from support.cli import CliProject, cli_env
from support.emulator import API_KEY, INDEX, create_index, eventually

SPEC = schema()
RESOURCES = {gen_docs.name_of(token): spec for token, spec in SPEC["resources"].items()}
FUNCTIONS = {gen_docs.name_of(token): spec for token, spec in SPEC["functions"].items()}
TYPES = SPEC["types"]
NODEJS = gen_sdks.SDK / "nodejs"
GO = gen_sdks.SDK / "go" / "pineconebackup"


def example(name: str, suffix: str) -> str:
    return (gen_docs.EXAMPLES / f"{name}.{suffix}").read_text()


def names(suffix: str) -> list[str]:
    """The resources and functions that have an example in this language."""
    return sorted(name for name in [*RESOURCES, *FUNCTIONS] if (gen_docs.EXAMPLES / f"{name}.{suffix}").is_file())


# The pages and the schema


def test_the_committed_docs_are_the_generators_output():
    assert gen_docs.differences(gen_docs.pages(), gen_docs.DOCS) == [], "run `python -m support.gen_docs`"


def test_check_names_each_stale_page_and_the_command_to_fix_it(tmp_path, monkeypatch, capsys):
    shutil.copytree(gen_docs.DOCS, tmp_path / "docs")
    (tmp_path / "docs" / "resources" / "Backup.md").write_text("# Backup\n\nEdited by hand.\n")
    (tmp_path / "docs" / "functions" / "getBackup.md").unlink()
    (tmp_path / "docs" / "functions" / "gone.md").write_text("# gone\n")
    monkeypatch.setattr(gen_docs, "DOCS", tmp_path / "docs")
    monkeypatch.setattr(sys, "argv", ["gen_docs", "check"])

    assert gen_docs.main() == 1
    printed = capsys.readouterr().out
    assert "run `python -m support.gen_docs`" in printed
    for line in ("differs: resources/Backup.md", "missing: functions/getBackup.md", "not generated: functions/gone.md"):
        assert line in printed

    monkeypatch.setattr(sys, "argv", ["gen_docs"])  # generate: the same three, put right
    assert gen_docs.main() == 0
    assert gen_docs.differences(gen_docs.pages(), tmp_path / "docs") == []
    assert not (tmp_path / "docs" / "functions" / "gone.md").exists()
    assert (tmp_path / "docs" / "examples" / "Backup.py").is_file()  # hand-written files are kept


def page(kind: str, name: str) -> str:
    return (gen_docs.DOCS / kind / f"{name}.md").read_text()


def prose(text: str) -> str:
    """A page without its code blocks, whose `# comments` are no headings."""
    return re.sub(r"^```.*?^```$", "", text, flags=re.M | re.S)


def section(text: str, heading: str) -> str:
    """A page's section under `heading` (`## Inputs`), up to the next heading of its level or above."""
    level = heading.split(" ")[0]
    body = prose(text).split(f"\n{heading}\n", 1)[1]
    return re.split(rf"^#{{1,{len(level)}}} ", body, flags=re.M)[0]


def row(text: str, key: str) -> str:
    """The table row of property `key` in a section."""
    found = [line for line in text.splitlines() if line.startswith((f"| `{key}` |", f"| `{key}` (always set) |"))]
    assert found, f"no row for {key}"
    return found[0]


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_a_resource_page_has_every_input_and_output(name):
    resource, text = RESOURCES[name], page("resources", name)
    assert resource["description"] in text
    assert f"`{PACKAGE}:index:{name}`" in text
    for key, spec in resource["inputProperties"].items():
        line = row(section(text, "## Inputs"), key)
        description, change = gen_docs._change(spec["description"])
        assert description in line and change in line  # what a change does, from the description's last sentence
        assert change, f"{name}.{key}: its description says nothing of what a change does"
        if key in resource["requiredInputs"]:
            assert "| required |" in line
        elif "default" in spec:
            assert f"| default {gen_docs._value(spec['default'])} |" in line
        else:
            assert "| optional |" in line
    for key in resource["properties"].keys() - resource["inputProperties"].keys():
        assert resource["properties"][key]["description"] in row(section(text, "## Outputs"), key)
    assert "## Import" in text and (gen_docs.IMPORTS / f"{name}.md").read_text().strip() in text


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_a_function_page_has_every_argument_and_result(name):
    function, text = FUNCTIONS[name], page("functions", name)
    assert function["description"] in text
    for key, spec in function["inputs"]["properties"].items():
        line = row(section(text, "## Arguments"), key)
        assert spec["description"] in line
        assert ("required" if key in function["inputs"]["required"] else "optional") in line
    for key, spec in function["outputs"]["properties"].items():
        assert spec["description"] in row(section(text, "## Result"), key)
    for token, spec in TYPES.items():
        if f"#/types/{token}" in json.dumps(function["outputs"]):
            fields = section(text, f"### {gen_docs.name_of(token)}")
            for key, field in spec["properties"].items():
                assert field["description"] in row(fields, key)


def test_the_index_links_every_page_and_the_installation_page():
    text = (gen_docs.DOCS / "README.md").read_text()
    for name in RESOURCES:
        assert f"(resources/{name}.md)" in text
    for name in FUNCTIONS:
        assert f"(functions/{name}.md)" in text
    assert f"({gen_docs.INSTALLATION})" in text


def test_every_link_in_docs_resolves():
    for path, text in gen_docs.pages().items():
        here = gen_docs.DOCS / path
        headings = {
            re.sub(r"[^\w\- ]", "", h).strip().lower().replace(" ", "-")
            for h in re.findall(r"^#+ (.+)$", prose(text), re.M)
        }
        for target in re.findall(r"\]\(([^)\s]+)\)", prose(text)):
            if target.startswith(("http://", "https://")):
                continue
            file, _, anchor = target.partition("#")
            if file:
                assert (here.parent / file).resolve().exists(), f"{path}: {target}"
            else:
                assert anchor in headings, f"{path}: {target}"


def test_every_resource_and_function_has_its_hand_written_parts():
    """Examples in every language (Python's where the Python package has it), and a resource's import notes."""
    missing = [
        f"docs/examples/{name}.{language.suffix}"
        for name in [*RESOURCES, *FUNCTIONS]
        for language in gen_docs.LANGUAGES
        if not (gen_docs.EXAMPLES / f"{name}.{language.suffix}").is_file()
        and (language.suffix != "py" or gen_docs.python_face(name) is not None)
        and (name, language.suffix) not in gen_docs.WITHOUT_EXAMPLE
    ] + [f"docs/import/{name}.md" for name in RESOURCES if not (gen_docs.IMPORTS / f"{name}.md").is_file()]
    assert missing == [], "write them, then run `python -m support.gen_docs`"
    strays = {path.stem for path in gen_docs.EXAMPLES.iterdir()} - {*RESOURCES, *FUNCTIONS}
    assert strays == set(), "examples of what the schema does not have"


# The names each language uses: Python's and Go's columns


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_a_resources_python_and_go_names_are_the_faces_own(name):
    resource = RESOURCES[name]
    go = GO.joinpath(name[:1].lower() + name[1:] + ".go").read_text()
    assert f"func New{name}(ctx *pulumi.Context" in go
    assert set(map(gen_docs.go_name, resource["inputProperties"])) == go_struct(go, f"{name}Args")
    assert set(map(gen_docs.go_name, resource["properties"])) == go_struct(go, name)
    python = gen_docs.python_face(name)
    if python is not None:  # the dynamic resource: keywords for the inputs, attributes for the outputs
        assert set(map(snake, resource["inputProperties"])) <= set(inspect.signature(python).parameters)
        assert all(hasattr(python, snake(key)) for key in resource["properties"])


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_a_functions_python_and_go_names_are_the_faces_own(name):
    function, python = FUNCTIONS[name], gen_docs.python_face(name)
    go = GO.joinpath(f"{name}.go").read_text()
    go_name = gen_docs.go_function(name)
    assert f"func {go_name}(ctx *pulumi.Context" in go and f"func {go_name}Output(ctx *pulumi.Context" in go
    assert set(map(gen_docs.go_name, function["inputs"]["properties"])) == go_struct(go, f"{go_name}Args")
    assert set(map(gen_docs.go_name, function["outputs"]["properties"])) == go_struct(go, f"{go_name}Result")
    if python is None:
        return
    assert list(inspect.signature(python).parameters) == list(map(snake, function["inputs"]["properties"]))
    assert gen_docs.python_face(name + "Output") is not None
    # The Python look-up returns a model (or a list of them, or None) with the fields of the result
    # (or of the object type the result holds), by their Python names.
    returned = re.findall(r"\w+", inspect.signature(python).return_annotation)
    model = next(getattr(models, word) for word in returned if word not in ("list", "None"))
    held = [spec for token, spec in TYPES.items() if f"#/types/{token}" in json.dumps(function["outputs"])]
    for key in (held[0] if held else function["outputs"])["properties"]:
        assert snake(key) in model.model_fields or hasattr(model, snake(key)), (model, key)


def go_struct(source: str, type_name: str) -> set[str]:
    """The fields of a Go struct type in a generated file."""
    body = re.search(rf"^type {type_name} struct {{\n(.*?)^}}", source, re.M | re.S)
    assert body, f"no struct {type_name}"
    return set(re.findall(r"^\t(\w+) ", body.group(1), re.M))


# The examples


@pytest.mark.parametrize("name", names("yaml"))
def test_a_yaml_example_uses_the_schemas_tokens_and_properties(name):
    program = yaml.safe_load(example(name, "yaml"))
    assert set(program) <= {"config", "resources", "variables", "outputs"}
    shapes: dict[str, set[str]] = {}  # what `${name.property}` may read, by name
    for resource_name, resource in program.get("resources", {}).items():
        spec = SPEC["resources"][resource["type"]]
        properties = resource.get("properties", {})
        assert set(properties) <= set(spec["inputProperties"]), resource_name
        assert set(spec["requiredInputs"]) <= set(properties), resource_name
        shapes[resource_name] = set(spec["properties"])
    for variable, value in program.get("variables", {}).items():
        invoke = value["fn::invoke"]
        spec = SPEC["functions"][invoke["function"]]
        assert set(invoke.get("arguments", {})) <= set(spec["inputs"]["properties"]), variable
        assert set(spec["inputs"]["required"]) <= set(invoke.get("arguments", {})), variable
        returned = spec["outputs"]["properties"]
        if "return" in invoke:
            held = returned[invoke["return"]]
            returned = TYPES[(held.get("items") or held)["$ref"].removeprefix("#/types/")]["properties"]
        shapes[variable] = set(returned)
    for whose, key in re.findall(r"\$\{([\w-]+)\.(\w+)\}", example(name, "yaml")):
        assert key in shapes[whose], f"${{{whose}.{key}}}"
    token = f"{PACKAGE}:index:{name}"
    assert token in {r["type"] for r in program.get("resources", {}).values()} | {
        v["fn::invoke"]["function"] for v in program.get("variables", {}).values()
    }, f"the example of {name} does not use it"


@pytest.mark.parametrize("name", names("py"))
def test_a_python_example_compiles_and_calls_the_package_as_it_is(name):
    source = example(name, "py")
    tree = ast.parse(compile(source, f"{name}.py", "exec", flags=ast.PyCF_ONLY_AST))
    imported = {
        alias.name: getattr(pinecone_backup, alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "pinecone_backup"
        for alias in node.names
    }
    assert gen_docs.python_face(name).__name__ in imported, f"the example of {name} does not use it"
    resources: dict[str, type] = {}  # variable -> the resource class it holds
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in imported:
            called = imported[node.func.id]
            # The call's arguments bind to the real signature: no unknown keyword, none missing.
            inspect.signature(called).bind(*node.args, **{keyword.arg: None for keyword in node.keywords})
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name):
            held = imported.get(node.value.func.id)
            if inspect.isclass(held):
                resources.update({target.id: held for target in node.targets if isinstance(target, ast.Name)})
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in resources:
            assert hasattr(resources[node.value.id], node.attr), f"{node.value.id}.{node.attr}"


def without_comments_and_strings(source: str) -> str:
    return re.sub(r'//[^\n]*|"[^"\n]*"|`[^`]*`', '""', source)


def braced(source: str, start: int) -> str:
    """The text between the brace at `start` and the one that closes it."""
    depth = 0
    for end in range(start, len(source)):
        depth += {"{": 1, "}": -1}.get(source[end], 0)
        if depth == 0:
            return source[start + 1 : end]
    raise AssertionError(f"unclosed brace at {start}")


def keys(literal: str) -> set[str]:
    """The top-level keys of an object (TypeScript) or struct (Go) literal."""
    while re.search(r"\{[^{}]*\}", literal):
        literal = re.sub(r"\{[^{}]*\}", "", literal)
    return set(re.findall(r"(\w+)\s*:", literal))


def ts_members() -> tuple[set[str], dict[str, set[str]]]:
    """What the Node package exports, and the members of each interface and class it declares."""
    index = (NODEJS / "index.ts").read_text()
    exported = set(re.findall(r"^export (?:const|type) (\w+)", index, re.M))
    exported |= {name.strip() for group in re.findall(r"^export \{([^}]+)\}", index, re.M) for name in group.split(",")}
    members: dict[str, set[str]] = {}
    for path in NODEJS.glob("*.ts"):
        for name, body in re.findall(
            r"^export (?:interface|class) (\w+)[^{]*\{\n(.*?)^\}", path.read_text(), re.M | re.S
        ):
            members[name] = set(
                re.findall(r"^    (?:declare public (?:/\*out\*/ )?)?(?:readonly )?(\w+)\??:", body, re.M)
            )
    return exported, members


@pytest.mark.parametrize("name", names("ts"))
def test_a_typescript_example_uses_the_node_packages_names(name):
    source = without_comments_and_strings(example(name, "ts"))
    exported, members = ts_members()
    assert re.search(rf"pineconebackup\.{name}(Output)?\(", source), f"the example of {name} does not use it"
    for used in re.findall(r"pineconebackup\.(\w+)", source):
        assert used in exported, used
    held: dict[str, str] = {}  # variable -> the type whose members it has
    for call in re.finditer(r"(?:const (\w+) = )?(new )?pineconebackup\.(\w+)\(", source):
        variable, constructed, called = call.groups()
        args = f"{called}Args" if constructed else called[:1].upper() + called[1:] + "Args"
        if "{" in source[call.end() : source.find(")", call.end())]:
            assert keys(braced(source, source.index("{", call.end()))) <= members[args], f"{called}: {args}"
        if variable and (constructed or called.endswith("Output")):  # a resource, or an Output of a result
            held[variable] = called if constructed else called[:1].upper() + called[1 : -len("Output")] + "Result"
    for variable, member in re.findall(r"\b(\w+)\.(\w+)", source):
        if variable in held:
            assert member in members[held[variable]] | {"apply"}, f"{variable}.{member}"


def go_declarations() -> tuple[str, set[str]]:
    """The Go package's source, and the names it exports."""
    source = "\n".join(path.read_text() for path in sorted(GO.glob("*.go")))
    return source, set(re.findall(r"^(?:func|type) ([A-Z]\w*)", source, re.M))


@pytest.mark.parametrize("name", names("go"))
def test_a_go_example_uses_the_go_packages_names(name):
    source = without_comments_and_strings(example(name, "go"))
    package, exported = go_declarations()
    called = gen_docs.go_function(name) if name in FUNCTIONS else f"New{name}"
    assert re.search(rf"pineconebackup\.{called}(Output)?\(", source), f"the example of {name} does not use it"
    for used in re.findall(r"pineconebackup\.(\w+)", source):
        assert used in exported, used
    for literal in re.finditer(r"pineconebackup\.(\w+)\{", source):
        assert keys(braced(source, literal.end() - 1)) <= go_struct(package, literal.group(1)), literal.group(1)
    held: dict[str, set[str]] = {}  # variable -> its fields, or its methods
    for variable, function in re.findall(r"(\w+)(?:, err)? :?= pineconebackup\.(\w+)\(", source):
        if function.startswith("New"):
            held[variable] = go_struct(package, function.removeprefix("New"))
        elif function.endswith("Output"):
            held[variable] = set(
                re.findall(rf"^func \(o {function[: -len('Output')]}ResultOutput\) (\w+)\(", package, re.M)
            )
        else:
            held[variable] = go_struct(package, f"{function}Result")
    for variable, member in re.findall(r"\b(\w+)\.(\w+)", source):
        if variable in held:
            assert member in held[variable], f"{variable}.{member}"


# The examples compile against the generated SDKs (Go and npm, as the SDKs' own tests need).


@pytest.mark.engine
def test_the_typescript_examples_type_check(tmp_path):
    gen_sdks.build_nodejs()
    modules = gen_sdks._node_build_modules()
    (tmp_path / "node_modules" / "@pinecone-backup").mkdir(parents=True)
    (tmp_path / "node_modules" / "@pinecone-backup" / "pulumi").symlink_to(NODEJS / "bin")
    for scope in ("@pulumi", "@types"):
        (tmp_path / "node_modules" / scope).symlink_to(modules / scope)
    for name in names("ts"):
        shutil.copyfile(gen_docs.EXAMPLES / f"{name}.ts", tmp_path / f"{name}.ts")
    done = subprocess.run(
        [
            str(modules / ".bin" / "tsc"),
            "--noEmit",
            "--strict",
            "--target",
            "es2022",
            "--module",
            "nodenext",
            "--moduleResolution",
            "nodenext",
            "--types",
            "node",
            "--skipLibCheck",
            *(f"{n}.ts" for n in names("ts")),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.engine
def test_the_go_examples_vet(tmp_path):
    module = "github.com/pinecone-backup/pinecone-backup/sdk/go"
    pulumi_sdk = re.search(r"github.com/pulumi/pulumi/sdk/v3 v\S+", (gen_sdks.SDK / "go" / "go.mod").read_text())
    assert pulumi_sdk
    (tmp_path / "go.mod").write_text(
        f"module docsexamples\n\ngo 1.25\n\nrequire (\n\t{module} v0.0.0\n\t{pulumi_sdk.group(0)}\n)\n\n"
        f"replace {module} => {gen_sdks.SDK / 'go'}\n"
    )
    shutil.copyfile(gen_sdks.SDK / "go" / "go.sum", tmp_path / "go.sum")
    for name in names("go"):  # each a `package main` of its own
        (tmp_path / name).mkdir()
        shutil.copyfile(gen_docs.EXAMPLES / f"{name}.go", tmp_path / name / "main.go")
    for command in (["go", "mod", "tidy"], ["go", "vet", "./..."], ["gofmt", "-l", "."]):
        done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False)
        assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


@pytest.mark.engine
@pytest.mark.timeout(600)
@pytest.mark.parametrize("name", names("yaml"))
def test_a_yaml_example_runs_through_the_plugin(name, cli_bin, emulator, index, client, tmp_path):
    """`pulumi up`, then `destroy`, against the emulator: an index `products` (`reviews` too) with a
    Ready backup named `nightly-…`, whose id is the config `backupId` an example may ask for. Waits
    check every second rather than every 10."""
    create_index(emulator, "reviews")
    seeded = client.create_backup(INDEX, name="nightly-seeded")
    eventually(lambda: client.describe_backup(seeded.backup_id).is_ready)
    program = yaml.safe_load(example(name, "yaml"))
    for resource in program.get("resources", {}).values():
        if "pollInterval" in SPEC["resources"][resource["type"]]["inputProperties"]:
            resource["properties"].setdefault("pollInterval", 1)
    project = CliProject(tmp_path / "project", cli_bin, cli_env(cli_bin, tmp_path / "state", emulator.url))

    def declare() -> None:
        settings = {
            "name": f"docs-{name.lower()}",
            "runtime": "yaml",
            "plugins": {"providers": [{"name": PACKAGE, "path": str(Path(sys.executable).parent)}]},
            **program,
        }
        project.dir.mkdir(exist_ok=True)
        (project.dir / "Pulumi.yaml").write_text(yaml.safe_dump(settings, sort_keys=False))

    declare()
    seeds = {"backupId": seeded.backup_id}  # what an example's config may ask for
    project.init({key: seeds[key] for key in program.get("config", {})}, secrets={f"{PACKAGE}:apiKey": API_KEY})
    project.run("up", "--yes")
    assert set(project.outputs()) <= set(program.get("outputs", {}))
    protected = [
        r for r in program.get("resources", {}).values() if r["properties"].get("deletionProtection") == "enabled"
    ]
    if protected:  # as the example says: destroy refuses until it is disabled again
        assert project.run("destroy", "--yes", check=False).returncode != 0
        for resource in protected:
            resource["properties"]["deletionProtection"] = "disabled"
        declare()
        project.run("up", "--yes")
    project.run("destroy", "--yes")
