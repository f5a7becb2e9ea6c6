"""Shapes of the signed-in caller, of personal access tokens and of a new account."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from network.schemas.vocabularies import Role

# --- output ---------------------------------------------------------------------------------------


class MeSchema(Schema):
    id = fields.Integer()
    email = fields.String()
    name = fields.String()
    role = fields.String()
    state = fields.String(attribute="state_code", allow_none=True)
    body = fields.Function(lambda user: user.body.acronym if user.body else None, allow_none=True)
    locale = fields.String(allow_none=True)
    time_zone = fields.String(allow_none=True)


# --- output ---------------------------------------------------------------------------------------


class TokenSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    prefix = fields.String()
    created_at = fields.DateTime()
    expires_at = fields.DateTime()
    last_used_at = fields.DateTime(allow_none=True)


class NewTokenSchema(TokenSchema):
    token = fields.String(metadata={"description": "The secret; shown this once only."})


# --- input ----------------------------------------------------------------------------------------


class TokenInput(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    days = fields.Integer(
        load_default=None,
        validate=validate.Range(min=1),
        metadata={"description": "Lifetime; at most ARNET_TOKEN_MAX_DAYS, which is the default."},
    )
    current_password = fields.String(
        required=True, validate=validate.Length(max=1024), load_only=True
    )
    code = fields.String(
        load_default=None,
        validate=validate.Length(max=64),
        load_only=True,
        metadata={"description": "A code from the authenticator app, or an unused recovery code."},
    )


class NewUserInput(Schema):
    """An account an administrator makes (the page's form); the service checks who may make it."""

    email = fields.Email(required=True, validate=validate.Length(max=254))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    role = fields.String(required=True, validate=validate.OneOf([role.value for role in Role]))
    state = fields.String(load_default=None, validate=validate.Length(max=3))
    body = fields.Integer(load_default=None)


class TokenListSchema(Schema):
    items = fields.List(fields.Nested(TokenSchema))
    total = fields.Integer()
    page = fields.Integer()
