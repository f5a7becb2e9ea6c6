"""The signed-in home page."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

bp = Blueprint("web_home", __name__)


@bp.route("/")
def home() -> str:
    from network.core import clock
    from network.notifications.dashboard import dashboard

    board = dashboard(current_user, clock.now()) if current_user.state_code else None
    return render_template("home.html", board=board)

