"""The OpenAPI document shows an example for every value, and each example is one the API takes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jsonschema_rs
import pytest


def _properties(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for schema_name, schema in spec["components"]["schemas"].items():
        for name, prop in schema.get("properties", {}).items():
            yield f"{schema_name}.{name}", prop


def _parameters(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        for parameter in item.get("parameters", []):
            yield f"{path} {parameter['name']}", parameter["schema"]
        for method, operation in item.items():
            if method == "parameters":
                continue
            for parameter in operation.get("parameters", []):
                where = f"{method.upper()} {path} {parameter['name']}"
                yield where, parameter.get("schema", {})


def _describes_a_value(prop: dict[str, Any]) -> bool:
    """A property that is a value of its own, not a reference to another schema or a file."""
    items = prop.get("items", {})
    return (
        "type" in prop
        and "$ref" not in items
        and prop.get("format") != "binary"
        and not (prop["type"] == "object" and "example" not in prop)
    )


@pytest.fixture
def spec(client: Any) -> dict[str, Any]:
    return client.get("/api/v1/openapi.json").get_json()


def test_every_value_in_the_document_has_an_example(spec: dict[str, Any]) -> None:
    values = [*_properties(spec), *_parameters(spec)]
    missing = [
        where for where, prop in values if _describes_a_value(prop) and "example" not in prop
    ]
    assert len(values) > 500
    assert missing == []


def test_each_example_is_a_value_its_schema_accepts(spec: dict[str, Any]) -> None:
    refused = []
    for where, prop in [*_properties(spec), *_parameters(spec)]:
        if "example" not in prop:
            continue
        schema = {key: value for key, value in prop.items() if key not in {"readOnly", "nullable"}}
        if not jsonschema_rs.Draft4Validator(schema).is_valid(prop["example"]):
            refused.append((where, prop["example"]))
    assert refused == []


def test_a_fields_own_example_is_kept(spec: dict[str, Any]) -> None:
    names = spec["components"]["schemas"]["State"]["properties"]["names"]
    assert names["example"]["fr"] == "Suisse"
