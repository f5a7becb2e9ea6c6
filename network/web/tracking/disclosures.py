"""Pages of article 56 disclosures: the boxes, sending one, its status, a case opened from it.

A 52(2)(b) notification's page also shows, and lets its notifying State record, what the
financial institutions were told and the results they reported back.

Each form is loaded with the API's input schema (``network.schemas.disclosures``).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import Schema
from werkzeug.wrappers import Response

from network.assistance.read_models import list_requests
from network.cases import listing
from network.cases.references import case_reference
from network.core import clock
from network.core.types import stored_int
from network.disclosures import institutions
from network.disclosures import service as disclosures
from network.disclosures.details import NotificationView
from network.extensions import db
from network.schemas.disclosures import (
    DisclosureInput,
    FollowUpInput,
    NoteInput,
    NotificationDetailsInput,
    NotificationResultInput,
    OpenCaseInput,
)
from network.schemas.vocabularies import DISCLOSURE_KINDS, DISCLOSURE_SUBJECT_ROLES, HANDLING_CODES
from network.web.forms import Form, blank, version_seen
from network.web.tracking.pages import Page, act_on_form, bp, common_context, request_choice


def _disclosures_page(status: int = 200, form: Form | None = None) -> Page:
    box = request.args.get("box") if request.args.get("box") in {"sent", "received"} else None
    page = max(1, request.args.get("page", 1, type=stored_int))
    items, total = disclosures.list_disclosures(current_user, box, page, 50)
    context = {
        **common_context(),
        "items": items,
        "total": total,
        "box": box,
        "page": page,
        "pages": max(1, -(-total // 50)),
        "kinds": DISCLOSURE_KINDS,
        "handling_codes": HANDLING_CODES,
        "roles": DISCLOSURE_SUBJECT_ROLES,
        "may_send": current_user.role in {"practitioner", "national_admin"}
        and current_user.state_code is not None,
        "form": form or blank(handling_code="H0"),
    }
    return render_template("tracking/disclosures.html", **context), status


@bp.route("/disclosures")
def disclosure_list() -> Page:
    return _disclosures_page()


@bp.route("/disclosures", methods=["POST"])
def send_disclosure() -> Response | Page:
    return act_on_form(
        DisclosureInput(),
        lambda values: disclosures.send_disclosure(current_user, now=clock.now(), **values),
        _("Disclosure sent."),
        lambda sent: url_for("web_tracking.disclosure_page", disclosure_id=sent.id),
        _disclosures_page,
    )


# The follow-up form offers the reader's most recent cases, and their requests, to choose from.
FOLLOW_UP_CASES = 50


def _follow_up_choices() -> dict[str, Any]:
    """The reader's own cases by title and their requests, for "followed up" to point at."""
    cases, _total = listing.my_cases(current_user, 1, FOLLOW_UP_CASES, lambda _ids: {})
    now = clock.now()
    case_choices: list[tuple[int, str]] = []
    request_choices: list[tuple[int, str]] = []
    for case in cases:
        name = f"{case.title or _('case #%(id)s', id=case.id)} · "
        name += case_reference(case.id, current_user.state_code)
        case_choices.append((case.id, name))
        items, _count = list_requests(current_user, case.id, now, 1, 200)
        request_choices.extend((item.id, f"{request_choice(item)} ({name})") for item in items)
    return {"case_choices": case_choices, "request_choices": request_choices}


def _described(notification: NotificationView | None) -> Form:
    """The details form filled with what the notification records now."""
    if notification is None:
        return blank()
    return blank(
        notified_on=notification.notified_on or "",
        scope=notification.scope,
        period_start=notification.period_start or "",
        period_end=notification.period_end or "",
        persons=[
            {key: value for key, value in each.items() if value is not None}
            for each in notification.persons
        ],
        accounts=[
            {key: value for key, value in each.items() if value is not None}
            for each in notification.accounts
        ],
    )


def _disclosure_page(
    disclosure_id: int, status: int = 200, form: Form | None = None, *, describing: bool = False
) -> Page:
    """The disclosure; ``describing`` when ``form`` is the notification details form as typed."""
    view = disclosures.disclosure_view(current_user, disclosure_id, clock.now())
    context = {
        **common_context(),
        "disclosure": view,
        "form": (None if describing else form) or blank(),
        "details_form": form if describing and form else _described(view.notification),
    }
    if "followed_up" in view.allowed_statuses:
        context.update(_follow_up_choices())
    db.session.commit()
    return render_template("tracking/disclosure.html", **context), status


@bp.route("/disclosures/<int:disclosure_id>")
def disclosure_page(disclosure_id: int) -> Page:
    return _disclosure_page(disclosure_id)


# The status a page's button asks for, and the service step that records it.
_NOTED = {"acknowledged": disclosures.acknowledge, "no_action": disclosures.mark_no_action}


@bp.route("/disclosures/<int:disclosure_id>/status", methods=["POST"])
def disclosure_status(disclosure_id: int) -> Response | Page:
    noted = _NOTED.get(request.form.get("to", ""))

    def run(values: dict[str, Any]) -> object:
        if noted is not None:
            return noted(current_user, disclosure_id, values["note"], now=clock.now())
        return disclosures.follow_up(
            current_user,
            disclosure_id,
            case_id=values["case"],
            request_id=values["request"],
            note=values["note"],
            now=clock.now(),
        )

    schema: Schema = NoteInput() if noted is not None else FollowUpInput()
    return act_on_form(
        schema,
        run,
        _("Status changed."),
        url_for("web_tracking.disclosure_page", disclosure_id=disclosure_id),
        partial(_disclosure_page, disclosure_id),
    )


@bp.route("/disclosures/<int:disclosure_id>/open-case", methods=["POST"])
def disclosure_open_case(disclosure_id: int) -> Response | Page:
    return act_on_form(
        OpenCaseInput(),
        lambda values: disclosures.open_case_from_disclosure(
            current_user, disclosure_id, clock.now(), title=values["title"]
        ),
        _("Case opened."),
        lambda case: url_for("web_tracking.case_tracking", case_id=case.id),
        partial(_disclosure_page, disclosure_id),
    )


@bp.route("/disclosures/<int:disclosure_id>/notification", methods=["POST"])
def describe_notification(disclosure_id: int) -> Response | Page:
    return act_on_form(
        NotificationDetailsInput(),
        lambda values: institutions.describe_notification(
            current_user, disclosure_id, values, now=clock.now(), expected_version=version_seen()
        ),
        _("Notification details saved."),
        url_for("web_tracking.disclosure_page", disclosure_id=disclosure_id),
        partial(_disclosure_page, disclosure_id, describing=True),
    )


@bp.route("/disclosures/<int:disclosure_id>/results", methods=["POST"])
def record_result(disclosure_id: int) -> Response | Page:
    return act_on_form(
        NotificationResultInput(),
        lambda values: institutions.record_result(
            current_user, disclosure_id, now=clock.now(), **values
        ),
        _("Result recorded."),
        url_for("web_tracking.disclosure_page", disclosure_id=disclosure_id) + "#results-heading",
        partial(_disclosure_page, disclosure_id),
    )
