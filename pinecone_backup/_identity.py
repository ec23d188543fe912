"""What ties an object in Pinecone to one resource of one stack: its automatic name, and `import_`.

An object the program leaves unnamed gets a name made from the stack's identity and from what
the object is made of. The name is deterministic, not random: an `up` killed after its create
asks for the same name next time and so finds what it made, and a create whose answer was lost
adopts only what carries that name. Nothing else proves that an object is this resource's own.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pulumi
from pulumi.dynamic import CheckResult
from pulumi.runtime.rpc import UNKNOWN

from pinecone_backup import _rules as rules
from pinecone_backup._base import ProviderBase
from pinecone_backup._fields import Inputs, Role, contains_unknown, declare

AUTONAME_STEM = 36  # + '-' + 8 hex digits: 45, the longest backup name Pinecone accepts
AUTONAME_SUFFIX = 8


@dataclass(frozen=True, kw_only=True)
class AutoNamed(Inputs):
    """Inputs with a `name` that, left unset, is made from `name_seed` and the REPLACE inputs."""

    # "org/project/stack/resource name", from the resource class: what an unset `name` is made
    # from, so that the name proves which resource of which stack an object belongs to.
    name_seed: str | None = field(
        default=None, metadata=declare(Role.HIDDEN, "what the automatic name is made from", rules.string)
    )

    @classmethod
    def made_of(cls, inputs: dict[str, Any]) -> dict[str, Any]:
        """The inputs a change of which replaces the object, but its name."""
        return {key: inputs.get(key) for key in cls.names(Role.REPLACE) if key != "name"}

    @classmethod
    def settled_name(cls, olds: dict[str, Any], inputs: dict[str, Any]) -> Any:
        """The name `check` settles on: the program's; else the name the object has, while it is
        not replaced (an adopted object keeps its own name, and one created unnamed by an earlier
        release keeps none: naming either would replace it); else the automatic one. `import_`
        without a name adopts the object under whatever name it has."""
        name, seed = inputs.get("name"), inputs.get("name_seed")
        if name is not None or seed is None:
            return name
        made_of = cls.made_of(inputs)
        if olds.get("index_name") is not None and cls.made_of(olds) == made_of:
            return olds.get("name")
        if inputs.get("import_id"):
            return None
        if contains_unknown([seed, made_of]):
            return UNKNOWN  # the engine shows it as computed
        return autoname(str(seed), made_of)

    @property
    def has_proven_name(self) -> bool:
        """Whether `name` is the automatic one: then an object so named is this resource's own."""
        name = getattr(self, "name", None)
        return self.name_seed is not None and name == autoname(self.name_seed, self.made_of(self.to_props()))


class NamingProvider(ProviderBase):
    """A provider whose `check` settles an unset name: see `AutoNamed.settled_name`."""

    inputs: ClassVar[type[AutoNamed]]

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        checked = super().check(olds, news)
        if not checked.failures:
            checked.inputs["name"] = self.inputs.settled_name(olds, checked.inputs)
        return checked


def autoname(seed: str, made_of: dict[str, Any]) -> str:
    """A name unique to one resource of one stack and to what the object is made of.

    Pulumi's convention (the resource name, then a suffix), made deterministic rather than
    random. What forces a replacement (`made_of`) is part of the suffix, so a replacement gets
    a new name while the old object still exists.
    """
    stem = re.sub(r"[^a-z0-9]+", "-", seed.rsplit("/", 1)[-1].lower()).strip("-")[:AUTONAME_STEM] or "backup"
    identity = json.dumps([seed, made_of], sort_keys=True, default=str)
    return f"{stem}-{hashlib.sha256(identity.encode()).hexdigest()[:AUTONAME_SUFFIX]}"


def name_seed(resource_name: str) -> str:
    """ "org/project/stack/resource name" of a resource being declared in the running program."""
    organization = getattr(pulumi, "get_organization", lambda: None)()  # older SDKs have none
    return "/".join((organization or "", pulumi.get_project() or "", pulumi.get_stack() or "", resource_name))


def take_import(opts: pulumi.ResourceOptions | None) -> tuple[pulumi.ResourceOptions | None, str | None]:
    """Turn `import_=id` into an input the provider adopts.

    Pulumi's dynamic-provider host cannot import (pulumi#16175: its Read finds no
    `__provider` in an import's empty properties), so the adoption happens in create().
    """
    if opts is None or not opts.import_:
        return opts, None
    without_import = pulumi.ResourceOptions.merge(opts, None)
    without_import.import_ = None
    return without_import, opts.import_
