"""Pages of formal requests: recording a draft, its contents, steps, enquiries and delays.

Each form is loaded with the API's input schema (``network.schemas.assistance``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from flask import current_app, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import Schema
from werkzeug.wrappers import Response

from network.assistance import contents, documents, enquiries, read_models
from network.assistance import requests as formal_requests
from network.assistance.access import access_request, acting_side
from network.core import clock
from network.extensions import db
from network.recovery import recognition
from network.schemas.assistance import (
    AnswerInput,
    DelayNoticeInput,
    EnquiryInput,
    RequestInput,
    RequestPatch,
    TransitionInput,
)
from network.schemas.recognition import RecognitionStepInput
from network.schemas.vocabularies import (
    RECOGNITION_KIND,
    REFUSAL_GROUNDS,
    REQUEST_DOCUMENT_KINDS,
)
from network.web.forms import Form, blank, version_seen
from network.web.tracking.overview import case_page
from network.web.tracking.pages import Page, act_on_form, bp, common_context


@bp.route("/cases/<int:case_id>/tracking/requests", methods=["POST"])
def new_request(case_id: int) -> Response | Page:
    return act_on_form(
        RequestInput(),
        lambda values: formal_requests.create_request(
            current_user, case_id, now=clock.now(), **values
        ),
        _("Draft request recorded."),
        lambda created: _back_to_request(created.id),
        lambda status, form: case_page(case_id, status, request_form=form),
    )


# --- a request -------------------------------------------------------------------------------


def _request_page(
    request_id: int, status: int = 200, form: Form | None = None, **extra: Any
) -> Page:
    now = clock.now()
    view = read_models.request_view(current_user, request_id, now)
    stored, scope = access_request(current_user, request_id)
    context = {
        **common_context(),
        "view": view,
        "recognition": (
            recognition.recognition_view(current_user, request_id, now)
            if stored.kind == RECOGNITION_KIND
            else None
        ),
        "side": acting_side(scope, stored),
        "documents": documents.request_documents(current_user, request_id),
        "document_kinds": REQUEST_DOCUMENT_KINDS,
        "attachment_max_bytes": current_app.config["ATTACHMENT_MAX_BYTES"],
        "checklist": contents.profile_checklist_for(stored),
        "labels": contents.items_for(stored.kind),
        "missing_labels": contents.MISSING_LABELS,
        "grounds": REFUSAL_GROUNDS,
        "form": form or blank(),
        "contents_form": blank(
            contents=view.contents,
            language=view.language or "",
            deadline_reason=view.deadline_reason,
        ),
        **extra,
    }
    db.session.commit()
    return render_template("tracking/request.html", **context), status


@bp.route("/requests/<int:request_id>")
def request_page(request_id: int) -> Page:
    return _request_page(request_id)


def _back_to_request(request_id: int) -> str:
    return url_for("web_tracking.request_page", request_id=request_id)


def _request_action(
    request_id: int,
    schema: Schema,
    action: Callable[[dict[str, Any]], object],
    success: str,
) -> Response | Page:
    """One change to a request from its page, which it shows again when refused."""
    back = _back_to_request(request_id)
    return act_on_form(schema, action, success, back, partial(_request_page, request_id))


# The contents form shows every item, so one left blank is cleared, as before.
_EDITED = ("contents", "language", "deadline_reason")


@bp.route("/requests/<int:request_id>/contents", methods=["POST"])
def edit_request(request_id: int) -> Response | Page:
    def save(values: dict[str, Any]) -> object:
        typed = values.get("contents", {})
        stored, _scope = access_request(current_user, request_id)
        changes = {
            "contents": {name: typed.get(name, "") for name in contents.items_for(stored.kind)},
            "language": values.get("language"),
            "deadline_reason": values.get("deadline_reason", ""),
        }
        return formal_requests.update_request(
            current_user, request_id, changes, clock.now(), version_seen()
        )

    return act_on_form(
        RequestPatch(only=_EDITED),
        save,
        _("Request saved."),
        _back_to_request(request_id),
        lambda status, form: _request_page(request_id, status, contents_form=form),
    )


@bp.route("/requests/<int:request_id>/transition", methods=["POST"])
def move_request(request_id: int) -> Response | Page:
    return _request_action(
        request_id,
        TransitionInput(),
        lambda values: formal_requests.transition(
            current_user, request_id, now=clock.now(), **values
        ),
        _("Status changed."),
    )


@bp.route("/requests/<int:request_id>/share", methods=["POST"])
def share_request(request_id: int) -> Response | Page:
    return _request_action(
        request_id,
        Schema(),  # nothing but the CSRF token
        lambda _values: formal_requests.share_draft_for_comment(
            current_user, request_id, clock.now()
        ),
        _("The draft was shared in the channel for comment."),
    )


@bp.route("/requests/<int:request_id>/enquiries", methods=["POST"])
def ask_status(request_id: int) -> Response | Page:
    return _request_action(
        request_id,
        EnquiryInput(),
        lambda values: enquiries.ask_status(
            current_user, request_id, values["question"], clock.now()
        ),
        _("Enquiry recorded."),
    )


@bp.route("/requests/<int:request_id>/enquiries/<int:enquiry_id>", methods=["POST"])
def answer_enquiry(request_id: int, enquiry_id: int) -> Response | Page:
    return _request_action(
        request_id,
        AnswerInput(),
        lambda values: enquiries.answer_enquiry(
            current_user, enquiry_id, values["answer"], clock.now(), request_id
        ),
        _("Answer recorded."),
    )


@bp.route("/requests/<int:request_id>/delays", methods=["POST"])
def delay_notice(request_id: int) -> Response | Page:
    return _request_action(
        request_id,
        DelayNoticeInput(),
        lambda values: enquiries.give_delay_notice(
            current_user, request_id, now=clock.now(), **values
        ),
        _("Delay notice recorded."),
    )


@bp.route("/requests/<int:request_id>/recognition", methods=["POST"])
def record_recognition_step(request_id: int) -> Response | Page:
    return _request_action(
        request_id,
        RecognitionStepInput(),
        lambda values: recognition.record_step(
            current_user, request_id, now=clock.now(), **values
        ),
        _("Court step recorded."),
    )
