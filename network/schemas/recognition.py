"""Shapes of a recognition proceeding: the court steps on a foreign order and their dates."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from network.schemas.assistance import PersonRefSchema
from network.schemas.common import integrity_field
from network.schemas.vocabularies import RECOGNITION_STEPS

# --- output ---------------------------------------------------------------------------------------


class RecognitionStepSchema(Schema):
    id = fields.Integer()
    step = fields.String(
        metadata={"description": "received, filed, ... recognised, refused, final"}
    )
    on = fields.Date(attribute="occurred_on")
    hearing_on = fields.Date(allow_none=True)
    appeal_until = fields.Date(allow_none=True)
    grounds = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    actor = fields.Nested(PersonRefSchema, allow_none=True)
    at = fields.DateTime()
    integrity = integrity_field()


class RecognitionSchema(Schema):
    """A request's recognition proceeding as either side of its relationship sees it."""

    request = fields.Integer(attribute="request_id")
    conviction_based = fields.Boolean(allow_none=True)
    current = fields.String(allow_none=True, metadata={"description": "The last step, if any."})
    allowed = fields.List(
        fields.String(),
        metadata={"description": "The steps the caller may record next (requested side only)."},
    )
    steps = fields.List(fields.Nested(RecognitionStepSchema))


# --- input ----------------------------------------------------------------------------------------


class RecognitionStepInput(Schema):
    step = fields.String(required=True, validate=validate.OneOf(list(RECOGNITION_STEPS)))
    on = fields.Date(required=True, metadata={"description": "When the court took the step."})
    hearing_on = fields.Date(
        load_default=None, allow_none=True, metadata={"description": "With hearing_scheduled."}
    )
    appeal_until = fields.Date(
        load_default=None,
        allow_none=True,
        metadata={"description": "With recognised or refused: the last day to appeal."},
    )
    grounds = fields.String(
        load_default="",
        validate=validate.Length(max=4_000),
        metadata={"description": "Required with refused."},
    )
    note = fields.String(load_default="", validate=validate.Length(max=4_000))
