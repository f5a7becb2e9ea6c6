"""/api/v1/notifications: the caller's in-app notifications, and marking them read."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from network.core import clock
from network.extensions import db
from network.http.notices import linked
from network.notifications import service as notifications
from network.schemas.notifications import (
    NotificationArgs,
    NotificationListSchema,
    NotificationSchema,
    ReadAllSchema,
)

PREFIX = "/notifications"
blp = Blueprint("notifications", __name__, description="The caller's notifications")


@blp.route("")
class Notifications(MethodView):
    @blp.arguments(NotificationArgs, location="query")
    @blp.response(200, NotificationListSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """The caller's notifications, newest first (``?unread=true`` for unread only)."""
        items, total = notifications.notifications_for(
            current_user, page=args["page"], per_page=args["per_page"], unread_only=args["unread"]
        )
        return {
            "items": [linked(each) for each in items],
            "total": total,
            "page": args["page"],
            "unread": notifications.unread_count(current_user),
        }


@blp.route("/<int:notification_id>/read")
class NotificationRead(MethodView):
    @blp.response(200, NotificationSchema)
    def post(self, notification_id: int) -> Any:
        """Mark one of the caller's notifications read."""
        notification = notifications.mark_read(current_user, notification_id, clock.now())
        db.session.commit()
        return linked(notification)


@blp.route("/read-all")
class NotificationsReadAll(MethodView):
    @blp.response(200, ReadAllSchema)
    def post(self) -> dict[str, int]:
        """Mark every notification of the caller read."""
        marked = notifications.mark_all_read(current_user, clock.now())
        db.session.commit()
        return {"marked": marked}
