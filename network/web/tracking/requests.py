"""Pages of formal requests: recording a draft, its contents, steps, enquiries and delays."""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from network.assistance import contents, enquiries, read_models
from network.assistance import requests as formal_requests
from network.assistance.access import access_request, acting_side
from network.core import clock
from network.extensions import db
from network.schemas.vocabularies import REFUSAL_GROUNDS
from network.web.tracking.overview import case_page
from network.web.tracking.pages import (
    Page,
    act,
    bp,
    common_context,
    field_date,
    field_integer,
    field_optional,
    field_text,
)


@bp.route("/cases/<int:case_id>/tracking/requests", methods=["POST"])
def new_request(case_id: int) -> Response | Page:
    def create() -> None:
        created = formal_requests.create_request(
            current_user,
            case_id,
            kind=field_text("kind"),
            requested_state=field_optional("requested_state"),
            legal_basis=field_text("legal_basis"),
            legal_basis_text=field_text("legal_basis_text"),
            transmission_channel=field_text("transmission_channel"),
            reference=field_text("reference"),
            urgent=bool(request.form.get("urgent")),
            deadline_on=field_date("deadline_on"),
            deadline_reason=field_text("deadline_reason"),
            now=clock.now(),
        )
        holder["id"] = created.id

    holder: dict[str, int] = {}
    result = act(create, _("Draft request recorded."), "", lambda **kw: case_page(case_id, **kw))
    if isinstance(result, Response):
        return redirect(url_for("web_tracking.request_page", request_id=holder["id"]))
    return result


# --- a request -------------------------------------------------------------------------------


def _request_page(request_id: int, status: int = 200, **extra: Any) -> Page:
    view = read_models.request_view(current_user, request_id, clock.now())
    stored, scope = access_request(current_user, request_id)
    context = {
        **common_context(),
        "view": view,
        "side": acting_side(scope, stored),
        "checklist": contents.profile_checklist_for(stored),
        "labels": contents.CONTENT_FIELDS,
        "missing_labels": contents.MISSING_LABELS,
        "grounds": REFUSAL_GROUNDS,
        **extra,
    }
    db.session.commit()
    return render_template("tracking/request.html", **context), status


@bp.route("/requests/<int:request_id>")
def request_page(request_id: int) -> Page:
    return _request_page(request_id)


def _back_to_request(request_id: int) -> str:
    return url_for("web_tracking.request_page", request_id=request_id)


@bp.route("/requests/<int:request_id>/contents", methods=["POST"])
def edit_request(request_id: int) -> Response | Page:
    items = {name: field_text(f"contents.{name}") for name in contents.CONTENT_FIELDS}
    return act(
        lambda: formal_requests.update_request(
            current_user,
            request_id,
            {
                "contents": items,
                "language": field_optional("language"),
                "deadline_reason": field_text("deadline_reason"),
            },
            clock.now(),
        ),
        _("Request saved."),
        _back_to_request(request_id),
        lambda **kw: _request_page(request_id, **kw),
    )


@bp.route("/requests/<int:request_id>/transition", methods=["POST"])
def move_request(request_id: int) -> Response | Page:
    return act(
        lambda: formal_requests.transition(
            current_user,
            request_id,
            to=field_text("to"),
            reason=field_text("reason"),
            grounds=field_optional("grounds"),
            until=field_date("until"),
            now=clock.now(),
        ),
        _("Status changed."),
        _back_to_request(request_id),
        lambda **kw: _request_page(request_id, **kw),
    )


@bp.route("/requests/<int:request_id>/share", methods=["POST"])
def share_request(request_id: int) -> Response | Page:
    return act(
        lambda: formal_requests.share_draft_for_comment(current_user, request_id, clock.now()),
        _("The draft was shared in the channel for comment."),
        _back_to_request(request_id),
        lambda **kw: _request_page(request_id, **kw),
    )


@bp.route("/requests/<int:request_id>/enquiries", methods=["POST"])
def ask_status(request_id: int) -> Response | Page:
    return act(
        lambda: enquiries.ask_status(current_user, request_id, field_text("question"), clock.now()),
        _("Enquiry recorded."),
        _back_to_request(request_id),
        lambda **kw: _request_page(request_id, **kw),
    )


@bp.route("/requests/<int:request_id>/enquiries/<int:enquiry_id>", methods=["POST"])
def answer_enquiry(request_id: int, enquiry_id: int) -> Response | Page:
    return act(
        lambda: enquiries.answer_enquiry(
            current_user, enquiry_id, field_text("answer"), clock.now(), request_id
        ),
        _("Answer recorded."),
        _back_to_request(request_id),
        lambda **kw: _request_page(request_id, **kw),
    )


@bp.route("/requests/<int:request_id>/delays", methods=["POST"])
def delay_notice(request_id: int) -> Response | Page:
    return act(
        lambda: enquiries.give_delay_notice(
            current_user,
            request_id,
            delay_days=field_integer("delay_days") or 0,
            reason=field_text("reason"),
            expected_on=field_date("expected_on"),
            now=clock.now(),
        ),
        _("Delay notice recorded."),
        _back_to_request(request_id),
        lambda **kw: _request_page(request_id, **kw),
    )
