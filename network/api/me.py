"""GET /api/v1/me: who the caller is, and how their notices reach them."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from network.auth.models import User
from network.core import clock
from network.extensions import db
from network.notifications import preferences
from network.schemas.auth import MeSchema
from network.schemas.notifications import NoticePreferencesInput, NoticePreferencesSchema

PREFIX = "/me"
blp = Blueprint("me", __name__, description="The signed-in caller")


@blp.route("")
class Me(MethodView):
    @blp.response(200, MeSchema)
    def get(self) -> User:
        """The caller: id, e-mail, name, role, State and observer body."""
        return current_user._get_current_object()  # type: ignore[no-any-return]


@blp.route("/notification-preferences")
class NotificationPreferences(MethodView):
    @blp.response(200, NoticePreferencesSchema)
    def get(self) -> dict[str, object]:
        """How each kind of notice reaches the caller: in the app, at once by e-mail, or daily."""
        return {"preferences": preferences.preferences_of(current_user)}

    @blp.arguments(NoticePreferencesInput)
    @blp.response(200, NoticePreferencesSchema)
    def put(self, data: dict[str, Any]) -> dict[str, object]:
        """Choose the delivery of the kinds named; every notice is still listed in the app."""
        chosen = preferences.set_preferences(current_user, data["preferences"], clock.now())
        db.session.commit()
        return {"preferences": chosen}
