"""An example for every property and parameter of the OpenAPI document.

A field may carry its own (``metadata={"example": ...}``); the others get one drawn from what the
document already says of them (the first allowed value, the format, the bounds), so an example is
always a value the API accepts and never drifts from the validation it illustrates.
"""

from __future__ import annotations

from typing import Any

from apispec import APISpec, BasePlugin
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import fields

# Values that read as the domain's own where a field's name says what it holds.
NAMED: dict[str, Any] = {
    "name": "Camille Laurent",
    "title": "Port authority accounts in Geneva",
    "body": "Could you confirm who holds the account?",
    "text": "Could you confirm who holds the account?",
    "reason": "The order lapses on 31 March; the court needs the bank's statement first.",
    "reference": "PPEF-2026-0142",
    "q": "Laurent",
    "currency": "CHF",
    "iban": "CH93 0076 2011 6238 5295 7",
    "language": "fr",
    "locale": "fr",
    "time_zone": "Europe/Zurich",
    "client_id": "3f6c1d2e-7a41-4b8e-9c55-0d9e2a7b6f10",
    "handling_code": "H1",
}
STATE_CODE = "CHE"
BY_FORMAT: dict[str, Any] = {
    "date": "2026-03-31",
    "date-time": "2026-03-31T09:30:00+00:00",
    "email": "focal.point@example.org",
    "uri": "https://arnet.example.org/cases/42",
    "url": "https://arnet.example.org/cases/42",
    "uuid": "3f6c1d2e-7a41-4b8e-9c55-0d9e2a7b6f10",
    "decimal": "2500000.00",
    "binary": None,
}


def _of_type(kind: str, name: str, prop: dict[str, Any]) -> Any:
    if kind == "integer":
        return int(prop.get("minimum", 42 if name.endswith("id") else 1))
    if kind == "number":
        return prop.get("minimum", 1.5)
    if kind == "boolean":
        return True
    if kind == "string":
        if name in NAMED:
            return NAMED[name]
        if name == "state" or name.endswith("_state") or name in {"code", "state_code"}:
            return STATE_CODE
        text = "Embezzlement of public funds"
        low, high = int(prop.get("minLength", 0)), int(prop.get("maxLength", len(text)))
        return text[:high] if high >= max(low, 1) else "x" * low
    return None


def example_for(name: str, prop: dict[str, Any]) -> Any:
    """A value the property accepts, or None where it names another schema or a file."""
    if "$ref" in prop or "allOf" in prop or prop.get("type") == "object":
        return None
    if prop.get("enum"):
        return next((each for each in prop["enum"] if each is not None), None)
    if prop.get("format") in BY_FORMAT:
        return BY_FORMAT[prop["format"]]
    if prop.get("type") == "array":
        item = example_for(name.removesuffix("s"), prop.get("items", {}))
        return None if item is None else [item]
    return _of_type(str(prop.get("type", "")), name, prop)


def field_example(self: Any, field: fields.Field, ret: dict[str, Any], **_: Any) -> dict[str, Any]:
    """The apispec attribute function: a field's own example (in ``ret``) stays."""
    if "example" in ret:
        return {}
    example = example_for(field.data_key or field.name or "", ret)
    return {} if example is None else {"example": example}


class ExamplesPlugin(MarshmallowPlugin):
    """The marshmallow plugin with ``field_example``, set before any schema is converted."""

    def init_spec(self, spec: APISpec) -> None:
        super().init_spec(spec)
        assert self.converter is not None  # noqa: S101 - set by init_spec
        self.converter.add_attribute_function(field_example)


class ParameterExamples(BasePlugin):
    """Path and operation parameters (``{case_id}``, ``?page=``) get an example like fields do."""

    def path_helper(
        self,
        path: str | None = None,
        operations: dict[str, Any] | None = None,
        parameters: list[dict[str, Any]] | None = None,
        **kwargs: Any,
    ) -> None:
        for parameter in parameters or []:
            _give_example(parameter)
        for operation in (operations or {}).values():
            for parameter in operation.get("parameters", []):
                _give_example(parameter)


def _give_example(parameter: dict[str, Any]) -> None:
    """Parameters drawn from a marshmallow schema are left to ``field_example``."""
    schema = parameter.get("schema")
    if not isinstance(schema, dict) or "example" in schema or "name" not in parameter:
        return
    example = example_for(parameter["name"], schema)
    if example is not None:
        schema["example"] = example
