"""Shapes of formal requests: the request, its steps, enquiries and delay notices."""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from network.schemas.common import StoredInteger, integrity_field
from network.schemas.vocabularies import (
    REFUSAL_GROUNDS,
    REQUEST_DOCUMENT_KINDS,
    REQUEST_KINDS,
    REQUEST_LEGAL_BASES,
    TRANSMISSION_CHANNELS,
    RequestStatus,
)

# --- output ---------------------------------------------------------------------------------------


class PersonRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    state = fields.String(allow_none=True)


class TransitionSchema(Schema):
    from_status = fields.String(data_key="from", allow_none=True)
    to_status = fields.String(data_key="to")
    reason = fields.String(allow_none=True)
    grounds = fields.String(allow_none=True)
    postponed_until = fields.Date(data_key="until", allow_none=True)
    actor = fields.Nested(PersonRefSchema, allow_none=True)
    actor_state = fields.String(allow_none=True)
    at = fields.DateTime()
    integrity = integrity_field()


class EnquirySchema(Schema):
    id = fields.Integer()
    question = fields.String(allow_none=True)
    asked_by = fields.Nested(PersonRefSchema, allow_none=True)
    asked_at = fields.DateTime()
    answer = fields.String(allow_none=True)
    answered_by = fields.Nested(PersonRefSchema, allow_none=True)
    answered_at = fields.DateTime(allow_none=True)
    integrity = integrity_field()


class DelayNoticeSchema(Schema):
    id = fields.Integer()
    delay_days = fields.Integer()
    expected_on = fields.Date(allow_none=True)
    reason = fields.String(allow_none=True)
    given_by = fields.Nested(PersonRefSchema, allow_none=True)
    given_at = fields.DateTime()
    integrity = integrity_field()


class RequestSchema(Schema):
    """A request in a list."""

    id = fields.Integer()
    case = fields.Integer(attribute="case_id")
    kind = fields.String()
    requesting_state = fields.String()
    requested_state = fields.String()
    direction = fields.String(allow_none=True)
    reference = fields.String()
    legal_basis = fields.String()
    legal_basis_text = fields.String()
    transmission_channel = fields.String()
    language = fields.String(allow_none=True)
    urgent = fields.Boolean()
    deadline_on = fields.Date(allow_none=True)
    conviction_based = fields.Boolean(
        allow_none=True,
        metadata={"description": "Recognition only: 54(1)(a) conviction-based, or 54(1)(c)."},
    )
    status = fields.String()
    status_since = fields.DateTime()
    allowed_steps = fields.List(fields.String())
    created_by = fields.Nested(PersonRefSchema, allow_none=True)
    created_at = fields.DateTime()


class RequestChecklistItemSchema(Schema):
    item = fields.String(metadata={"description": "The item's code: a content item or profile.*"})
    label = fields.String(metadata={"description": "What is asked, in the caller's language."})
    source = fields.String(
        validate=validate.OneOf(["article", "profile"]),
        metadata={"description": "article: the Convention asks it of this kind; profile: the "
                  "requested State's country profile adds it."},
    )
    required = fields.Boolean()
    done = fields.Boolean()


class RequestMissingItemSchema(Schema):
    item = fields.String()
    label = fields.String()


class RequestDetailSchema(RequestSchema):
    """One request with its kind's contents, its checklist, history, enquiries, delays."""

    contents = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={"description": "The items this kind of request carries (see `checklist`)."},
    )
    deadline_reason = fields.String()
    missing = fields.List(
        fields.String(), metadata={"description": "The codes of `missing_items`."}
    )
    checklist = fields.List(
        fields.Nested(RequestChecklistItemSchema),
        metadata={
            "description": "The kind's contents (46(15); 55(3)(a), (b) or (c) with 46(15); 44; "
            "57) then what the requested State's country profile asks of this request."
        },
    )
    missing_items = fields.List(
        fields.Nested(RequestMissingItemSchema),
        metadata={
            "description": "Required checklist items not yet done; while any is, sending is "
            "refused with 409 request_incomplete."
        },
    )
    history = fields.List(fields.Nested(TransitionSchema))
    enquiries = fields.List(fields.Nested(EnquirySchema))
    delay_notices = fields.List(fields.Nested(DelayNoticeSchema))
    time_in_status = fields.Dict(
        keys=fields.String(),
        values=fields.Float(),
        metadata={"description": "Seconds spent in each status, from the history."},
    )
    response_time = fields.Float(
        allow_none=True, metadata={"description": "Seconds from sending to the first answer."}
    )
    integrity = integrity_field()


class RequestDocumentSchema(Schema):
    """A file filed with a request; download it at ``/api/v1/attachments/{id}``."""

    id = fields.Integer()
    kind = fields.String(metadata={"enum": list(REQUEST_DOCUMENT_KINDS)})
    filename = fields.String(allow_none=True)
    size = fields.Integer()
    sha256 = fields.String(metadata={"description": "Of the plaintext, to check the download."})
    content_type = fields.String()
    added_by = fields.Nested(PersonRefSchema, allow_none=True)
    added_at = fields.DateTime()
    integrity = integrity_field()


class RequestDocumentInput(Schema):
    """The fields sent before the file in a request document's upload (``size`` is read apart)."""

    class Meta:
        unknown = EXCLUDE

    kind = fields.String(required=True, validate=validate.OneOf(list(REQUEST_DOCUMENT_KINDS)))


class RequestListSchema(Schema):
    items = fields.List(fields.Nested(RequestSchema))
    total = fields.Integer()
    page = fields.Integer()


# --- input ----------------------------------------------------------------------------------------

STATUSES = [each.value for each in RequestStatus]


class ContentsInput(Schema):
    """The items of a request's contents; each is free text, and each kind carries its own."""

    requesting_authority = fields.String(validate=validate.Length(max=20_000))
    subject_and_nature = fields.String(validate=validate.Length(max=20_000))
    summary_of_facts = fields.String(validate=validate.Length(max=20_000))
    assistance_sought = fields.String(validate=validate.Length(max=20_000))
    procedure = fields.String(validate=validate.Length(max=20_000))
    persons_concerned = fields.String(validate=validate.Length(max=20_000))
    purpose = fields.String(validate=validate.Length(max=20_000))
    dual_criminality_statement = fields.String(validate=validate.Length(max=20_000))
    actions_requested = fields.String(validate=validate.Length(max=20_000))
    freezing_order_copy = fields.String(validate=validate.Length(max=20_000))
    property_description = fields.String(validate=validate.Length(max=20_000))
    facts_for_domestic_order = fields.String(validate=validate.Length(max=20_000))
    order_copy = fields.String(validate=validate.Length(max=20_000))
    extent_of_execution = fields.String(validate=validate.Length(max=20_000))
    third_party_notice = fields.String(validate=validate.Length(max=20_000))
    order_is_final = fields.String(validate=validate.Length(max=20_000))
    person_sought = fields.String(validate=validate.Length(max=20_000))
    offence_and_law = fields.String(validate=validate.Length(max=20_000))
    warrant_or_judgment = fields.String(validate=validate.Length(max=20_000))
    provisional_arrest = fields.String(validate=validate.Length(max=20_000))
    confiscation_order = fields.String(validate=validate.Length(max=20_000))
    return_basis = fields.String(validate=validate.Length(max=20_000))
    expenses = fields.String(validate=validate.Length(max=20_000))
    return_agreement = fields.String(validate=validate.Length(max=20_000))
    translation_statement = fields.String(validate=validate.Length(max=20_000))
    time_limits_statement = fields.String(validate=validate.Length(max=20_000))


class RequestPatch(Schema):
    reference = fields.String(validate=validate.Length(max=100))
    legal_basis = fields.String(validate=validate.OneOf(REQUEST_LEGAL_BASES))
    legal_basis_text = fields.String(validate=validate.Length(max=500))
    transmission_channel = fields.String(validate=validate.OneOf(TRANSMISSION_CHANNELS))
    language = fields.String(allow_none=True, validate=validate.Length(max=8))
    urgent = fields.Boolean()
    deadline_on = fields.Date(allow_none=True)
    deadline_reason = fields.String(validate=validate.Length(max=4_000))
    contents = fields.Nested(ContentsInput)


class RequestInput(RequestPatch):
    kind = fields.String(required=True, validate=validate.OneOf(REQUEST_KINDS))
    requested_state = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(equal=3)
    )
    legal_basis = fields.String(required=True, validate=validate.OneOf(REQUEST_LEGAL_BASES))
    transmission_channel = fields.String(
        required=True, validate=validate.OneOf(TRANSMISSION_CHANNELS)
    )
    conviction_based = fields.Boolean(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "Required with kind recognition: whether the foreign order rests "
            "on a conviction (54(1)(a)) or not (54(1)(c)); absent for other kinds."
        },
    )


class TransitionInput(Schema):
    to = fields.String(required=True, validate=validate.OneOf(STATUSES))
    reason = fields.String(load_default="", validate=validate.Length(max=4_000))
    grounds = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(list(REFUSAL_GROUNDS))
    )
    until = fields.Date(load_default=None, allow_none=True)


class EnquiryInput(Schema):
    question = fields.String(required=True, validate=validate.Length(min=1, max=4_000))


class AnswerInput(Schema):
    answer = fields.String(required=True, validate=validate.Length(min=1, max=4_000))


class DelayNoticeInput(Schema):
    delay_days = StoredInteger(
        required=True, strict=True, validate=validate.Range(min=1, max=3650)
    )
    reason = fields.String(required=True, validate=validate.Length(min=1, max=4_000))
    expected_on = fields.Date(load_default=None, allow_none=True)

    @validates_schema
    def _plausible(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if not data.get("reason", "").strip():
            raise ValidationError("Say why execution is delayed.", "reason")
