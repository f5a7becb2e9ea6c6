"""Notification pages, the nav badge, and the private calendar feed (its settings and the .ics)."""

from __future__ import annotations

import math

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from network.core import clock
from network.core.errors import NotFound
from network.core.types import stored_int
from network.extensions import db
from network.http.notices import notice_path
from network.notifications import calendar
from network.notifications import service as notifications
from network.notifications.deadlines import deadlines_for
from network.notifications.render import deadline_description, deadline_title
from network.schemas.notifications import MarkReadInput
from network.web.forms import submitted

bp = Blueprint("web_notifications", __name__)

PER_PAGE = 30


@bp.app_context_processor
def notification_badge() -> dict[str, object]:
    """The unread count in the nav, for a signed-in user."""
    if not getattr(current_user, "is_authenticated", False):
        return {"unread_notifications": 0}
    return {"unread_notifications": notifications.unread_count(current_user)}


@bp.route("/notifications")
def index() -> str:
    page = max(request.args.get("page", 1, type=stored_int) or 1, 1)
    items, total = notifications.notifications_for(current_user, page=page, per_page=PER_PAGE)
    return render_template(
        "notifications/index.html",
        notifications=items,
        page=page,
        pages=max(1, math.ceil(total / PER_PAGE)),
    )


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
def mark_read(notification_id: int) -> BaseResponse:
    notification = notifications.mark_read(current_user, notification_id, clock.now())
    db.session.commit()
    values, _form = submitted(MarkReadInput())
    if values and values["open"]:
        return redirect(notice_path(notification))
    return redirect(url_for("web_notifications.index"))


@bp.route("/notifications/read-all", methods=["POST"])
def mark_all_read() -> BaseResponse:
    notifications.mark_all_read(current_user, clock.now())
    db.session.commit()
    flash(_("Every notification is marked read."), "success")
    return redirect(url_for("web_notifications.index"))


@bp.route("/account/calendar")
def calendar_settings() -> str:
    return render_template(
        "notifications/calendar.html", feed=calendar.current_feed(current_user), feed_url=None
    )


@bp.route("/account/calendar", methods=["POST"])
def create_calendar() -> str:
    """Make a new private URL (the old one stops working); it is shown this once."""
    feed, secret = calendar.create_feed(current_user, clock.now())
    db.session.commit()
    url = current_app.config["BASE_URL"].rstrip("/") + url_for(
        "web_notifications.calendar_feed", secret=secret
    )
    return render_template("notifications/calendar.html", feed=feed, feed_url=url)


@bp.route("/account/calendar/revoke", methods=["POST"])
def revoke_calendar() -> BaseResponse:
    try:
        calendar.revoke_feed(current_user, clock.now())
    except NotFound:
        db.session.rollback()
        flash(_("You have no calendar feed."), "error")
        return redirect(url_for("web_notifications.calendar_settings"))
    db.session.commit()
    flash(_("The calendar URL no longer works."), "success")
    return redirect(url_for("web_notifications.calendar_settings"))


@bp.route("/calendar/<secret>.ics")
def calendar_feed(secret: str) -> Response:
    """Public by design (calendar programs carry no cookie); the secret is the credential."""
    if len(secret) > 100:
        abort(404)
    now = clock.now()
    try:
        owner = calendar.feed_owner(secret, now)
    except NotFound:
        db.session.rollback()
        abort(404)
    with force_locale(owner.locale or "en"):
        deadlines = deadlines_for(owner, now, None)
        body = calendar.build_ics(
            deadlines,
            _("ARNet deadlines"),
            now,
            title=deadline_title,
            description=deadline_description,
        )
    db.session.commit()
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="arnet-deadlines.ics"'
    response.headers["Cache-Control"] = "no-store"
    return response
