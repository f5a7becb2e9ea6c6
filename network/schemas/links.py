"""Shapes of a case's links: who holds which asset and how, and the tree of subjects → assets →
orders → requests (``recovery.link_tree``)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from network.schemas.common import StoredInteger
from network.schemas.vocabularies import HOLDING_KINDS, MATCH_KINDS

# --- output ---------------------------------------------------------------------------------------


class MatchSchema(Schema):
    case = fields.Integer(
        attribute="case_id",
        metadata={"description": "Another case of the reader's own State holding the same."},
    )
    on = fields.List(
        fields.String(validate=validate.OneOf(MATCH_KINDS)),
        metadata={"description": "What matched: name, name_birth, identifier or iban."},
    )
    may_open = fields.Boolean(metadata={"description": "Whether the reader may open that case."})


class LinkedRequestSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    status = fields.String()
    requested_state = fields.String()
    reference = fields.String()


class LinkedOrderSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    status = fields.String()
    requested_state = fields.String()
    issuing_state = fields.String()
    current_expires_on = fields.Date(allow_none=True)
    request = fields.Nested(LinkedRequestSchema, allow_none=True)


class LinkedAssetSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    status = fields.String()
    location_state = fields.String()
    requested_state = fields.String()
    description = fields.String()
    holding = fields.String(
        allow_none=True,
        metadata={"description": "How the subject above holds it; null for an unheld asset."},
    )
    via = fields.Integer(attribute="via_subject_id", allow_none=True)
    via_name = fields.String(allow_none=True)
    orders = fields.List(fields.Nested(LinkedOrderSchema))
    matches = fields.List(fields.Nested(MatchSchema))


class LinkedSubjectSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    name = fields.String()
    roles = fields.List(fields.String())
    requested_state = fields.String()
    assets = fields.List(fields.Nested(LinkedAssetSchema))
    matches = fields.List(fields.Nested(MatchSchema))


class LinkTreeSchema(Schema):
    case = fields.Integer(attribute="case_id")
    subjects = fields.List(fields.Nested(LinkedSubjectSchema))
    unheld_assets = fields.List(fields.Nested(LinkedAssetSchema))
    orders_without_assets = fields.List(fields.Nested(LinkedOrderSchema))
    requests_without_orders = fields.List(fields.Nested(LinkedRequestSchema))


class HoldingSchema(Schema):
    asset = fields.Integer(attribute="asset_id")
    subject = fields.Integer(attribute="subject_id")
    kind = fields.String()
    via = fields.Integer(attribute="via_subject_id", allow_none=True)
    recorded_at = fields.DateTime()


# --- input ----------------------------------------------------------------------------------------


class HoldingInput(Schema):
    subject = StoredInteger(required=True, strict=True)
    kind = fields.String(required=True, validate=validate.OneOf(HOLDING_KINDS))
    via = StoredInteger(
        load_default=None,
        allow_none=True,
        strict=True,
        metadata={
            "description": "The company (beneficial_owner) or the politically exposed person "
            "(family_member, close_associate) it is held through; none for direct."
        },
    )


class CaseHoldingInput(HoldingInput):
    """The links page's form: the asset is chosen in the form, not named by the URL."""

    asset = StoredInteger(required=True, strict=True)
