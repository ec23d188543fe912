"""The dynamic resources' side in the running Pulumi program: which resource of which stack
instance is being declared (the hidden inputs of `core.identity.Owned`), and `import_`."""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

import pulumi

from pinecone_backup.core import identity


def owner(resource_name: str) -> dict[str, Any]:
    """The hidden inputs (see `Owned`) of a resource being declared in the running program."""
    return {"name_seed": name_seed(resource_name), "stack_instance": _stack_instance()}


def name_seed(resource_name: str) -> str:
    """ "org/project/stack/resource name" of a resource being declared in the running program."""
    organization = getattr(pulumi, "get_organization", lambda: None)()  # older SDKs have none
    return "/".join((organization or "", pulumi.get_project() or "", pulumi.get_stack() or "", resource_name))


@functools.cache
def _stack_instance() -> str | None:
    """The running stack's instance, read once per program from its `Pulumi.<stack>.yaml`."""
    root = Path(pulumi.get_root_directory() or os.getcwd())  # None in unit-test mocks
    return identity.stack_instance(root, pulumi.get_stack())


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
