"""Shapes of the Socket.IO events' arguments; unknown fields are refused."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class JoinSchema(Schema):
    """``join``: the channel and the last seq the client already holds (0 for none)."""

    channel = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    after_seq = fields.Integer(load_default=0, strict=True, validate=validate.Range(min=0))


class SendSchema(Schema):
    """``send``: a message with the client's own id, so that a retry is stored once."""

    channel = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    client_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    body = fields.String(required=True)
    handling_code = fields.String(required=True)
    reply_to_seq = fields.Integer(
        load_default=None, allow_none=True, strict=True, validate=validate.Range(min=1)
    )
    corrects_seq = fields.Integer(
        load_default=None, allow_none=True, strict=True, validate=validate.Range(min=1)
    )
    attachment_ids = fields.List(
        fields.Integer(strict=True, validate=validate.Range(min=1)),
        load_default=list,
        validate=validate.Length(max=20),
    )


class ReadSchema(Schema):
    """``read``: the highest seq the member has now read."""

    channel = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    seq = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
