"""/api/v1/cases/{id}/asks and /api/v1/asks: asks with a due date, and their answers."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from network.api.responses import page_answer, refuses
from network.asks import read_models, service
from network.asks.read_models import AskView
from network.core import clock
from network.extensions import db
from network.schemas.asks import AskAnswerInput, AskArgs, AskInput, AskListSchema, AskSchema
from network.schemas.common import PageArgs

PREFIX = ""
blp = Blueprint(
    "asks", __name__, description="Asks between the sides of a case, due by a date, and answers"
)


def _detail(ask_id: int) -> AskView:
    view = read_models.ask_view(current_user, ask_id, clock.now())
    db.session.commit()
    return view


def _page(args: dict[str, Any], case_id: int | None, open_only: bool) -> dict[str, Any]:
    items, total = read_models.list_asks(
        current_user,
        clock.now(),
        case_id=case_id,
        open_only=open_only,
        page=args["page"],
        per_page=args["per_page"],
    )
    db.session.commit()
    return page_answer(items, total, args["page"])


@blp.route("/cases/<int:case_id>/asks")
class CaseAsks(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, AskListSchema)
    def get(self, args: dict[str, Any], case_id: int) -> dict[str, Any]:
        """The case's asks the caller's side may see, open ones first, soonest due first."""
        return _page(args, case_id, open_only=False)

    @blp.arguments(AskInput)
    @blp.response(201, AskSchema)
    @refuses(blp, 403)
    def post(self, data: dict[str, Any], case_id: int) -> AskView:
        """Ask the other side of a channel for an extension, a consent, information or a call."""
        ask = service.create_ask(current_user, case_id, now=clock.now(), **data)
        return _detail(ask.id)


@blp.route("/asks")
class Asks(MethodView):
    @blp.arguments(AskArgs, location="query")
    @blp.response(200, AskListSchema)
    @refuses(blp, 404)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """The caller's asks, asked and to answer, open ones first, soonest due first.

        With ``case``, only that case's: one the caller is not in is "No such case." (404).
        """
        return _page(args, args["case"], open_only=args["open"])


@blp.route("/asks/<int:ask_id>")
class AskById(MethodView):
    @blp.response(200, AskSchema)
    def get(self, ask_id: int) -> AskView:
        """One ask with its answer, if given."""
        return _detail(ask_id)


@blp.route("/asks/<int:ask_id>/answer")
class AskAnswer(MethodView):
    @blp.arguments(AskAnswerInput)
    @blp.response(200, AskSchema)
    @refuses(blp, 403)
    @blp.alt_response(
        409,
        description="Already answered (perhaps by another answer given at the same moment): "
        "`errors.current` holds the outcome, `errors.allowed` is empty.",
    )
    def post(self, data: dict[str, Any], ask_id: int) -> AskView:
        """Answer an ask of the other side, once: granted, refused (with a reason) or answered."""
        service.answer_ask(current_user, ask_id, now=clock.now(), **data)
        return _detail(ask_id)
