"""/api/v1/disclosures: art. 56 disclosures and art. 52(2)(b) notifications, sent and received.

A notification's details (``/notification``) and the results its financial institutions
reported back (``/results``) are recorded by the notifying State and shown on the notification.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from network.api.responses import ETAG, edits_version, if_match, page_answer, refuses, tagged
from network.core import clock
from network.disclosures import institutions
from network.disclosures import service as disclosures
from network.extensions import db
from network.schemas.disclosures import (
    DisclosureDetailSchema,
    DisclosureInput,
    DisclosureListArgs,
    DisclosureListSchema,
    FollowUpInput,
    NoteInput,
    NotificationDetailsInput,
    NotificationResultInput,
    OpenCaseInput,
)

PREFIX = "/disclosures"
blp = Blueprint(
    "disclosures",
    __name__,
    description="Disclosures and notifications (the sending and receiving States only)",
)


# --- routes ----------------------------------------------------------------------------------


def _detail(disclosure_id: int) -> disclosures.DisclosureView:
    view = disclosures.disclosure_view(current_user, disclosure_id, clock.now())
    db.session.commit()
    return view


@blp.route("")
class Disclosures(MethodView):
    @blp.arguments(DisclosureListArgs, location="query")
    @blp.response(200, DisclosureListSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """What the caller's State sent and received (``?box=sent|received``), newest first."""
        items, total = disclosures.list_disclosures(
            current_user, args["box"], args["page"], args["per_page"]
        )
        return page_answer(items, total, args["page"])

    @blp.arguments(DisclosureInput)
    @blp.response(201, DisclosureDetailSchema)
    @refuses(blp, 403, 404)
    def post(self, data: dict[str, Any]) -> disclosures.DisclosureView:
        """Send a disclosure or notification from the caller's State to another State."""
        disclosure = disclosures.send_disclosure(current_user, now=clock.now(), **data)
        return _detail(disclosure.id)


@blp.route("/<int:disclosure_id>")
class DisclosureById(MethodView):
    @blp.response(200, DisclosureDetailSchema, headers=ETAG)
    def get(self, disclosure_id: int) -> tuple[disclosures.DisclosureView, dict[str, str]]:
        """One disclosure with its summary, subjects and history."""
        view = _detail(disclosure_id)
        return tagged(view, view.version)


@blp.route("/<int:disclosure_id>/acknowledge")
class Acknowledge(MethodView):
    @blp.arguments(NoteInput)
    @blp.response(200, DisclosureDetailSchema)
    @refuses(blp, 403, 409)
    def post(self, data: dict[str, Any], disclosure_id: int) -> disclosures.DisclosureView:
        """The receiving State acknowledges the disclosure."""
        disclosures.acknowledge(current_user, disclosure_id, data["note"], now=clock.now())
        return _detail(disclosure_id)


@blp.route("/<int:disclosure_id>/no-action")
class NoAction(MethodView):
    @blp.arguments(NoteInput)
    @blp.response(200, DisclosureDetailSchema)
    @refuses(blp, 403, 409)
    def post(self, data: dict[str, Any], disclosure_id: int) -> disclosures.DisclosureView:
        """The receiving State records that nothing came of it (for now)."""
        disclosures.mark_no_action(current_user, disclosure_id, data["note"], now=clock.now())
        return _detail(disclosure_id)


@blp.route("/<int:disclosure_id>/follow-up")
class FollowUp(MethodView):
    @blp.arguments(FollowUpInput)
    @blp.response(200, DisclosureDetailSchema)
    @refuses(blp, 403, 409)
    def post(self, data: dict[str, Any], disclosure_id: int) -> disclosures.DisclosureView:
        """Link the case or request the disclosure led to."""
        disclosures.follow_up(
            current_user,
            disclosure_id,
            case_id=data["case"],
            request_id=data["request"],
            note=data["note"],
            now=clock.now(),
        )
        return _detail(disclosure_id)


@blp.route("/<int:disclosure_id>/open-case")
class OpenCase(MethodView):
    @blp.arguments(OpenCaseInput)
    @blp.response(201, DisclosureDetailSchema)
    @refuses(blp, 403, 409)
    def post(self, data: dict[str, Any], disclosure_id: int) -> disclosures.DisclosureView:
        """Open a case toward the sending State in one action; ``led_to_case`` names it."""
        disclosures.open_case_from_disclosure(
            current_user, disclosure_id, clock.now(), title=data["title"]
        )
        return _detail(disclosure_id)


@blp.route("/<int:disclosure_id>/notification")
class NotificationDetails(MethodView):
    @blp.arguments(NotificationDetailsInput)
    @blp.response(200, DisclosureDetailSchema, headers=ETAG)
    @refuses(blp, 403, 409)
    @edits_version(blp)
    def put(
        self, data: dict[str, Any], disclosure_id: int
    ) -> tuple[disclosures.DisclosureView, dict[str, str]]:
        """Say what the financial institutions were told: date, scope, period, persons, accounts.

        Only the notifying State; the details given replace the ones recorded. ``If-Match``
        names the notification's ETag the details were edited from.
        """
        institutions.describe_notification(
            current_user, disclosure_id, data, now=clock.now(), expected_version=if_match()
        )
        view = _detail(disclosure_id)
        return tagged(view, view.version)


@blp.route("/<int:disclosure_id>/results")
class NotificationResults(MethodView):
    @blp.arguments(NotificationResultInput)
    @blp.response(201, DisclosureDetailSchema)
    @refuses(blp, 403, 409)
    def post(self, data: dict[str, Any], disclosure_id: int) -> disclosures.DisclosureView:
        """Record what a financial institution reported back; listed on the notification."""
        institutions.record_result(current_user, disclosure_id, now=clock.now(), **data)
        return _detail(disclosure_id)
