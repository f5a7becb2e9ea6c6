"""/api/v1/deadlines: the caller's upcoming and lapsed deadlines."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from network.api.responses import page_answer
from network.core import clock
from network.notifications.deadlines import deadlines_page
from network.schemas.notifications import DeadlineArgs, DeadlineListSchema

PREFIX = "/deadlines"
blp = Blueprint("deadlines", __name__, description="Deadlines of the caller's cases")


@blp.route("")
class Deadlines(MethodView):
    @blp.arguments(DeadlineArgs, location="query")
    @blp.response(200, DeadlineListSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Deadlines within ``within_days`` (default 30) and every lapsed one, soonest first.

        Paged like every list (``page``, ``per_page``, 50 by default); ``total`` counts them all.
        """
        items, total = deadlines_page(
            current_user, clock.now(), args["within_days"], args["page"], args["per_page"]
        )
        return page_answer(items, total, args["page"])
