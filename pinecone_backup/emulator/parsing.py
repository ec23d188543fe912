"""Request bodies and query strings, read the way the live service reads them, per API version.

Two kinds of refusal, as the specs and the service's own messages tell them apart:
- a body that is not JSON (bad syntax, not UTF-8, empty where the spec requires a body) is
  answered 400 `INVALID_ARGUMENT` "Failed to parse the request body as JSON: ...";
- JSON that does not fit the request type (a wrong type, a missing required field, an unknown
  field where the spec says `additionalProperties: false`) is answered 422
  `UNPROCESSABLE_ENTITY` "Failed to deserialize the JSON body into the target type: ..." (the
  specs' 422: "The request body could not be deserialized", example "missing field `metric`");
- values of the right type that break a rule (a name pattern, a dimension range, an unknown
  metric) are answered 400 `INVALID_ARGUMENT` (the specs' 400 example is named
  `index-metric-validation-error`).
A bad query value (`limit`, `paginationToken`, `include_deleted`) is answered 400.

The index-name rule is the service's, kept here on purpose: the emulator plays the service and
must not share the package's client-side check.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pinecone_backup.emulator.errors import EmulatorError, forbidden, invalid, unparsable, unprocessable
from pinecone_backup.emulator.versions import Dialect

NAME_PATTERN = re.compile(r"^[a-z0-9]([a-z0-9-]{0,43}[a-z0-9])?$")
NAME_RULE = (
    "must be 1-45 characters long, start and end with an alphanumeric character, "
    "and consist only of lower case alphanumeric characters or '-'."
)
TAG_KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
TAG_VALUE_2025 = re.compile(
    r"^[A-Za-z0-9;@_\-.+ ]{0,120}$"
)  # 2025-04/10: "alphanumeric, ';', '@', '_', '-', '.', '+', or ' '"
TAG_VALUE_2026 = re.compile(r"^[\x20-\x7e]{0,120}$")  # 2026-07: "printable ASCII characters or spaces"
# The (cloud, region) pairs Pinecone serves serverless indexes in; any other is answered 404
# "Unknown cloud or region". The specs name no regions (they link to the guide's "cloud regions"
# table, and their own create examples even use gcp `us-east1`, which no list below has). Sources:
# - https://docs.pinecone.io/guides/indexes/understanding-indexes#cloud-regions: aws us-east-1,
#   us-west-2, eu-west-1; gcp us-central1, europe-west4; azure eastus2;
# - https://docs.pinecone.io/reference/api/2026-04/control-plane/create_index.md ("Cloud regions")
#   adds aws eu-central-1 (Frankfurt) and ap-southeast-1 (Singapore);
# - the Python SDK 10.2.0 (`pinecone/models/enums.py`: AwsRegion, GcpRegion, AzureRegion, "regions
#   for the `region` of a managed index", "a convenience enum rather than an exhaustive list") has
#   all of those, and azure germanywestcentral.
# A region Pinecone adds later is refused here until it is added to this table.
SERVERLESS_REGIONS: dict[str, tuple[str, ...]] = {
    "aws": ("us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1"),
    "gcp": ("us-central1", "europe-west4"),
    "azure": ("eastus2", "germanywestcentral"),
}
METRICS = ("cosine", "euclidean", "dotproduct")
DELETION_PROTECTION = ("enabled", "disabled")
MAX_DIMENSION = 20_000
MAX_FIELD_NAME_BYTES = 64
MAX_DESCRIPTION_BYTES = 256
MAX_FULL_TEXT_FIELDS = 100
MAX_METADATA_FIELDS = 50
DENSE_FIELD = "_values"  # the reserved names vectors-API indexes report their vectors under
SPARSE_FIELD = "_sparse_values"
DEFAULT_DEPLOYMENT = ("aws", "us-east-1")  # 2026-07: "If `deployment` is omitted ... `aws` in `us-east-1`"
MAX_PAGE_SIZE = 100

# -- the body ------------------------------------------------------------------------------------


def parse_json_body(raw: bytes, type_name: str) -> dict[str, Any]:
    """The JSON object a request body holds; every body this API takes is required by the specs."""
    if not raw.strip():
        raise unparsable("EOF while parsing a value at line 1 column 0")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise unparsable(f"invalid UTF-8 at byte {exc.start}") from None
    try:
        body = json.loads(text, parse_constant=_reject_constant)
    except (json.JSONDecodeError, ValueError) as exc:
        raise unparsable(str(exc)) from None
    return expect_object(body, type_name)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def describe_value(value: Any) -> str:
    """A value as serde names it in its messages ("integer `7`", "string \"x\"")."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean `{str(value).lower()}`"
    if isinstance(value, int):
        return f"integer `{value}`"
    if isinstance(value, float):
        return f"floating point `{value}`"
    if isinstance(value, str):
        return f"string {json.dumps(value)[:60]}"
    if isinstance(value, list):
        return "a sequence"
    return "a map"


def expect_object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise unprocessable(f"invalid type: {describe_value(value)}, expected struct {what}")
    return value


def forbid_unknown(obj: Mapping[str, Any], allowed: Iterable[str], where: str) -> None:
    """`additionalProperties: false`: an unknown field is a deserialization error."""
    names = tuple(allowed)
    for key in obj:
        if key not in names:
            expected = ", ".join(f"`{name}`" for name in names)
            raise unprocessable(f"{where}unknown field `{key}`, expected one of {expected}")


def _get(obj: Mapping[str, Any], key: str, where: str, required: bool, expected: str) -> Any:
    value = obj.get(key)
    if value is None:
        if required:
            raise unprocessable(
                f"{where}missing field `{key}`"
                if key not in obj
                else f"{where}{key}: invalid type: null, expected {expected}"
            )
        return None
    return value


def get_str(obj: Mapping[str, Any], key: str, where: str = "", *, required: bool = False) -> str | None:
    value = _get(obj, key, where, required, "a string")
    if value is not None and not isinstance(value, str):
        raise unprocessable(f"{where}{key}: invalid type: {describe_value(value)}, expected a string")
    return value


def get_int(obj: Mapping[str, Any], key: str, where: str = "", *, required: bool = False) -> int | None:
    value = _get(obj, key, where, required, "an integer")
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise unprocessable(f"{where}{key}: invalid type: {describe_value(value)}, expected an integer")
    return value


def get_bool(obj: Mapping[str, Any], key: str, where: str = "", *, required: bool = False) -> bool | None:
    value = _get(obj, key, where, required, "a boolean")
    if value is not None and not isinstance(value, bool):
        raise unprocessable(f"{where}{key}: invalid type: {describe_value(value)}, expected a boolean")
    return value


def get_object(obj: Mapping[str, Any], key: str, where: str = "", *, required: bool = False) -> dict[str, Any] | None:
    value = _get(obj, key, where, required, "a map")
    if value is not None and not isinstance(value, dict):
        raise unprocessable(f"{where}{key}: invalid type: {describe_value(value)}, expected a map")
    return value


def get_str_map(obj: Mapping[str, Any], key: str, where: str = "") -> dict[str, str] | None:
    value = get_object(obj, key, where)
    if value is None:
        return None
    for name, item in value.items():
        if not isinstance(item, str):
            raise unprocessable(f"{where}{key}.{name}: invalid type: {describe_value(item)}, expected a string")
    return dict(value)


# -- rules ---------------------------------------------------------------------------------------


def valid_index_name(name: Any) -> str:
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise invalid(f"Resource name {NAME_RULE}")
    return name


def follows_backup_name_rule(name: str) -> bool:
    """2026-07's rule for backup names: "Must be 1-45 characters long, start and end with an
    alphanumeric character, and consist only of lower case alphanumeric characters or '-'"."""
    return NAME_PATTERN.match(name) is not None


def valid_backup_name(name: str, dialect: Dialect) -> str:
    """2026-07: a name that breaks the rule "is rejected with `400`"; before, any string."""
    if dialect.backup_name_rule and not follows_backup_name_rule(name):
        raise invalid(f"Backup name {NAME_RULE}")
    return name


def valid_deletion_protection(value: str | None) -> str | None:
    if value is not None and value not in DELETION_PROTECTION:
        raise invalid("deletion_protection must be 'enabled' or 'disabled'.")
    return value


def valid_tags(tags: dict[str, str] | None, dialect: Dialect) -> dict[str, str] | None:
    """IndexTags: keys at most 80 characters of alphanumerics, '_' or '-'; values at most 120
    characters of the version's charset; at most 20 tags in 2026-07. "" unsets a key."""
    if tags is None:
        return None
    values = TAG_VALUE_2026 if dialect.typed_schema else TAG_VALUE_2025
    for key, value in tags.items():
        if not TAG_KEY_PATTERN.match(key):
            raise invalid(f"Tag key {key!r} must be 1-80 characters long and consist of alphanumerics, '_' or '-'.")
        if not values.match(value):
            raise invalid(f"Tag value of {key!r} must be at most 120 characters of the allowed characters.")
    return tags


def check_tag_count(tags: Mapping[str, str], dialect: Dialect) -> None:
    if dialect.max_tags is not None and len(tags) > dialect.max_tags:
        raise invalid(f"An index can have at most {dialect.max_tags} tags.")


def valid_location(cloud: str, region: str) -> tuple[str, str]:
    """A serverless region of that cloud (`SERVERLESS_REGIONS`); an unknown cloud, or a region the
    cloud does not have, is answered 404 as the specs' example ("Resource cloud: aws region:
    us-west1 not found.")."""
    if region not in SERVERLESS_REGIONS.get(cloud, ()):
        raise EmulatorError(404, "NOT_FOUND", f"Resource cloud: {cloud} region: {region} not found.")
    return cloud, region


def check_read_capacity(read_capacity: dict[str, Any] | None, where: str = "read_capacity") -> None:
    """OnDemand is what every emulated index has; the emulated organization has no dedicated read
    nodes, which the specs answer 403 ("dedicated read capacity is not enabled for the organization")."""
    if read_capacity is None:
        return
    mode = get_str(read_capacity, "mode", f"{where}: ", required=True)
    if mode == "Dedicated":
        raise forbidden("Dedicated read capacity is not enabled for this organization.")
    if mode != "OnDemand":
        raise invalid(f"{where}.mode must be 'OnDemand' or 'Dedicated'.")


def _bytes(text: str) -> int:
    return len(text.encode("utf-8"))


# -- create index ----------------------------------------------------------------------------------


@dataclass
class IndexSpec:
    """A new index, whichever form asked for it: its fields in the 2026-07 response form."""

    name: str
    cloud: str
    region: str
    fields: dict[str, dict[str, Any]]
    deletion_protection: str = "disabled"
    tags: dict[str, str] = field(default_factory=dict)
    metadata_fields: list[str] = field(default_factory=list)  # 2025-10 `spec.serverless.schema`


def vector_fields(dimension: int | None, metric: str, vector_type: str) -> dict[str, dict[str, Any]]:
    """A vectors-API index's fields: "Dense vectors-API indexes always report both `_values` and
    `_sparse_values`"; a sparse one reports `_sparse_values`."""
    sparse = {SPARSE_FIELD: {"type": "sparse_vector", "description": None}}
    if vector_type == "sparse":
        return sparse
    return {
        DENSE_FIELD: {"type": "dense_vector", "dimension": dimension, "metric": metric, "description": None},
        **sparse,
    }


def parse_create_index(body: dict[str, Any], dialect: Dialect) -> IndexSpec:
    return _parse_schema_form(body, dialect) if dialect.typed_schema else _parse_legacy_form(body, dialect)


def _parse_legacy_form(body: dict[str, Any], dialect: Dialect) -> IndexSpec:
    """2025-04/2025-10: `name`, `spec`, `dimension`, `metric`, `vector_type`, tags, protection."""
    name = get_str(body, "name", required=True)
    spec = get_object(body, "spec", required=True)
    dimension = get_int(body, "dimension")
    metric = get_str(body, "metric")
    vector_type = get_str(body, "vector_type") or "dense"
    protection = valid_deletion_protection(get_str(body, "deletion_protection"))
    tags = valid_tags(get_str_map(body, "tags"), dialect)
    assert spec is not None
    forbid_unknown(spec, ("serverless", "pod", "byoc"), "spec: ")
    if set(spec) != {"serverless"}:
        raise invalid("The emulator serves serverless indexes only: spec must hold `serverless` alone.")
    serverless = get_object(spec, "serverless", "spec: ", required=True)
    assert serverless is not None
    cloud = get_str(serverless, "cloud", "spec.serverless: ", required=True)
    region = get_str(serverless, "region", "spec.serverless: ", required=True)
    collection = get_str(serverless, "source_collection", "spec.serverless: ")
    check_read_capacity(get_object(serverless, "read_capacity", "spec.serverless: "), "spec.serverless.read_capacity")
    metadata = _metadata_fields(get_object(serverless, "schema", "spec.serverless: "))
    valid_index_name(name)
    assert cloud is not None and region is not None and name is not None
    valid_location(cloud, region)
    if collection is not None:
        raise EmulatorError(404, "NOT_FOUND", f"Collection {collection} not found.")
    if vector_type not in ("dense", "sparse"):
        raise invalid("vector_type must be 'dense' or 'sparse'.")
    if metric is not None and metric not in METRICS:
        raise invalid("metric must be one of 'cosine', 'euclidean' or 'dotproduct'.")
    if vector_type == "dense":
        if dimension is None or not 1 <= dimension <= MAX_DIMENSION:
            raise invalid(f"Dense indexes need a dimension between 1 and {MAX_DIMENSION}.")
        fields = vector_fields(dimension, metric or "cosine", "dense")
    else:
        if dimension is not None:
            raise invalid("Sparse indexes take no dimension.")
        if metric not in (None, "dotproduct"):
            raise invalid("Sparse indexes support the 'dotproduct' metric only.")
        fields = vector_fields(None, "dotproduct", "sparse")
    return IndexSpec(
        name=name,
        cloud=cloud,
        region=region,
        fields=fields,
        deletion_protection=protection or "disabled",
        tags={key: value for key, value in (tags or {}).items() if value},
        metadata_fields=metadata,
    )


def _metadata_fields(schema: dict[str, Any] | None) -> list[str]:
    """MetadataSchema: field names, each `{"filterable": true}`."""
    if schema is None:
        return []
    fields = get_object(schema, "fields", "spec.serverless.schema: ", required=True)
    assert fields is not None
    if len(fields) > MAX_METADATA_FIELDS:
        raise invalid(f"A metadata schema declares at most {MAX_METADATA_FIELDS} fields.")
    for name, config in fields.items():
        where = f"spec.serverless.schema.fields.{name}: "
        filterable = get_bool(expect_object(config, "MetadataSchemaField"), "filterable", where)
        if filterable is not True:
            raise invalid(f"Field '{name}' is set to filterable: false. Only filterable: true is supported.")
        if not name or name.startswith(("$", "_")):
            raise invalid(f"Metadata field name {name!r} must not be empty or start with '$' or '_'.")
    return list(fields)


CREATE_INDEX_KEYS = ("name", "deployment", "schema", "cmek_id", "read_capacity", "tags", "deletion_protection")


def _parse_schema_form(body: dict[str, Any], dialect: Dialect) -> IndexSpec:
    """2026-07: `schema` (required) and `deployment` (default managed, aws, us-east-1)."""
    forbid_unknown(body, CREATE_INDEX_KEYS, "")
    schema = get_object(body, "schema", required=True)
    name = get_str(body, "name")
    deployment = get_object(body, "deployment")
    cmek_id = get_str(body, "cmek_id")
    read_capacity = get_object(body, "read_capacity")
    protection = valid_deletion_protection(get_str(body, "deletion_protection"))
    tags = valid_tags(get_str_map(body, "tags"), dialect)
    assert schema is not None
    fields = _schema_fields(schema)
    cloud, region = _deployment(deployment, read_capacity)
    check_read_capacity(read_capacity)
    if cmek_id is not None:
        raise invalid("CMEK is not enabled for this organization.")
    kept_tags = {key: value for key, value in (tags or {}).items() if value}
    check_tag_count(kept_tags, dialect)
    return IndexSpec(
        name=valid_index_name(name) if name is not None else f"index-{secrets.token_hex(4)}",
        cloud=cloud,
        region=region,
        fields=fields,
        deletion_protection=protection or "disabled",
        tags=kept_tags,
    )


def _deployment(deployment: dict[str, Any] | None, read_capacity: dict[str, Any] | None) -> tuple[str, str]:
    if deployment is None:
        return DEFAULT_DEPLOYMENT
    kind = get_str(deployment, "deployment_type", "deployment: ", required=True)
    if kind == "byoc":
        forbid_unknown(deployment, ("deployment_type", "environment"), "deployment: ")
        get_str(deployment, "environment", "deployment: ", required=True)
        if (read_capacity or {}).get("mode") != "Dedicated":
            raise invalid("BYOC indexes do not support OnDemand read capacity: set read_capacity.mode to Dedicated.")
        raise forbidden("Dedicated read capacity is not enabled for this organization.")
    if kind != "managed":
        raise unprocessable(f"deployment: unknown variant `{kind}`, expected `managed` or `byoc`")
    forbid_unknown(deployment, ("deployment_type", "cloud", "region", "environment"), "deployment: ")
    cloud = get_str(deployment, "cloud", "deployment: ", required=True)
    region = get_str(deployment, "region", "deployment: ", required=True)
    if get_str(deployment, "environment", "deployment: ") is not None:
        raise invalid("deployment.environment is read-only: do not set it when creating an index.")
    assert cloud is not None and region is not None
    return valid_location(cloud, region)


CREATE_FIELD_TYPES = ("dense_vector", "sparse_vector", "string")
RESPONSE_ONLY_TYPES = ("semantic_text", "float", "number", "boolean", "string_list", "integer")


def _schema_fields(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """CreateIndexSchema → the IndexSchema fields the index will report."""
    fields = get_object(schema, "fields", "schema: ", required=True)
    assert fields is not None
    if not fields:
        raise invalid(
            "Schema must contain at least one of the following field types: "
            "dense_vector, sparse_vector, string with full_text_search"
        )
    parsed = {
        name: _schema_field(name, expect_object(config, "CreateIndexSchemaField")) for name, config in fields.items()
    }
    kinds = [config["type"] for config in parsed.values()]
    if kinds.count("dense_vector") > 1 or kinds.count("sparse_vector") > 1:
        raise invalid("A schema holds at most one dense_vector and one sparse_vector field.")
    if kinds.count("string") > MAX_FULL_TEXT_FIELDS:
        raise invalid(f"A schema holds at most {MAX_FULL_TEXT_FIELDS} full_text_search fields.")
    reserved = [name for name in parsed if name.startswith("_")]
    if reserved:
        allowed = {DENSE_FIELD: "dense_vector", SPARSE_FIELD: "sparse_vector"}
        if len(reserved) != len(parsed) or any(allowed.get(name) != parsed[name]["type"] for name in reserved):
            raise invalid(
                "Field names starting with '_' are reserved: only `_values` (dense_vector) and/or "
                "`_sparse_values` (sparse_vector), and no other fields, are accepted."
            )
        if any(fields[name].get("description") is not None for name in reserved):
            raise invalid("Reserved fields do not accept a description.")
        dense = parsed.get(DENSE_FIELD)
        if dense is None:
            return vector_fields(None, "dotproduct", "sparse")
        return vector_fields(dense["dimension"], dense["metric"], "dense")
    return parsed


def _schema_field(name: str, config: dict[str, Any]) -> dict[str, Any]:
    where = f"schema.fields.{name}: "
    if not name or _bytes(name) > MAX_FIELD_NAME_BYTES or name.startswith("$"):
        raise invalid(f"Field name {name!r} must be 1-{MAX_FIELD_NAME_BYTES} bytes and must not start with '$'.")
    kind = get_str(config, "type", where, required=True)
    description = get_str(config, "description", where)
    if description is not None and _bytes(description) > MAX_DESCRIPTION_BYTES:
        raise invalid(f"The description of field {name!r} is longer than {MAX_DESCRIPTION_BYTES} bytes.")
    if kind in RESPONSE_ONLY_TYPES:
        raise invalid(
            f"Field {name!r}: type {kind!r} cannot be declared in a schema; include such values as document "
            "metadata (semantic_text: use create-for-model)."
        )
    if kind == "dense_vector":
        dimension = get_int(config, "dimension", where, required=True)
        metric = get_str(config, "metric", where, required=True)
        assert dimension is not None and metric is not None
        if not 1 <= dimension <= MAX_DIMENSION:
            raise invalid(f"Field {name!r}: dimension must be between 1 and {MAX_DIMENSION}.")
        if metric not in METRICS:
            raise invalid(f"Field {name!r}: metric must be one of 'cosine', 'euclidean' or 'dotproduct'.")
        return {"type": kind, "dimension": dimension, "metric": metric, "description": description}
    if kind == "sparse_vector":
        return {"type": kind, "description": description}
    if kind == "string":
        forbid_unknown(config, ("type", "description", "full_text_search"), where)
        search = get_object(config, "full_text_search", where)
        if search is None:
            raise invalid(f"Field {name!r}: a string field needs `full_text_search`; metadata is not declared.")
        return {"type": kind, "description": description, "full_text_search": _full_text_search(search, where)}
    raise unprocessable(
        f"{where}type: unknown variant `{kind}`, expected one of `dense_vector`, `sparse_vector`, `string`"
    )


def _full_text_search(search: dict[str, Any], where: str) -> dict[str, Any]:
    where = f"{where}full_text_search: "
    forbid_unknown(search, ("language", "stemming", "stop_words", "ngram"), where)
    language = get_str(search, "language", where) or "en"
    stemming = bool(get_bool(search, "stemming", where))
    stop_words = bool(get_bool(search, "stop_words", where))
    ngram = get_object(search, "ngram", where)
    if stop_words and not stemming:
        raise invalid("full_text_search: `stop_words` requires `stemming: true`.")
    result: dict[str, Any] = {"language": language, "stemming": stemming, "stop_words": stop_words}
    if ngram is not None:
        forbid_unknown(ngram, ("min_gram", "max_gram", "prefix_only"), f"{where}ngram: ")
        low = get_int(ngram, "min_gram", f"{where}ngram: ", required=True)
        high = get_int(ngram, "max_gram", f"{where}ngram: ", required=True)
        prefix_only = bool(get_bool(ngram, "prefix_only", f"{where}ngram: "))
        assert low is not None and high is not None
        if stemming or stop_words:
            raise invalid("full_text_search: `ngram` cannot be combined with `stemming` or `stop_words`.")
        if not 1 <= low <= high <= 10:
            raise invalid("full_text_search.ngram: 1 <= min_gram <= max_gram <= 10.")
        result["ngram"] = {"min_gram": low, "max_gram": high, "prefix_only": prefix_only}
    return result


# -- configure index, backups, restores ---------------------------------------------------------------


@dataclass
class IndexChanges:
    deletion_protection: str | None = None
    tags: dict[str, str] | None = None  # merged into the index's; "" removes a key


def parse_configure_index(body: dict[str, Any], dialect: Dialect) -> IndexChanges:
    """PATCH /indexes/{name}: deletion protection and tags change; read capacity may stay OnDemand."""
    if dialect.typed_schema:
        forbid_unknown(body, ("deployment", "schema", "read_capacity", "tags", "deletion_protection"), "")
        if get_object(body, "deployment") is not None:
            raise invalid("deployment: replicas and pod_type apply to pod-based indexes only.")
        if get_object(body, "schema") is not None:
            raise invalid("schema: only semantic_text fields can be updated, and this index has none.")
        check_read_capacity(get_object(body, "read_capacity"))
    else:
        spec = get_object(body, "spec")
        if spec is not None:
            serverless = get_object(spec, "serverless", "spec: ")
            if set(spec) != {"serverless"} or serverless is None:
                raise invalid("spec: pod-based and BYOC settings do not apply to a serverless index.")
            check_read_capacity(get_object(serverless, "read_capacity", "spec.serverless: "))
        if get_object(body, "embed") is not None:
            raise invalid("embed: integrated embedding is not emulated.")
    return IndexChanges(
        deletion_protection=valid_deletion_protection(get_str(body, "deletion_protection")),
        tags=valid_tags(get_str_map(body, "tags"), dialect),
    )


@dataclass
class BackupRequest:
    name: str | None
    description: str | None


def parse_create_backup(body: dict[str, Any], dialect: Dialect) -> BackupRequest:
    name = get_str(body, "name")
    description = get_str(body, "description")
    return BackupRequest(name=None if name is None else valid_backup_name(name, dialect), description=description)


@dataclass
class RestoreRequest:
    name: str
    tags: dict[str, str] | None  # None: the index inherits the backup's tags
    deletion_protection: str


def parse_create_index_from_backup(body: dict[str, Any], dialect: Dialect) -> RestoreRequest:
    name = get_str(body, "name", required=True)
    tags = valid_tags(get_str_map(body, "tags"), dialect)
    protection = valid_deletion_protection(get_str(body, "deletion_protection"))
    if dialect.typed_schema:
        check_read_capacity(get_object(body, "read_capacity"))
    kept = None if tags is None else {key: value for key, value in tags.items() if value}
    if kept is not None:
        check_tag_count(kept, dialect)
    return RestoreRequest(name=valid_index_name(name), tags=kept, deletion_protection=protection or "disabled")


# -- backup schedules (2026-07) ---------------------------------------------------------------------
# The requests declare no `additionalProperties: false`, so an unknown field is ignored, as in a
# create-backup body: a PATCH naming `name`, `schedule` or the index changes nothing (the SDKs:
# "A schedule's name and index cannot be changed").

FREQUENCIES = ("daily", "weekly", "monthly")
SCHEDULE_TYPES = ("time-based",)
# "no more than the service-configured maximum; a value outside that range is rejected with
# `400`". The maximum is not published: ten years is the emulator's choice.
MAX_RETENTION_DAYS = 3650
INT32_MAX = 2**31 - 1  # `format: int32`: a larger number does not deserialize (422)


@dataclass
class ScheduleRequest:
    name: str
    frequency: str
    retention_days: int


@dataclass
class ScheduleChanges:
    """What a PATCH changes; None: unchanged."""

    frequency: str | None = None
    retention_days: int | None = None
    enabled: bool | None = None


def parse_create_backup_schedule(body: dict[str, Any]) -> ScheduleRequest:
    """CreateBackupScheduleRequest: `name`, `schedule: {type, frequency}`, `retention:
    {expire_after_days}`, all required. `name` has no declared pattern: any non-empty string."""
    name = get_str(body, "name", required=True)
    schedule = get_object(body, "schedule", required=True)
    assert schedule is not None and name is not None
    kind = get_str(schedule, "type", "schedule: ", required=True)
    frequency = get_str(schedule, "frequency", "schedule: ", required=True)
    retention_days = _retention_days(body)
    assert retention_days is not None and frequency is not None
    if not name:
        raise invalid("Backup schedule name must not be empty.")
    if kind not in SCHEDULE_TYPES:
        raise invalid(f"schedule.type must be {', '.join(map(repr, SCHEDULE_TYPES))}.")
    return ScheduleRequest(name=name, frequency=valid_frequency(frequency), retention_days=retention_days)


def parse_update_backup_schedule(body: dict[str, Any]) -> ScheduleChanges:
    """UpdateBackupScheduleRequest: every field optional; `{}` changes nothing."""
    frequency = get_str(body, "frequency")
    enabled = get_bool(body, "enabled")
    retention_days = _retention_days(body, required=False)
    return ScheduleChanges(
        frequency=None if frequency is None else valid_frequency(frequency),
        retention_days=retention_days,
        enabled=enabled,
    )


def _retention_days(body: dict[str, Any], *, required: bool = True) -> int | None:
    """`retention.expire_after_days`: an int32 (else 422), 1..MAX_RETENTION_DAYS (else 400)."""
    retention = get_object(body, "retention", required=required)
    if retention is None:
        return None
    days = get_int(retention, "expire_after_days", "retention: ", required=True)
    assert days is not None
    if not -INT32_MAX - 1 <= days <= INT32_MAX:
        raise unprocessable(f"retention: expire_after_days: invalid value: integer `{days}`, expected i32")
    if not 1 <= days <= MAX_RETENTION_DAYS:
        raise invalid(f"retention.expire_after_days must be between 1 and {MAX_RETENTION_DAYS}.")
    return days


def valid_frequency(frequency: str) -> str:
    if frequency not in FREQUENCIES:
        raise invalid(f"frequency must be one of {', '.join(map(repr, FREQUENCIES))}.")
    return frequency


# -- query strings ---------------------------------------------------------------------------------


def parse_limit(value: str | None, dialect: Dialect) -> int | None:
    """`limit`: an integer, 1-100 (2025-04/10 declare that range; 2026-07 declares none, and a
    larger page is cut to 100, the most any version documents)."""
    if value is None:
        return None
    try:
        limit = int(value)
    except ValueError:
        raise invalid(f"Failed to deserialize query string: limit: invalid digit in {value!r}") from None
    if limit < 1 or (limit > MAX_PAGE_SIZE and not dialect.typed_schema):
        raise invalid(f"limit must be between 1 and {MAX_PAGE_SIZE}.")
    return min(limit, MAX_PAGE_SIZE)


def parse_bool(name: str, value: str | None) -> bool | None:
    if value is None:
        return None
    if value not in ("true", "false"):
        raise invalid(f"Failed to deserialize query string: {name}: provided string was not `true` or `false`")
    return value == "true"
