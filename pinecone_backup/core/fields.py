"""Each resource declares its fields once; everything else is derived from that declaration.

A resource's inputs are a frozen dataclass whose fields carry, in their metadata, their role
(what a change of them does), their doc and their rule; its outputs are a tuple of `Output`s. From these come
the diff keys, the defaults `check` fills in, the checks themselves, the output names the
resource registers, the resource's docstring and the README's tables.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from pulumi.output import Unknown
from pulumi.runtime.rpc import UNKNOWN

if TYPE_CHECKING:
    from typing_extensions import Self  # typing.Self is 3.11+

# A rule returns what is wrong with a present, known value ("must be ...") or None.
Rule = Callable[[Any], "str | None"]


@dataclasses.dataclass(frozen=True)
class CheckFailure:
    """A bad input: the property (as declared) and what is wrong with it, with the rule and the fix."""

    property: str
    reason: str


class Role(enum.Enum):
    """What a change of an input does."""

    REPLACE = "replace"  # the object is made anew
    UPDATE = "update"  # changed in place through the API
    WAIT = "wait"  # read by create alone: a change is no change
    HIDDEN = "hidden"  # set by the resource class, never diffed nor reported


@dataclasses.dataclass(frozen=True)
class Output:
    """A field the service reports, exported as a typed output; `type` is its value's (None aside)."""

    name: str
    doc: str
    type: type = str


def declare(role: Role, doc: str, rule: Rule | None = None) -> dict[str, Any]:
    """An input's declaration, as `dataclasses.field(metadata=...)`: its role, what it means, its rule."""
    return {"role": role, "doc": doc, "rule": rule}


def is_unknown(value: Any) -> bool:
    """A value not known until `up`: the host hands them over as `Unknown()` objects (or the RPC string)."""
    return isinstance(value, Unknown) or (isinstance(value, str) and value == UNKNOWN)


def contains_unknown(value: Any) -> bool:
    """Whether a value, or anything in a list or map of it, is not known until `up`."""
    if isinstance(value, dict):
        return any(contains_unknown(item) for item in value.values())
    if isinstance(value, (list, tuple)):
        return any(contains_unknown(item) for item in value)
    return is_unknown(value)


class Inputs:
    """Base of every resource's inputs dataclass: the derivations from its field declarations."""

    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]

    @classmethod
    def declared(cls, *roles: Role) -> tuple[dataclasses.Field[Any], ...]:
        """The fields with these roles (all without), in the order of `Role`: what a change replaces first."""
        order = list(Role)
        chosen = [f for f in dataclasses.fields(cls) if not roles or f.metadata["role"] in roles]
        return tuple(sorted(chosen, key=lambda f: order.index(f.metadata["role"])))

    @classmethod
    def names(cls, *roles: Role) -> tuple[str, ...]:
        return tuple(f.name for f in cls.declared(*roles))

    @classmethod
    def from_props(cls, props: dict[str, Any]) -> Self:
        return cls(**{f.name: props[f.name] for f in cls.declared() if props.get(f.name) is not None})

    @classmethod
    def with_defaults(cls, news: dict[str, Any]) -> dict[str, Any]:
        """`news` with every unset input that has a non-None default filled in (what check returns)."""
        defaults = {f.name: f.default for f in cls.declared() if f.default not in (None, dataclasses.MISSING)}
        return {**news, **{key: value for key, value in defaults.items() if news.get(key) is None}}

    @classmethod
    def check(cls, news: dict[str, Any]) -> list[CheckFailure]:
        """Every problem with the inputs, each naming the property, the rule and the fix."""
        failures = []
        for declared in cls.declared():
            problem = _problem(declared, news.get(declared.name))
            if problem:
                failures.append(CheckFailure(declared.name, problem))
        return failures

    def to_props(self) -> dict[str, Any]:
        """The inputs as reported in outputs (hidden ones left out)."""
        return {name: getattr(self, name) for name in self.names(Role.REPLACE, Role.UPDATE, Role.WAIT)}


def _problem(declared: dataclasses.Field[Any], value: Any) -> str | None:
    if is_unknown(value):
        return None  # checked again at `up`, once known
    required = declared.default is dataclasses.MISSING
    if value is None or (value == "" and required):
        return f"is required: {declared.metadata['doc']}" if required else None
    rule: Rule | None = declared.metadata["rule"]
    return rule(value) if rule else None


def markdown_tables(inputs: type[Inputs], outputs: tuple[Output, ...]) -> str:
    """The README's tables of a resource: its inputs (with what a change does) and its outputs."""
    changes = {Role.REPLACE: "replaces", Role.UPDATE: "in place", Role.WAIT: "nothing (read by create)"}
    rows = ["| input | default | a change | meaning |", "|---|---|---|---|"]
    for declared in inputs.declared(Role.REPLACE, Role.UPDATE, Role.WAIT):
        default = "required" if declared.default is dataclasses.MISSING else f"`{declared.default!r}`"
        rows.append(
            f"| `{declared.name}` | {default} | {changes[declared.metadata['role']]} | {declared.metadata['doc']} |"
        )
    rows += ["", "| output | meaning |", "|---|---|"]
    rows += [f"| `{output.name}` | {output.doc} |" for output in outputs]
    return "\n".join(rows)


class Declared(Protocol):
    """What a resource declares: its summary, its inputs, its outputs (a core lifecycle)."""

    @property
    def summary(self) -> str: ...
    @property
    def inputs(self) -> type[Inputs]: ...
    @property
    def outputs(self) -> tuple[Output, ...]: ...


def docstring(resource: Declared) -> str:
    """A resource class's docstring: its summary, then each input and output with its doc."""
    summary, inputs, outputs = resource.summary, resource.inputs, resource.outputs
    lines = [summary, "", "Inputs:"]
    lines += [f"    {f.name}: {f.metadata['doc']}" for f in inputs.declared(Role.REPLACE, Role.UPDATE, Role.WAIT)]
    lines += ["", "Outputs (besides the inputs):"]
    lines += [f"    {output.name}: {output.doc}" for output in outputs]
    return "\n".join(lines)
