"""What ties an object in Pinecone to one resource of one stack: its automatic name and its owner
tag.

An object the program leaves unnamed gets a name made from the stack's identity and from what
the object is made of. The name is deterministic, not random: an `up` killed after its create
asks for the same name next time and so finds what it made, and a create whose answer was lost
adopts only what carries that name. Nothing else proves that an object is this resource's own.

The stack's identity must be the stack *instance's*, not its names: every self-managed backend
(`file://`, `s3://`, ...) reports the organization `organization`, so two engineers' `dev` stacks
of one program, each in a backend of its own, have the same organization/project/stack names.
What each such stack has of its own, and keeps, is its secrets provider's key material in
`Pulumi.<stack>.yaml`: the passphrase provider's random `encryptionsalt`, or a cloud KMS
provider's `encryptedkey`, both made by `pulumi stack init`. A hash of it (`stack_instance`)
goes into every automatic name and owner tag. A Pulumi Cloud stack without such material is
unique by its names already (the organization is a real one).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import yaml
from pulumi.runtime.rpc import UNKNOWN

from pinecone_backup.core import rules
from pinecone_backup.core.fields import Inputs, Role, contains_unknown, declare
from pinecone_backup.core.lifecycle import Checked, Lifecycle

AUTONAME_SUFFIX = 8
# What self-managed backends report as the organization: names alone prove nothing there.
SELF_MANAGED_ORGANIZATION = "organization"
# The secrets provider's per-stack key material in Pulumi.<stack>.yaml.
STACK_KEY_MATERIAL = ("encryptionsalt", "encryptedkey")


@dataclass(frozen=True, kw_only=True)
class Owned(Inputs):
    """Inputs that carry which resource of which stack instance they are: the proof of ownership."""

    # "org/project/stack/resource name", from the resource class: what an unset `name` is made
    # from, so that the name proves which resource of which stack an object belongs to.
    name_seed: str | None = field(
        default=None, metadata=declare(Role.HIDDEN, "what the automatic name is made from", rules.string)
    )
    # A hash of the stack's secrets-provider key material (see the module doc); None where the
    # program found none (an earlier release, a Pulumi Cloud stack with its default secrets).
    stack_instance: str | None = field(
        default=None, metadata=declare(Role.HIDDEN, "which stack instance this is", rules.string)
    )

    @property
    def proves_ownership(self) -> bool:
        """Whether the seed names this stack instance alone: with its key material, or in Pulumi
        Cloud, whose organization/project/stack names are unique. A self-managed backend's stack
        without key material proves nothing, so nothing is adopted on its word."""
        if self.name_seed is None:
            return False
        return self.stack_instance is not None or self.name_seed.split("/", 1)[0] not in ("", SELF_MANAGED_ORGANIZATION)

    @property
    def owner_token(self) -> str | None:
        """16 hex digits that only this resource of this stack instance makes (None: no proof)."""
        if not self.proves_ownership:
            return None
        return _digest([self.name_seed, self.stack_instance])[:16]


@dataclass(frozen=True, kw_only=True)
class AutoNamed(Owned):
    """Inputs with a `name` that, left unset, is made from the owner's identity and the REPLACE inputs."""

    # The longest automatic name: a backup's 45 characters; a schedule's less, since each of its
    # runs names a backup `<schedule name>-YYYYMMDDTHHMMSSZ`.
    AUTONAME_LENGTH: ClassVar[int] = rules.BACKUP_NAME_LENGTH

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
        return autoname(str(seed), made_of, inputs.get("stack_instance"), length=cls.AUTONAME_LENGTH)

    @property
    def has_proven_name(self) -> bool:
        """Whether `name` is the automatic one of a stack that proves its ownership: then an object
        so named is this resource's own."""
        if not self.proves_ownership:
            return False
        assert self.name_seed is not None
        made_of = self.made_of(self.to_props())
        name = getattr(self, "name", None)
        return name == autoname(self.name_seed, made_of, self.stack_instance, length=self.AUTONAME_LENGTH)


class NamingLifecycle(Lifecycle):
    """A lifecycle whose `check` settles an unset name: see `AutoNamed.settled_name`."""

    inputs: ClassVar[type[AutoNamed]]

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> Checked:
        checked = super().check(olds, news)
        if news.get("name") is not None and news.get("name") == olds.get("name"):
            # The object exists under that name: a rule newer than it (names the service took
            # before 2026-07) must not break the stack that has it.
            checked.failures = [failure for failure in checked.failures if failure.property != "name"]
        if not checked.failures:
            checked.inputs["name"] = self.inputs.settled_name(olds, checked.inputs)
        return checked


def autoname(seed: str, made_of: dict[str, Any], instance: str | None = None, *, length: int) -> str:
    """A name unique to one resource of one stack instance and to what the object is made of,
    at most `length` characters.

    Pulumi's convention (the resource name, then a suffix), made deterministic rather than
    random. What forces a replacement (`made_of`) is part of the suffix, so a replacement gets
    a new name while the old object still exists. Without `instance` the suffix is the one
    earlier releases made, so that their objects keep proving whose they are.
    """
    stem = re.sub(r"[^a-z0-9]+", "-", seed.rsplit("/", 1)[-1].lower()).strip("-")
    stem = stem[: length - AUTONAME_SUFFIX - 1].strip("-") or "backup"
    identity: list[Any] = [seed, made_of] if instance is None else [seed, made_of, instance]
    return f"{stem}-{_digest(identity)[:AUTONAME_SUFFIX]}"


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def stack_instance(root: Path, stack: str) -> str | None:
    """A hash of the key material of stack `stack` of the project in `root` (see the module doc);
    None where there is none."""
    material = key_material(root, stack)
    return None if material is None else _digest(["pinecone-backup stack instance", material])[:32]


def key_material(root: Path, stack: str) -> str | None:
    """The secrets provider's per-stack key material of stack `stack` of the project in `root`:
    its stack config file sits beside Pulumi.yaml (or in the project's `stackConfigDir`), with
    the project file's extension."""
    for project_file in (root / "Pulumi.yaml", root / "Pulumi.yml", root / "Pulumi.json"):
        if project_file.is_file():
            break
    else:
        return None
    config_dir = root / str(_load(project_file).get("stackConfigDir") or "")
    config = _load(config_dir / f"Pulumi.{stack.rsplit('/', 1)[-1]}{project_file.suffix}")
    found = [str(config[key]) for key in STACK_KEY_MATERIAL if config.get(key)]
    return "\n".join(found) if found else None


def _load(path: Path) -> dict[str, Any]:
    """A YAML (or JSON, which YAML reads too) file's top-level map; {} if it is missing or not one."""
    try:
        loaded = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError):
        return {}
    return loaded if isinstance(loaded, dict) else {}
