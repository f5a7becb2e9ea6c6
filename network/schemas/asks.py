"""Shapes of asks: what one side asks the other by a date, and the answer."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from network.schemas.assistance import PersonRefSchema
from network.schemas.common import PageArgs, StoredInteger, integrity_field
from network.schemas.vocabularies import ASK_KINDS, AskOutcome

OUTCOMES = [each.value for each in AskOutcome]

# --- output ---------------------------------------------------------------------------------------


class AskSchema(Schema):
    id = fields.Integer()
    case = fields.Integer(attribute="case_id")
    channel = fields.Integer(attribute="channel_id")
    requested_state = fields.String(
        metadata={"description": "The relationship: the requested State of the channel"}
    )
    asking_state = fields.String()
    asked_state = fields.String(metadata={"description": "The side that must answer"})
    kind = fields.String(validate=validate.OneOf(list(ASK_KINDS)))
    due_on = fields.Date(metadata={"description": "Calendar date in the asked State's zone"})
    due_at = fields.DateTime(metadata={"description": "When that date ends, in UTC"})
    time_zone = fields.String()
    overdue = fields.Boolean(metadata={"description": "Open and past its due date"})
    text = fields.String(allow_none=True)
    measure = fields.Integer(attribute="measure_id", allow_none=True)
    request = fields.Integer(attribute="request_id", allow_none=True)
    asked_by = fields.Nested(PersonRefSchema, allow_none=True)
    asked_at = fields.DateTime()
    outcome = fields.String(allow_none=True, validate=validate.OneOf(OUTCOMES))
    reason = fields.String(allow_none=True)
    extension = fields.Integer(
        attribute="extension_id",
        allow_none=True,
        metadata={"description": "The order's extension the answer points at, if any"},
    )
    answered_by = fields.Nested(PersonRefSchema, allow_none=True)
    answered_at = fields.DateTime(allow_none=True)
    may_answer = fields.Boolean(metadata={"description": "Whether the caller may answer it now"})
    integrity = integrity_field()


class AskListSchema(Schema):
    items = fields.List(fields.Nested(AskSchema))
    total = fields.Integer()
    page = fields.Integer()


# --- input ----------------------------------------------------------------------------------------


class AskInput(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(list(ASK_KINDS)))
    channel = StoredInteger(
        required=True, metadata={"description": "The bilateral channel (relationship) asked in"}
    )
    due_on = fields.Date(required=True)
    text = fields.String(required=True, validate=validate.Length(min=1, max=4_000))
    measure = StoredInteger(load_default=None, allow_none=True)
    request = StoredInteger(load_default=None, allow_none=True)


class AskAnswerInput(Schema):
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES))
    reason = fields.String(
        load_default="",
        validate=validate.Length(max=4_000),
        metadata={"description": "Required when the ask is refused"},
    )
    extension = StoredInteger(load_default=None, allow_none=True)


class AskArgs(PageArgs):
    """``?case=&open=`` narrow the caller's asks to one case, or to those not yet answered."""

    case = StoredInteger(load_default=None, allow_none=True)
    open = fields.Boolean(load_default=False)
