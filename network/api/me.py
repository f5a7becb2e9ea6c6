"""GET /api/v1/me: who the caller is."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from network.auth.models import User
from network.schemas.auth import MeSchema

PREFIX = "/me"
blp = Blueprint("me", __name__, description="The signed-in caller")


@blp.route("")
class Me(MethodView):
    @blp.response(200, MeSchema)
    def get(self) -> User:
        """The caller: id, e-mail, name, role, State and observer body."""
        return current_user._get_current_object()  # type: ignore[no-any-return]
