"""GET /api/v1/me: who the caller is."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from network.auth.models import User

PREFIX = "/me"
blp = Blueprint("me", __name__, description="The signed-in caller")


class MeSchema(Schema):
    id = fields.Integer()
    email = fields.String()
    name = fields.String()
    role = fields.String()
    state = fields.String(attribute="state_code", allow_none=True)
    body = fields.Function(lambda user: user.body.acronym if user.body else None, allow_none=True)
    locale = fields.String(allow_none=True)
    time_zone = fields.String(allow_none=True)


@blp.route("")
class Me(MethodView):
    @blp.response(200, MeSchema)
    def get(self) -> User:
        """The caller: id, e-mail, name, role, State and observer body."""
        return current_user._get_current_object()  # type: ignore[no-any-return]
