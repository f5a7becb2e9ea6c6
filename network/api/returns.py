"""/api/v1: a case's confiscation orders and its returns under article 57."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from network.api.responses import page_answer, refuses
from network.core import clock
from network.extensions import db
from network.recovery import confiscations, return_lines, returns
from network.recovery.confiscations import ConfiscationView
from network.recovery.return_views import ReturnView
from network.schemas import returns as schemas
from network.schemas.common import PageArgs

PREFIX = ""
blp = Blueprint(
    "returns",
    __name__,
    description="Confiscation orders and returns of confiscated assets, art. 57 (members only)",
)


def _page(items: list[Any], args: dict[str, Any]) -> dict[str, Any]:
    start = (args["page"] - 1) * args["per_page"]
    return page_answer(items[start : start + args["per_page"]], len(items), args["page"])


def _confiscation(confiscation_id: int) -> ConfiscationView:
    view = confiscations.confiscation_view(current_user, confiscation_id, clock.now())
    db.session.commit()
    return view


def _return(return_id: int) -> ReturnView:
    view = returns.return_view(current_user, return_id, clock.now())
    db.session.commit()
    return view


@blp.route("/cases/<int:case_id>/confiscations")
class CaseConfiscations(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, schemas.ConfiscationListSchema)
    def get(self, args: dict[str, Any], case_id: int) -> dict[str, Any]:
        """The case's confiscation orders the caller's side may see."""
        items = confiscations.list_confiscations(current_user, case_id)
        db.session.commit()
        return _page(items, args)

    @blp.arguments(schemas.ConfiscationInput)
    @blp.response(201, schemas.ConfiscationSchema)
    @refuses(blp, 403)
    def post(self, data: dict[str, Any], case_id: int) -> ConfiscationView:
        """Record a confiscation order: reference, date, finality, the assets and amounts taken."""
        row = confiscations.record_confiscation(current_user, case_id, now=clock.now(), **data)
        return _confiscation(row.id)


@blp.route("/confiscations/<int:confiscation_id>")
class ConfiscationById(MethodView):
    @blp.response(200, schemas.ConfiscationSchema)
    def get(self, confiscation_id: int) -> ConfiscationView:
        """One confiscation order with the assets and amounts it took."""
        return _confiscation(confiscation_id)


@blp.route("/confiscations/<int:confiscation_id>/finality")
class ConfiscationFinality(MethodView):
    @blp.arguments(schemas.FinalityInput)
    @blp.response(200, schemas.ConfiscationSchema)
    @refuses(blp, 403, 409)
    def post(self, data: dict[str, Any], confiscation_id: int) -> ConfiscationView:
        """Record the day an order under appeal became final."""
        confiscations.record_finality(current_user, confiscation_id, now=clock.now(), **data)
        return _confiscation(confiscation_id)


@blp.route("/cases/<int:case_id>/returns")
class CaseReturns(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, schemas.CaseReturnListSchema)
    def get(self, args: dict[str, Any], case_id: int) -> dict[str, Any]:
        """The case's returns the caller's side may see, with their lines and milestones."""
        items = returns.list_returns(current_user, case_id)
        db.session.commit()
        return _page(items, args)

    @blp.arguments(schemas.CaseReturnInput)
    @blp.response(201, schemas.CaseReturnSchema)
    @refuses(blp, 403)
    def post(self, data: dict[str, Any], case_id: int) -> ReturnView:
        """Open the return of what a confiscation order took: basis (57(3)), arrangement (57(5))."""
        row = returns.open_return(current_user, case_id, now=clock.now(), **data)
        return _return(row.id)


@blp.route("/returns/<int:return_id>")
class ReturnById(MethodView):
    @blp.response(200, schemas.CaseReturnSchema)
    def get(self, return_id: int) -> ReturnView:
        """One return: arrangement, expenses, transfers, beneficiaries, compensation, milestones."""
        return _return(return_id)


@blp.route("/returns/<int:return_id>/steps")
class ReturnSteps(MethodView):
    @blp.arguments(schemas.ArrangementStepInput)
    @blp.response(200, schemas.CaseReturnSchema)
    @refuses(blp, 403, 409)
    def post(self, data: dict[str, Any], return_id: int) -> ReturnView:
        """Date the arrangement's next step: draft shared for comment, terms agreed, signed."""
        returns.record_arrangement_step(current_user, return_id, now=clock.now(), **data)
        return _return(return_id)


@blp.route("/returns/<int:return_id>/lines")
class ReturnLines(MethodView):
    @blp.arguments(schemas.ReturnLineInput)
    @blp.response(201, schemas.CaseReturnSchema)
    @refuses(blp, 403, 409)
    def post(self, data: dict[str, Any], return_id: int) -> ReturnView:
        """Add an expense deducted (57(4)), a transfer, a beneficiary or a victim's compensation."""
        return_lines.add_line(current_user, return_id, now=clock.now(), **data)
        return _return(return_id)


@blp.route("/return-lines/<int:line_id>")
class ReturnLineById(MethodView):
    @blp.response(200, schemas.CaseReturnSchema)
    @refuses(blp, 403)
    def delete(self, line_id: int) -> ReturnView:
        """Remove a line recorded by mistake (the audit keeps what it was)."""
        row = return_lines.remove_line(current_user, line_id, clock.now())
        return _return(row.id)


@blp.route("/returns/<int:return_id>/milestones")
class ReturnMilestones(MethodView):
    @blp.arguments(schemas.MilestoneInput)
    @blp.response(201, schemas.CaseReturnSchema)
    @refuses(blp, 403)
    def post(self, data: dict[str, Any], return_id: int) -> ReturnView:
        """Add a follow-up milestone the parties agreed: a deadline of both sides."""
        return_lines.add_milestone(current_user, return_id, now=clock.now(), **data)
        return _return(return_id)


@blp.route("/return-milestones/<int:milestone_id>/done")
class MilestoneDone(MethodView):
    @blp.arguments(schemas.MilestoneDoneInput)
    @blp.response(200, schemas.CaseReturnSchema)
    @refuses(blp, 403, 409)
    def post(self, data: dict[str, Any], milestone_id: int) -> ReturnView:
        """Record that a milestone was met; it leaves the deadline lists."""
        milestone = return_lines.complete_milestone(
            current_user, milestone_id, now=clock.now(), **data
        )
        return _return(milestone.return_id)
