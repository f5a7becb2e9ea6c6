"""Shared schemas: pagination, bounded integers, money, the error body, a record's integrity."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from network.core.types import INT_MAX
from network.sealing.integrity import INTEGRITY_STATES


class StoredInteger(fields.Integer):
    """An integer input a database column can hold: a larger one is a 422, never an overflow."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators.append(validate.Range(min=-INT_MAX - 1, max=INT_MAX))


class Money(fields.Decimal):
    """An amount, written as a decimal string ("1250000.50") so that no float ever carries it."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(as_string=True, **kwargs)


class PageArgs(Schema):
    """``?page=&per_page=`` on every list."""

    page = StoredInteger(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class ErrorSchema(Schema):
    code = fields.Integer(required=True)
    message = fields.String(required=True)
    errors = fields.Dict(required=True)


def integrity_field() -> fields.String:
    """``integrity`` of a record with sealed fields, the same in every schema that has one."""
    return fields.String(
        validate=validate.OneOf(INTEGRITY_STATES),
        metadata={
            "description": "ok, or failed when a sealed field of this record did not pass its "
            "integrity check: those fields are then null (lists and objects empty), the rest "
            "is served as usual."
        },
    )
