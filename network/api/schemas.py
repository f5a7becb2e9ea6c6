"""Schemas shared by several resources: pagination, the error body, a record's integrity."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from network.crypto.integrity import INTEGRITY_STATES


class PageArgs(Schema):
    """``?page=&per_page=`` on every list."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class ErrorSchema(Schema):
    code = fields.Integer(required=True)
    message = fields.String(required=True)
    errors = fields.Dict()


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
