"""/api/v1/cases: the caller's cases, opening one, team and history, reference, stage, search."""

from __future__ import annotations

from functools import partial
from typing import Any

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from network.api.responses import ETAG, edits_version, if_match, page_answer, refuses, tagged
from network.cases import listing, opening, references, seating, tables, team
from network.core import clock
from network.extensions import db
from network.messages import reading
from network.schemas.cases import (
    CaseDetailSchema,
    CaseInput,
    CaseListSchema,
    CasePatch,
    ChannelRefSchema,
    HistoryListSchema,
    MessageSearchArgs,
    MessageSearchResultSchema,
    TableInput,
    TeamMemberInput,
)
from network.schemas.common import PageArgs

PREFIX = "/cases"
blp = Blueprint("cases", __name__, description="Cases and their teams (members only)")


# --- routes ----------------------------------------------------------------------------------


def _case(case_id: int) -> listing.CaseView:
    """The case as the caller sees it, with the caller's unread count joined from messages."""
    unread = reading.unread_counts(current_user, [case_id]).get(case_id, 0)
    return listing.case_view(current_user, case_id, unread)


@blp.route("")
class Cases(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, CaseListSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """The caller's cases, newest first, with unread counts and stage."""
        unread = partial(reading.unread_counts, current_user)
        items, total = listing.my_cases(current_user, args["page"], args["per_page"], unread)
        db.session.commit()
        return page_answer(items, total, args["page"])

    @blp.arguments(CaseInput)
    @blp.response(201, CaseDetailSchema)
    @refuses(blp, 403, 404)
    def post(self, data: dict[str, Any]) -> listing.CaseView:
        """Open a case toward one or more requested States, with counterparts of those States."""
        case = opening.open_case(current_user, now=clock.now(), **data)
        view = _case(case.id)
        db.session.commit()
        return view


@blp.route("/<int:case_id>")
class CaseById(MethodView):
    @blp.response(200, CaseDetailSchema, headers=ETAG)
    def get(self, case_id: int) -> tuple[listing.CaseView, dict[str, str]]:
        """One case as the caller's side sees it; 404 for anyone not in it."""
        view = _case(case_id)
        db.session.commit()
        return tagged(view, view.version)

    @blp.arguments(CasePatch)
    @blp.response(200, CaseDetailSchema, headers=ETAG)
    @refuses(blp, 403, 409)
    @edits_version(blp)
    def patch(
        self, data: dict[str, Any], case_id: int
    ) -> tuple[listing.CaseView, dict[str, str]]:
        """Set the caller's State's own reference and/or move the case's stage."""
        now = clock.now()
        expected = if_match()  # held to the first change; the second follows from it
        if "reference" in data:
            references.set_own_reference(current_user, case_id, data["reference"], now, expected)
            expected = None
        if "stage" in data:
            opening.change_stage(
                current_user, case_id, data["stage"], data["reason"], now, expected
            )
        view = _case(case_id)
        db.session.commit()
        return tagged(view, view.version)


@blp.route("/<int:case_id>/team")
class Team(MethodView):
    @blp.arguments(TeamMemberInput)
    @blp.response(201, CaseDetailSchema)
    @refuses(blp, 403, 409)
    def post(self, data: dict[str, Any], case_id: int) -> listing.CaseView:
        """Add a colleague of the caller's State to its side; the side's team is told at once.

        A national administrator who seats themself gives a ``reason`` (break-glass),
        quoted in the notice; without one the answer is 422.
        """
        team.add_team_member(current_user, case_id, data["user"], clock.now(), data["reason"])
        view = _case(case_id)
        db.session.commit()
        return view


@blp.route("/<int:case_id>/channels")
class Channels(MethodView):
    @blp.arguments(TableInput)
    @blp.response(201, ChannelRefSchema)
    @refuses(blp, 403, 409)
    def post(self, data: dict[str, Any], case_id: int) -> listing.ChannelSummary:
        """Open a multilateral channel with two or more of the case's requested States.

        Only the requesting side opens one; each invited State joins only by accepting
        (``/channels/{id}/accept``). A table of the same States that none of them
        declined answers 409.
        """
        table = tables.open_table(current_user, case_id, data["requested_states"], clock.now())
        answer = listing.ChannelSummary(
            table.id, None, table.kind, tables.parties_of(table)
        )
        db.session.commit()
        return answer


@blp.route("/<int:case_id>/team/<int:user_id>")
class TeamMember(MethodView):
    @blp.response(204)
    @refuses(blp, 403, 409)
    def delete(self, case_id: int, user_id: int) -> None:
        """Take a colleague off the caller's side; their channels close to them at once."""
        team.remove_team_member(current_user, case_id, user_id, clock.now())
        db.session.commit()


@blp.route("/<int:case_id>/leave")
class Leave(MethodView):
    @blp.response(204)
    @refuses(blp, 409)
    def post(self, case_id: int) -> None:
        """The caller leaves the case (team seat and observer seats)."""
        team.leave_case(current_user, case_id, clock.now())
        db.session.commit()


@blp.route("/<int:case_id>/history")
class History(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, HistoryListSchema)
    @refuses(blp, 403)
    def get(self, args: dict[str, Any], case_id: int) -> dict[str, Any]:
        """Who joined or left the caller's sides and channels, newest first (parties only)."""
        items, total = seating.case_history(current_user, case_id, args["page"], args["per_page"])
        db.session.commit()
        return page_answer(items, total, args["page"])


@blp.route("/<int:case_id>/search")
class CaseSearch(MethodView):
    @blp.arguments(MessageSearchArgs, location="query")
    @blp.response(200, MessageSearchResultSchema)
    def get(self, args: dict[str, Any], case_id: int) -> dict[str, Any]:
        """Messages of the case's channels the caller belongs to that contain ``q``."""
        hits = reading.search_messages(current_user, case_id, args["q"])
        db.session.commit()
        return page_answer(hits, len(hits))
