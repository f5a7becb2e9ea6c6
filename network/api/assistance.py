"""/api/v1/cases/{id}/requests and /api/v1/requests/{id}: formal requests and their transitions."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_babel import gettext
from flask_login import current_user
from flask_smorest import Blueprint

from network.api.responses import ETAG, edits_version, if_match, page_answer, refuses, tagged
from network.api.uploads import declared_size, multipart_body, streamed_upload
from network.assistance import documents, enquiries, read_models
from network.assistance import requests as formal_requests
from network.assistance.read_models import RequestView
from network.core import clock
from network.core.errors import InvalidInput
from network.core.i18n import N_
from network.extensions import db
from network.recovery import recognition
from network.recovery.recognition import RecognitionView
from network.schemas.assistance import (
    AnswerInput,
    DelayNoticeInput,
    EnquiryInput,
    RequestDetailSchema,
    RequestDocumentInput,
    RequestDocumentSchema,
    RequestInput,
    RequestListSchema,
    RequestPatch,
    TransitionInput,
)
from network.schemas.common import PageArgs
from network.schemas.recognition import RecognitionSchema, RecognitionStepInput
from network.wiring import attachment_store

PREFIX = ""
blp = Blueprint(
    "assistance", __name__, description="Formal requests on a case (members of the case only)"
)


# --- routes ----------------------------------------------------------------------------------


def _detail(request_id: int) -> RequestView:
    view = read_models.request_view(current_user, request_id, clock.now())
    db.session.commit()
    view.checklist = [replace(each, label=gettext(each.label)) for each in view.checklist]
    return view


@blp.route("/cases/<int:case_id>/requests")
class CaseRequests(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, RequestListSchema)
    def get(self, args: dict[str, Any], case_id: int) -> dict[str, Any]:
        """The case's requests the caller's side may see, newest first."""
        items, total = read_models.list_requests(
            current_user, case_id, clock.now(), args["page"], args["per_page"]
        )
        db.session.commit()
        return page_answer(items, total, args["page"])

    @blp.arguments(RequestInput)
    @blp.response(201, RequestDetailSchema)
    @refuses(blp, 403)
    def post(self, data: dict[str, Any], case_id: int) -> RequestView:
        """Record a draft request from the requesting State to one of the requested States."""
        request = formal_requests.create_request(current_user, case_id, now=clock.now(), **data)
        return _detail(request.id)


@blp.route("/requests/<int:request_id>")
class RequestById(MethodView):
    @blp.response(200, RequestDetailSchema, headers=ETAG)
    def get(self, request_id: int) -> tuple[RequestView, dict[str, str]]:
        """One request with its contents, missing items, history, enquiries and delay notices."""
        view = _detail(request_id)
        return tagged(view, view.version)

    @blp.arguments(RequestPatch)
    @blp.response(200, RequestDetailSchema, headers=ETAG)
    @refuses(blp, 403, 409)
    @edits_version(blp)
    def patch(self, data: dict[str, Any], request_id: int) -> tuple[RequestView, dict[str, str]]:
        """Edit a request while the requesting side holds the pen (draft, shared, more info)."""
        formal_requests.update_request(current_user, request_id, data, clock.now(), if_match())
        view = _detail(request_id)
        return tagged(view, view.version)


@blp.route("/requests/<int:request_id>/transitions")
class Transitions(MethodView):
    @blp.arguments(TransitionInput)
    @blp.response(201, RequestDetailSchema)
    @blp.alt_response(
        409,
        description="Not allowed now (or another step came first): `errors.current` holds "
        "the status now, `errors.allowed` the next steps the caller's side may take. Sending "
        "a request that is not complete: reason `request_incomplete`, `errors.missing_items` "
        "the codes of the checklist's missing items.",
    )
    def post(self, data: dict[str, Any], request_id: int) -> RequestView:
        """Move the request one step of its lifecycle (refusal: grounds; postponement: until)."""
        formal_requests.transition(current_user, request_id, now=clock.now(), **data)
        return _detail(request_id)


@blp.route("/requests/<int:request_id>/share-for-comment")
class ShareForComment(MethodView):
    @blp.response(200, RequestDetailSchema)
    @refuses(blp, 409, 422)
    def post(self, request_id: int) -> RequestView:
        """Post the draft's summary into the requested State's channel and mark it shared."""
        formal_requests.share_draft_for_comment(current_user, request_id, clock.now())
        return _detail(request_id)


@blp.route("/requests/<int:request_id>/documents")
class RequestDocuments(MethodView):
    @blp.response(200, RequestDocumentSchema(many=True))
    def get(self, request_id: int) -> list[documents.RequestDocument]:
        """The signed request and the annexes filed with it, oldest first."""
        filed = documents.request_documents(current_user, request_id)
        db.session.commit()
        return filed

    @blp.doc(
        requestBody=multipart_body(
            kind={"type": "string", "enum": ["signed_request", "annex"], "example": "annex"}
        )
    )
    @blp.response(201, RequestDocumentSchema)
    @refuses(blp, 403, 413, 422, 507)
    def post(self, request_id: int) -> documents.RequestDocument:
        """File the signed request (requesting side) or an annex (either party): multipart,
        ``kind`` then ``file``, encrypted as it streams."""
        max_bytes = current_app.config["ATTACHMENT_MAX_BYTES"]
        upload, filename = streamed_upload(max_bytes)
        errors = RequestDocumentInput().validate(upload.fields)
        if errors:
            raise InvalidInput(N_("Some values are not valid."), errors)
        filed = documents.add_document(
            current_user,
            request_id,
            kind=upload.fields["kind"],
            filename=filename,
            stream=upload,
            declared_size=declared_size(upload),
            store=attachment_store(),
            max_bytes=max_bytes,
            now=clock.now(),
        )
        db.session.commit()
        return filed


@blp.route("/requests/<int:request_id>/enquiries")
class Enquiries(MethodView):
    @blp.arguments(EnquiryInput)
    @blp.response(201, RequestDetailSchema)
    @refuses(blp, 403, 409)
    def post(self, data: dict[str, Any], request_id: int) -> RequestView:
        """Ask the requested side how the request is progressing (46(24))."""
        enquiries.ask_status(current_user, request_id, data["question"], clock.now())
        return _detail(request_id)


@blp.route("/requests/<int:request_id>/enquiries/<int:enquiry_id>/answer")
class EnquiryAnswer(MethodView):
    @blp.arguments(AnswerInput)
    @blp.response(200, RequestDetailSchema)
    @refuses(blp, 403, 409)
    def post(self, data: dict[str, Any], request_id: int, enquiry_id: int) -> RequestView:
        """Answer a status enquiry (requested side, once)."""
        enquiries.answer_enquiry(current_user, enquiry_id, data["answer"], clock.now(), request_id)
        return _detail(request_id)


@blp.route("/requests/<int:request_id>/delay-notices")
class DelayNotices(MethodView):
    @blp.arguments(DelayNoticeInput)
    @blp.response(201, RequestDetailSchema)
    @refuses(blp, 403, 409)
    def post(self, data: dict[str, Any], request_id: int) -> RequestView:
        """Tell the requesting side that execution will take longer: how long and why."""
        enquiries.give_delay_notice(current_user, request_id, now=clock.now(), **data)
        return _detail(request_id)


@blp.route("/requests/<int:request_id>/recognition")
class Recognition(MethodView):
    @blp.response(200, RecognitionSchema)
    @refuses(blp, 409)
    def get(self, request_id: int) -> RecognitionView:
        """The court steps on a request for recognition of a foreign order (either side)."""
        view = recognition.recognition_view(current_user, request_id, clock.now())
        db.session.commit()
        return view

    @blp.arguments(RecognitionStepInput)
    @blp.response(201, RecognitionSchema)
    @refuses(blp, 403, 422)
    @blp.alt_response(
        409,
        description="Out of order (or another step came first): `errors.current` holds the "
        "last step, `errors.allowed` the steps that may follow it.",
    )
    def post(self, data: dict[str, Any], request_id: int) -> RecognitionView:
        """Record the next step the requested State's courts took (requested side only)."""
        now = clock.now()
        recognition.record_step(current_user, request_id, now=now, **data)
        view = recognition.recognition_view(current_user, request_id, now)
        db.session.commit()
        return view
