"""Page forms: loaded with the same marshmallow schemas as the API, one shape per thing.

``submitted(schema)`` reads ``request.form`` into the schema's input and loads it; a page
shows the values typed again with the errors beside their fields (macros in
``templates/macros.html``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import request
from marshmallow import Schema, ValidationError, fields
from werkzeug.datastructures import MultiDict

from network.core.errors import DomainError
from network.http.errors import translate, translate_errors

# Where a form's errors that belong to no one field are kept (marshmallow's own key).
FORM_WIDE = "_schema"
_UNCHECKED = frozenset({"", "0", "false", "off"})
_WHOLE = re.compile(r"\s*[-+]?\d+\s*")
_LEFT_OUT = object()
# A row of a list of objects: its fields are named "key-N.field" ("subjects-0.name").
_ROW_FIELD = re.compile(r"(?P<key>[\w.]+)-(?P<index>\d{1,3})\.(?P<field>\w+)")


@dataclass(frozen=True)
class Form:
    """A page form as shown: the values typed (to show again) and each field's errors."""

    typed: Mapping[str, Any] = field(default_factory=dict)
    errors: Mapping[str, list[str]] = field(default_factory=dict)

    def value(self, name: str, default: Any = "") -> Any:
        """What was typed into a field ("contents.purpose" for a nested one), or the default."""
        found: Any = self.typed
        for part in name.split("."):
            if not isinstance(found, Mapping) or part not in found:
                return default
            found = found[part]
        return found

    def error(self, name: str) -> str:
        """The field's errors as one sentence, empty when it has none."""
        return " ".join(self.errors.get(name, []))


def refused(form: Form, error: DomainError, prefix: str = "") -> Form:
    """The form as typed, with the errors a service's refusal names beside their fields."""
    errors = {
        _named(prefix, name): [translate(m) for m in texts] for name, texts in error.errors.items()
    }
    return Form(form.typed, errors)


def version_seen() -> int | None:
    """The version of the record the edit form was opened on (its hidden ``version`` field).

    None for a form that names none; a value that is no version names -1, which matches none,
    so the edit is refused rather than applied to a version nobody saw.
    """
    seen = request.form.get("version", "").strip()
    if not seen:
        return None
    return int(seen) if seen.isascii() and seen.isdigit() else -1


def blank(**defaults: Any) -> Form:
    """A form not yet submitted, showing these values."""
    return Form(typed=defaults)


def submitted(
    schema: Schema, source: MultiDict[str, str] | None = None, prefix: str = ""
) -> tuple[dict[str, Any] | None, Form]:
    """Load the posted form with ``schema``: its values, or None and the errors to show.

    With a ``prefix`` (one page, several forms) the fields are named "prefix-field", and
    so are the values and errors of the Form returned.
    """
    raw = request.form if source is None else source
    if prefix:
        start = f"{prefix}-"
        raw = MultiDict(
            [
                (key[len(start) :], value)
                for key, value in raw.items(multi=True)
                if key.startswith(start)
            ]
        )
    typed = form_input(schema, raw)
    shown = {_named(prefix, key): value for key, value in typed.items()}
    try:
        return schema.load(typed), Form(shown)
    except ValidationError as error:
        errors = _field_errors(error.messages)
        return None, Form(shown, {_named(prefix, key): texts for key, texts in errors.items()})


def _named(prefix: str, name: str) -> str:
    """A field's name on a page that may hold several forms (FORM_WIDE stays as it is)."""
    return f"{prefix}-{name}" if prefix and name != FORM_WIDE else name


def form_input(schema: Schema, raw: MultiDict[str, str]) -> dict[str, Any]:
    """The schema's input from form fields, shaped as an API client would send it.

    A blank field (or list) is left out rather than sent empty, so "required" means filled.
    """
    typed: dict[str, Any] = {}
    for name, declared in schema.load_fields.items():
        key = declared.data_key or name
        value = _field_input(declared, key, raw)
        if value is not _LEFT_OUT:
            typed[key] = value
    return typed


def _field_input(declared: fields.Field, key: str, raw: MultiDict[str, str]) -> Any:
    """One field's input from the form, or _LEFT_OUT.

    A List takes every value of its name and each line of a text area; a List of objects
    is one row of fields an object, named "key-N.field", blank rows left out; a Dict is one
    "label: value" a line; a Nested object has its fields named "key.field"; a Boolean is a box
    ticked or not, or, when it may be None, a choice of yes, no or blank (None); a whole
    number is sent as a number.
    """
    if isinstance(declared, fields.Nested) and isinstance(declared.schema, Schema):
        prefix = f"{key}."
        inner = MultiDict(
            [
                (each[len(prefix) :], value)
                for each, value in raw.items(multi=True)
                if each.startswith(prefix)
            ]
        )
        return form_input(declared.schema, inner) or _LEFT_OUT
    if isinstance(declared, fields.List) and isinstance(declared.inner, fields.Nested):
        return _rows(raw, key, declared.inner.schema) or _LEFT_OUT
    if isinstance(declared, fields.List):
        whole = isinstance(declared.inner, fields.Integer)
        return [_whole(line) if whole else line for line in _lines(raw, key)] or _LEFT_OUT
    if isinstance(declared, fields.Dict):
        return _pairs(_lines(raw, key), raw.get(key, "")) or _LEFT_OUT
    if isinstance(declared, fields.Boolean) and declared.allow_none:
        # Yes, no or not stated: a choice whose blank is None, the rest for the schema to read.
        return raw.get(key, "").strip() or None
    if isinstance(declared, fields.Boolean):
        return raw.get(key, "").strip().lower() not in _UNCHECKED
    value = raw.get(key)
    if value is None or not (value.strip() or declared.required):
        return _LEFT_OUT
    return _whole(value) if isinstance(declared, fields.Integer) else value


def _lines(raw: MultiDict[str, str], key: str) -> list[str]:
    """Every value of a name, a text area's line by line, without blanks."""
    return [line.strip() for each in raw.getlist(key) for line in each.splitlines() if line.strip()]


def _whole(value: str) -> int | str:
    """A whole number typed as a number; anything else as typed, for the schema to refuse."""
    return int(value) if _WHOLE.fullmatch(value) else value


def _pairs(lines: list[str], typed: str) -> dict[str, str] | str:
    """Lines of "label: value" as a mapping; with any other line, the text as typed, which
    the schema refuses as no mapping."""
    pairs: dict[str, str] = {}
    for line in lines:
        label, sep, value = line.partition(":")
        if not sep:
            return typed
        pairs[label.strip()] = value.strip()
    return pairs


def _rows(raw: MultiDict[str, str], key: str, schema: Schema) -> list[dict[str, Any]]:
    """The rows of a list of objects in the order shown, each loaded as a form of its own."""
    found: dict[int, MultiDict[str, str]] = {}
    for name, value in raw.items(multi=True):
        match = _ROW_FIELD.fullmatch(name)
        if match and match["key"] == key:
            found.setdefault(int(match["index"]), MultiDict()).add(match["field"], value)
    return [
        form_input(schema, typed)
        for _index, typed in sorted(found.items())
        if any(value.strip() for value in typed.values())
    ]


def _field_errors(messages: Any) -> dict[str, list[str]]:
    """marshmallow's nested messages as one translated list per top-level field."""
    flat: dict[str, list[str]] = {}
    items = messages.items() if isinstance(messages, dict) else [(FORM_WIDE, messages)]
    for name, found in items:
        if isinstance(found, dict) and found and all(isinstance(each, int) for each in found):
            # A list of objects' errors by row, beside the fields named "name-N.field".
            for index, row in found.items():
                for inner, texts in _field_errors(row).items():
                    flat[f"{name}-{index}.{inner}"] = texts
        elif isinstance(found, dict) and found and all(isinstance(each, str) for each in found):
            # A Nested field's errors, beside the fields named "name.field".
            for inner, texts in _field_errors(found).items():
                flat[f"{name}.{inner}"] = texts
        else:
            flat[str(name)] = list(_strings(translate_errors(found)))
    return flat


def _strings(found: Any) -> list[str]:
    if isinstance(found, str):
        return [found]
    if isinstance(found, dict):
        return [text for value in found.values() for text in _strings(value)]
    if isinstance(found, list):
        return [text for value in found for text in _strings(value)]
    return []
