"""Schemas shared by several resources: pagination and the error body."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class PageArgs(Schema):
    """``?page=&per_page=`` on every list."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class ErrorSchema(Schema):
    code = fields.Integer(required=True)
    message = fields.String(required=True)
    errors = fields.Dict()
