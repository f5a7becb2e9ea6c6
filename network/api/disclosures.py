"""/api/v1/disclosures: art. 56 disclosures and art. 52(2)(b) notifications, sent and received."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from network.api.assistance import PersonRefSchema
from network.api.responses import refuses
from network.core import clock
from network.disclosures import service as disclosures
from network.extensions import db
from network.schemas.common import PageArgs, StoredInteger, integrity_field
from network.schemas.vocabularies import (
    DISCLOSURE_KINDS,
    DISCLOSURE_SUBJECT_ROLES,
    HANDLING_CODES,
    INFORMATION_GRADES,
    SOURCE_GRADES,
)

PREFIX = "/disclosures"
blp = Blueprint(
    "disclosures",
    __name__,
    description="Disclosures and notifications (the sending and receiving States only)",
)


# --- output ----------------------------------------------------------------------------------


class DisclosureSubjectSchema(Schema):
    name = fields.String()
    role = fields.String()


class DisclosureStepSchema(Schema):
    from_status = fields.String(data_key="from", allow_none=True)
    to_status = fields.String(data_key="to")
    note = fields.String(allow_none=True)
    actor = fields.Nested(PersonRefSchema, allow_none=True)
    actor_state = fields.String(allow_none=True)
    at = fields.DateTime()
    integrity = integrity_field()


class DisclosureSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    direction = fields.String(metadata={"description": "sent or received, for the caller"})
    from_state = fields.String()
    to_state = fields.String()
    reference = fields.String()
    handling_code = fields.String()
    source_grade = fields.String(allow_none=True)
    information_grade = fields.String(allow_none=True)
    status = fields.String()
    status_since = fields.DateTime()
    led_to_case = fields.Integer(attribute="led_to_case_id", allow_none=True)
    led_to_request = fields.Integer(attribute="led_to_request_id", allow_none=True)
    sent_by = fields.Nested(PersonRefSchema, allow_none=True)
    sent_at = fields.DateTime()
    allowed_statuses = fields.List(fields.String())


class DisclosureDetailSchema(DisclosureSchema):
    summary = fields.String()
    subjects = fields.List(fields.Nested(DisclosureSubjectSchema))
    handling_note = fields.String()
    history = fields.List(fields.Nested(DisclosureStepSchema))
    integrity = integrity_field()


class DisclosureListSchema(Schema):
    items = fields.List(fields.Nested(DisclosureSchema))
    total = fields.Integer()
    page = fields.Integer()


# --- input -----------------------------------------------------------------------------------


class DisclosureListArgs(PageArgs):
    box = fields.String(load_default=None, validate=validate.OneOf(["sent", "received"]))


class DisclosureSubjectInput(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    role = fields.String(load_default="other", validate=validate.OneOf(DISCLOSURE_SUBJECT_ROLES))


class DisclosureInput(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(DISCLOSURE_KINDS))
    to_state = fields.String(required=True, validate=validate.Length(equal=3))
    summary = fields.String(required=True, validate=validate.Length(min=1, max=20_000))
    subjects = fields.List(
        fields.Nested(DisclosureSubjectInput), load_default=list, validate=validate.Length(max=50)
    )
    handling_code = fields.String(
        load_default="H0", validate=validate.OneOf(HANDLING_CODES)
    )
    handling_note = fields.String(load_default="", validate=validate.Length(max=500))
    reference = fields.String(load_default="", validate=validate.Length(max=100))
    source_grade = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(SOURCE_GRADES)
    )
    information_grade = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(INFORMATION_GRADES),
    )


class NoteInput(Schema):
    note = fields.String(load_default="", validate=validate.Length(max=2_000))


class FollowUpInput(NoteInput):
    case = StoredInteger(load_default=None, allow_none=True, strict=True)
    request = StoredInteger(load_default=None, allow_none=True, strict=True)


class OpenCaseInput(Schema):
    title = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))


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
        return {"items": items, "total": total, "page": args["page"]}

    @blp.arguments(DisclosureInput)
    @blp.response(201, DisclosureDetailSchema)
    @refuses(blp, 403, 404)
    def post(self, data: dict[str, Any]) -> disclosures.DisclosureView:
        """Send a disclosure or notification from the caller's State to another State."""
        disclosure = disclosures.send_disclosure(current_user, now=clock.now(), **data)
        return _detail(disclosure.id)


@blp.route("/<int:disclosure_id>")
class DisclosureById(MethodView):
    @blp.response(200, DisclosureDetailSchema)
    def get(self, disclosure_id: int) -> disclosures.DisclosureView:
        """One disclosure with its summary, subjects and history."""
        return _detail(disclosure_id)


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
