"""/api/v1/tokens: the caller's personal access tokens."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from network.auth import service as auth_service
from network.core import clock
from network.extensions import db

PREFIX = "/tokens"
blp = Blueprint("tokens", __name__, description="Personal access tokens of the caller")


class TokenSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    prefix = fields.String()
    created_at = fields.DateTime()
    expires_at = fields.DateTime()
    last_used_at = fields.DateTime(allow_none=True)


class NewTokenSchema(TokenSchema):
    token = fields.String(metadata={"description": "The secret; shown this once only."})


class TokenInput(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    days = fields.Integer(load_default=90, validate=validate.Range(min=1, max=366))


class TokenListSchema(Schema):
    items = fields.List(fields.Nested(TokenSchema))
    total = fields.Integer()
    page = fields.Integer()


@blp.route("")
class Tokens(MethodView):
    @blp.response(200, TokenListSchema)
    def get(self) -> dict[str, Any]:
        """The caller's tokens that are neither revoked nor expired."""
        tokens = auth_service.active_tokens(current_user, now=clock.now())
        return {"items": tokens, "total": len(tokens), "page": 1}

    @blp.arguments(TokenInput)
    @blp.response(201, NewTokenSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Create a token for the caller; the secret is in the answer and nowhere else."""
        token, raw = auth_service.create_token(
            current_user,
            data["name"],
            data["days"],
            now=clock.now(),
            max_days=current_app.config["TOKEN_MAX_DAYS"],
        )
        db.session.commit()
        return {**{name: getattr(token, name) for name in TokenSchema().fields}, "token": raw}


@blp.route("/<int:token_id>")
class TokenById(MethodView):
    @blp.response(204)
    def delete(self, token_id: int) -> None:
        """Revoke one of the caller's tokens."""
        auth_service.revoke_token(current_user, token_id, now=clock.now())
        db.session.commit()

