"""The reference under docs/: a page per resource and function of the plugin's schema.

`python -m support.gen_docs` writes docs/README.md (the index), docs/installation-configuration.md,
docs/resources/<Name>.md and docs/functions/<name>.md from `pinecone_backup.plugin.schema`: every
input, output, argument and result with its type, default, description and what a change does,
so the pages say what the SDKs say. The examples are hand-written, one file per language in
docs/examples/ (`<Name>.py`, `.ts`, `.go`, `.yaml`), and shown side by side as Pulumi's registry
shows them; a resource's import section is docs/import/<Name>.md. `check` fails, naming the
pages, when the committed ones are not what the schema makes.
"""

from __future__ import annotations

import argparse
import dataclasses
import inspect
import json
import sys
from pathlib import Path
from typing import Any

import pinecone_backup
from pinecone_backup.api.client import HOST_ENV_VAR
from pinecone_backup.core import credentials
from pinecone_backup.core.fields import Role
from pinecone_backup.plugin.schema import CHANGES, PACKAGE, schema, snake
from support import generated

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
EXAMPLES = DOCS / "examples"
IMPORTS = DOCS / "import"
INSTALLATION = "installation-configuration.md"
GENERATED = ("README.md", INSTALLATION, "resources/*.md", "functions/*.md")
EXAMPLES_NOTE = (
    "Python shows the dynamic resources and look-ups of the Python package; TypeScript, Go and YAML the "
    "provider plugin. The YAML is the program part of a `Pulumi.yaml` (with `name`, `runtime: yaml`)."
)
PYTHON_MODELS = (
    "Python's look-ups return the client's models (`pinecone_backup.api.models`): the result's "
    "properties are their attributes, by the Python names below."
)
# What a change of an input does, by the sentence that ends its description in the schema.
CHANGE_LABELS = {Role.REPLACE: "replaces the resource", Role.UPDATE: "in place", Role.WAIT: "nothing (read by create)"}


@dataclasses.dataclass(frozen=True)
class Language:
    title: str
    suffix: str  # of the example file
    fence: str  # the code block's language


# What a language cannot show, and why: said on the page instead of an example.
WITHOUT_EXAMPLE = {
    ("makeFinalBackup", "yaml"): (
        "Pulumi YAML has no resource hooks, where this step belongs. Find the final backups that "
        "another program's hooks made with [finalBackups](finalBackups.md)."
    ),
}
LANGUAGES = (
    Language("Python", "py", "python"),
    Language("TypeScript", "ts", "typescript"),
    Language("Go", "go", "go"),
    Language("YAML", "yaml", "yaml"),
)


def name_of(token: str) -> str:
    return token.rsplit(":", 1)[-1]


def go_name(name: str) -> str:
    """A property or resource as the Go SDK names it: `indexName` -> `IndexName`."""
    return name[:1].upper() + name[1:]


def go_function(name: str) -> str:
    """A function as the Go SDK names it: Pulumi's Go generator renames `get…` to `Lookup…` and
    `new…` to `Create…`, which would clash with the resources' `Get…` and `New…`."""
    title = go_name(name)
    for prefix, renamed in (("Get", "Lookup"), ("New", "Create")):
        if title.startswith(prefix):
            return renamed + title[len(prefix) :]
    return title


def python_face(name: str) -> Any:
    """The Python dynamic resource (`Backup`) or look-up (`get_backup`) of this name; None: none."""
    return getattr(pinecone_backup, name if name[:1].isupper() else snake(name), None)


def pages() -> dict[str, str]:
    """Every generated page, by its path under docs/."""
    spec = schema()
    resources = {name_of(token): resource for token, resource in spec["resources"].items()}
    functions = {name_of(token): function for token, function in spec["functions"].items()}
    return {
        "README.md": _index(spec, resources, functions),
        INSTALLATION: _installation(spec),
        **{f"resources/{name}.md": _resource(name, resource) for name, resource in resources.items()},
        **{f"functions/{name}.md": _function(name, function, spec["types"]) for name, function in functions.items()},
    }


def differences(fresh: dict[str, str], root: Path) -> list[str]:
    """What differs between the generated pages and those under `root`, page by page."""
    committed = {
        path.relative_to(root).as_posix(): path.read_text() for pattern in GENERATED for path in root.glob(pattern)
    }
    return generated.differences(fresh, committed)


def write(fresh: dict[str, str], root: Path) -> None:
    """Make the pages under `root` the fresh ones, deleting pages of what the schema no longer has."""
    for pattern in GENERATED:
        for path in root.glob(pattern):
            if path.relative_to(root).as_posix() not in fresh:
                path.unlink()
    for path, text in fresh.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)


def _lines(*parts: str) -> str:
    """A page from its blocks: one blank line between them, one newline at the end."""
    return "\n\n".join(part.strip("\n") for part in parts if part) + "\n"


def _first_sentence(text: str) -> str:
    return text.split(". ", 1)[0].rstrip(".") + "."


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows])


def _type(spec: dict[str, Any]) -> str:
    """A schema type as the pages show it; an object type links to its section on the page."""
    reference = spec.get("$ref")
    if reference == "pulumi.json#/Any":
        return "any"
    if reference:
        name = name_of(reference)
        return f"[{name}](#{name.lower()})"
    if spec["type"] == "array":
        return f"list of {_type(spec['items'])}"
    if spec["type"] == "object":
        return f"map of {_type(spec['additionalProperties'])}"
    return str(spec["type"])


def _value(value: Any) -> str:
    """A default as YAML and JSON write it: `3600`, `true`, `"disabled"`."""
    whole = isinstance(value, float) and value.is_integer()
    return f"`{json.dumps(int(value) if whole else value)}`"


def _change(description: str) -> tuple[str, str]:
    """An input's description without its last sentence, and what a change does, as that sentence says."""
    for role, sentence in CHANGES.items():
        if description.endswith(sentence):
            return description.removesuffix(sentence).rstrip(), CHANGE_LABELS[role]
    return description, ""


def _names(name: str, python: bool) -> str:
    """A property's Python and Go names (TypeScript and YAML use the schema's)."""
    return f"`{snake(name)}` · `{go_name(name)}`" if python else f"`{go_name(name)}`"


def _requirement(name: str, spec: dict[str, Any], required: list[str]) -> str:
    if "default" in spec:
        return f"default {_value(spec['default'])}"
    return "required" if name in required else "optional"


def _names_note(python: bool, go_type: str) -> str:
    """The sentence before a table whose names column says how Python and Go spell each property."""
    python_part = "Python's (snake_case) and " if python else ""
    return (
        f"Names are the schema's, as TypeScript and YAML spell them; the second column has {python_part}"
        f"Go's (the fields of `{go_type}`)."
    )


def _shell(*commands: tuple[str, str]) -> str:
    """A shell block of commands, each with its comment, the comments aligned."""
    width = max(len(command) for command, _ in commands)
    return "```sh\n" + "".join(f"{command.ljust(width)}  # {comment}\n" for command, comment in commands) + "```"


def _examples(name: str) -> str:
    """The hand-written examples of a resource or function, a section per language that has one
    (or says why it has none)."""
    paths = {language: EXAMPLES / f"{name}.{language.suffix}" for language in LANGUAGES}
    blocks = [
        f"### {language.title}\n\n```{language.fence}\n{path.read_text().rstrip()}\n```"
        if path.is_file()
        else f"### {language.title}\n\n{WITHOUT_EXAMPLE[name, language.suffix]}"
        for language, path in paths.items()
        if path.is_file() or (name, language.suffix) in WITHOUT_EXAMPLE
    ]
    return _lines("## Example usage", EXAMPLES_NOTE, *blocks) if blocks else ""


def _signature(function: Any) -> str:
    """A Python look-up's signature as its source writes it (its annotations are strings)."""
    signature = inspect.signature(function)
    parameters = ", ".join(
        f"{p.name}: {p.annotation}" + ("" if p.default is p.empty else f" = {p.default!r}")
        for p in signature.parameters.values()
    )
    return f"{function.__name__}({parameters}) -> {signature.return_annotation}"


def _index(spec: dict[str, Any], resources: dict[str, Any], functions: dict[str, Any]) -> str:
    return _lines(
        f"# {spec['displayName']} reference",
        f"{spec['description']} Version {spec['version']}. The [README](../README.md) is the front door; "
        "these pages are the reference: every input, output, argument and result, with examples in "
        "Python, TypeScript, Go and YAML.",
        f"[Installation and configuration]({INSTALLATION}): the Python package, the provider plugin, the "
        "TypeScript and Go SDKs, and the API key.",
        "## Resources",
        _table(
            ("Resource", "What it is"),
            [(f"[{name}](resources/{name}.md)", _first_sentence(r["description"])) for name, r in resources.items()],
        ),
        "## Functions",
        _table(
            ("Function", "What it does"),
            [(f"[{name}](functions/{name}.md)", f["description"]) for name, f in functions.items()],
        ),
        "These pages are generated from the plugin's schema (`pinecone_backup/plugin/schema.py`) by "
        "`python -m support.gen_docs`, and a test keeps them equal to it: edit the schema's "
        "declarations, the examples in `docs/examples/` or the import notes in `docs/import/`, never a page.",
    )


def _installation(spec: dict[str, Any]) -> str:
    version, repository = spec["version"], spec["repository"]
    nodejs, go = spec["language"]["nodejs"]["packageName"], spec["language"]["go"]["importBasePath"]
    module, package = go.rsplit("/", 1)
    plugin = f"pulumi-resource-{PACKAGE}"
    config = {f"{PACKAGE}:{key}": variable for key, variable in spec["config"]["variables"].items()}
    return _lines(
        "# Installation and configuration",
        "Python programs use the **dynamic resources** of the Python package (`pinecone_backup.Backup`, …) "
        f"and need nothing else. YAML, TypeScript and Go programs use the **provider plugin** `{PACKAGE}`: "
        "YAML directly, TypeScript and Go through their SDKs in `sdk/`. One core serves both: the same "
        "inputs, defaults, rules and waits.",
        "## The Python package",
        "It is not on PyPI yet. Install it from a clone, or from its git URL:",
        f'```sh\npip install -e /path/to/pinecone-backup\npip install "pinecone-backup @ git+{repository}"\n```',
        "It needs Python 3.10 or later and the Pulumi CLI ([installed the usual way]"
        "(https://www.pulumi.com/docs/install/)). It brings the plugin too.",
        "## The provider plugin",
        f"Installing the Python package installs the plugin's executable, `{plugin}`, into the "
        "virtualenv's `bin`. Point your project at that directory (`Pulumi.yaml`):",
        f"```yaml\nplugins:\n  providers:\n    - name: {PACKAGE}\n      path: /path/to/venv/bin\n```",
        "or put it on PATH (the CLI then warns once a run). From a plugin tarball, a `.tar.gz` holding "
        f"`{plugin}`, `pulumi plugin install` installs it where the CLI looks:",
        f"```sh\npulumi plugin install resource {PACKAGE} {version} --file <plugin tarball>\n```",
        "`pulumi package get-schema` with the executable's path prints the schema these pages come from.",
        "## TypeScript",
        f"The Node package `{nodejs}` is in `sdk/nodejs`. `make sdks` compiles it into `sdk/nodejs/bin`, "
        "which `npm install` takes:",
        "```sh\nmake sdks\nnpm install /path/to/pinecone-backup/sdk/nodejs/bin\n```",
        f'```typescript\nimport * as {package} from "{nodejs}";\n```',
        "## Go",
        f"The Go module `{module}` is in `sdk/go`; its package is `{package}`. Until the module is "
        "published, require it with a `replace` to a clone:",
        f"```sh\ngo mod edit -require={module}@v{version} -replace={module}=/path/to/pinecone-backup/sdk/go\n"
        "go mod tidy\n```",
        f'```go\nimport "{go}"\n```',
        "## Configuration",
        _table(
            ("Setting", "What it is"),
            [(f"`{key}` (stack config, secret)", variable["description"]) for key, variable in config.items()]
            + [
                (f"`{credentials.API_KEY_ENV}` (environment)", "The API key when the stack config has none."),
                (
                    f"`{HOST_ENV_VAR}` (environment)",
                    "Another control plane than Pinecone's public API (a host without a scheme gets "
                    "`https://`), as in Pinecone's own SDKs; the offline emulator is one.",
                ),
                (
                    f"`{credentials.API_KEY_CONFIG}` (stack config, secret)",
                    "The API key of the Python dynamic resources and look-ups (they run without the plugin).",
                ),
            ],
        ),
        "The stack config wins over the environment. Always set the key with `--secret`; with the "
        "environment variable it never reaches the state at all:",
        _shell(
            (f"pulumi config set --secret {next(iter(config))} <key>", "the plugin"),
            (f"pulumi config set --secret {credentials.API_KEY_CONFIG} <key>", "the Python dynamic resources"),
            (f"export {credentials.API_KEY_ENV}=<key>", "either"),
        ),
        "The key is never a resource input, and never in state, logs or error messages. An explicit "
        f"provider (TypeScript `new {package}.Provider(name, args)`, Go `{package}.NewProvider(ctx, name, args)`, "
        f"YAML a resource of type `pulumi:providers:{PACKAGE}`) takes the same settings as inputs: "
        + ", ".join(f"`{key}`" for key in spec["provider"]["inputProperties"])
        + ".",
    )


def _resource(name: str, resource: dict[str, Any]) -> str:
    python = python_face(name)
    inputs = resource["inputProperties"]
    outputs = {key: spec for key, spec in resource["properties"].items() if key not in inputs}
    faces = [("Type token", f"`{PACKAGE}:index:{name}`")]
    if python is not None:
        faces.append(("Python (dynamic resource)", f"`pinecone_backup.{name}`"))
    faces += [
        ("TypeScript", f"`new pineconebackup.{name}(name, args)`"),
        ("Go", f"`pineconebackup.New{name}(ctx, name, args)`"),
    ]
    import_notes = IMPORTS / f"{name}.md"
    input_rows = []
    for key, spec in inputs.items():
        description, change = _change(spec["description"])
        input_rows.append(
            (
                f"`{key}`",
                _names(key, python is not None),
                _type(spec),
                _requirement(key, spec, resource["requiredInputs"]),
                description,
                change,
            )
        )
    return _lines(
        f"# {name}",
        resource["description"],
        _table(("", ""), faces),
        f"[Installation and configuration](../{INSTALLATION}) says how to set each language up.",
        _examples(name),
        "## Inputs",
        _names_note(python is not None, f"{name}Args"),
        _table(("Property", "Python · Go", "Type", "Required", "Description", "A change"), input_rows),
        "## Outputs",
        "Every input is an output too. Besides them:",
        _table(
            ("Property", "Python · Go", "Type", "Description"),
            [
                (f"`{key}`", _names(key, python is not None), _type(spec), spec["description"])
                for key, spec in outputs.items()
            ],
        ),
        "## Import",
        import_notes.read_text() if import_notes.is_file() else "",
    )


def _function(name: str, function: dict[str, Any], types: dict[str, Any]) -> str:
    python = python_face(name)
    arguments, result = function["inputs"], function["outputs"]
    faces = [("Token", f"`{PACKAGE}:index:{name}`")]
    if python is not None:
        twin = python_face(name + "Output")
        faces.append(("Python", f"`pinecone_backup.{_signature(python)}`, and `{twin.__name__}`"))
    faces += [
        ("TypeScript", f"`pineconebackup.{name}(args)`, and `{name}Output(args)`"),
        ("Go", f"`pineconebackup.{go_function(name)}(ctx, args)`, and `{go_function(name)}Output(ctx, args)`"),
        ("YAML", f"`fn::invoke` with `function: {PACKAGE}:index:{name}`"),
    ]
    held = {name_of(token): spec for token, spec in types.items() if f"#/types/{token}" in json.dumps(result)}
    return _lines(
        f"# {name}",
        function["description"],
        _table(("", ""), faces),
        "Each language calls it two ways: with plain values, it returns the result (TypeScript: a "
        "Promise of it; Go: it and an error); its Output form takes inputs, such as other resources' "
        "outputs or another stack's, and returns an Output of the result. Either runs during "
        f"`pulumi preview` too. [Installation and configuration](../{INSTALLATION}) says how to set each language up.",
        PYTHON_MODELS if python is not None else "",
        _examples(name),
        "## Arguments",
        _names_note(python is not None, f"{go_function(name)}Args"),
        _table(
            ("Property", "Python · Go", "Type", "Required", "Description"),
            [
                (
                    f"`{key}`",
                    _names(key, python is not None),
                    _type(spec),
                    _requirement(key, spec, arguments["required"]),
                    spec["description"],
                )
                for key, spec in arguments["properties"].items()
            ],
        ),
        "## Result",
        _fields(result, python is not None and not held),  # Python returns what a held type holds
        *(
            _lines(f"### {type_name}", spec["description"], _fields(spec, python is not None))
            for type_name, spec in held.items()
        ),
    )


def _fields(spec: dict[str, Any], python: bool) -> str:
    """An object's properties as a table; `python`: the Python face has them as attributes."""
    return _table(
        ("Property", "Python · Go" if python else "Go", "Type", "Description"),
        [
            (
                f"`{key}`" + (" (always set)" if key in spec["required"] else ""),
                _names(key, python),
                _type(field),
                field["description"],
            )
            for key, field in spec["properties"].items()
        ],
    )


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m support.gen_docs", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "command",
        nargs="?",
        default="generate",
        choices=("generate", "check"),
        help="generate: rewrite docs/ from the schema (default); check: fail if docs/ is not the schema's",
    )
    command = parser.parse_args().command
    fresh = pages()
    found = differences(fresh, DOCS)
    if command == "check" and found:
        print("docs/ is not what the schema makes; run `python -m support.gen_docs`:", *found, sep="\n  ")
        return 1
    if command == "generate":
        write(fresh, DOCS)
        print("\n".join(found) or "docs/ is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
