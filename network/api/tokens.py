"""/api/v1/tokens: the caller's personal access tokens."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app, g
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from network.api.responses import page_answer, refuses
from network.auth.tokens import active_tokens, create_token, revoke_token
from network.core import clock
from network.core.errors import PermissionDenied
from network.core.i18n import N_
from network.extensions import db
from network.http.security import confirm_identity_again
from network.schemas.auth import NewTokenSchema, TokenInput, TokenListSchema, TokenSchema

PREFIX = "/tokens"
blp = Blueprint("tokens", __name__, description="Personal access tokens of the caller")


def signed_in_again_only(method: Callable[..., Any]) -> Callable[..., Any]:
    """A token may not make another: only someone who can sign in again may."""

    @wraps(method)
    def refusing_tokens(*args: Any, **kwargs: Any) -> Any:
        if g.get("via_token"):
            raise PermissionDenied(
                N_(
                    "A token cannot create tokens. Sign in with your password and second "
                    "factor to create one."
                )
            )
        return method(*args, **kwargs)

    return refusing_tokens


@blp.route("")
class Tokens(MethodView):
    @blp.response(200, TokenListSchema)
    def get(self) -> dict[str, Any]:
        """The caller's tokens that are neither revoked nor expired."""
        tokens = active_tokens(current_user, now=clock.now())
        return page_answer(tokens, len(tokens))

    @signed_in_again_only
    @blp.arguments(TokenInput)
    @blp.response(201, NewTokenSchema)
    @refuses(blp, 403, 429)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Create a token for the caller, who confirms their password and second factor.

        Refused to callers using a token. The secret is in the answer and nowhere else.
        """
        confirm_identity_again(data["current_password"], data["code"])
        most = current_app.config["TOKEN_MAX_DAYS"]
        token, raw = create_token(
            current_user, data["name"], data["days"] or most, now=clock.now(), max_days=most
        )
        db.session.commit()
        return {**{name: getattr(token, name) for name in TokenSchema().fields}, "token": raw}


@blp.route("/<int:token_id>")
class TokenById(MethodView):
    @blp.response(204)
    def delete(self, token_id: int) -> None:
        """Revoke one of the caller's tokens."""
        revoke_token(current_user, token_id, now=clock.now())
        db.session.commit()
