"""Shapes of confiscation orders and of returns under article 57: arrangement, lines, milestones."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from network.schemas.assistance import PersonRefSchema
from network.schemas.common import Money, StoredInteger, integrity_field
from network.schemas.vocabularies import (
    CONFISCATION_FINALITY,
    RETURN_ARRANGEMENTS,
    RETURN_BASES,
    RETURN_LINE_KINDS,
    RETURN_STEPS,
)

# Decimals travel as strings; the service parses them and refuses what is not above zero.
_AMOUNT = validate.Length(min=1, max=40)


def _totals(values: dict[str, Any]) -> list[dict[str, str]]:
    return [{"currency": code, "amount": str(amount)} for code, amount in values.items()]


# --- output ---------------------------------------------------------------------------------------


class TotalSchema(Schema):
    currency = fields.String()
    amount = fields.String(metadata={"description": "a decimal string"})


class ConfiscatedAssetSchema(Schema):
    asset = fields.Integer(attribute="asset_id")
    asset_kind = fields.String()
    amount = Money()
    currency = fields.String()


class ConfiscationSchema(Schema):
    id = fields.Integer()
    case = fields.Integer(attribute="case_id")
    requested_state = fields.String()
    measure = fields.Integer(attribute="measure_id", allow_none=True)
    order_reference = fields.String(allow_none=True)
    ordered_on = fields.Date()
    finality = fields.String(metadata={"description": "final or under_appeal"})
    final_on = fields.Date(allow_none=True)
    assets = fields.List(fields.Nested(ConfiscatedAssetSchema))
    totals = fields.Function(
        lambda view: _totals(view.totals), metadata={"description": "confiscated, by currency"}
    )
    recorded_by = fields.Nested(PersonRefSchema, allow_none=True)
    recorded_at = fields.DateTime()
    integrity = integrity_field()


class ConfiscationListSchema(Schema):
    items = fields.List(fields.Nested(ConfiscationSchema))
    total = fields.Integer()
    page = fields.Integer()


class ReturnLineSchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "expense, transfer, beneficiary or compensation"})
    label = fields.String(
        allow_none=True,
        metadata={"description": "the expense, the beneficiary or the victim compensated"},
    )
    purpose = fields.String(allow_none=True)
    amount = Money(allow_none=True)
    currency = fields.String(allow_none=True)
    on = fields.Date(allow_none=True, metadata={"description": "the day of a transfer"})
    recorded_at = fields.DateTime()


class MilestoneSchema(Schema):
    id = fields.Integer()
    description = fields.String(allow_none=True)
    due_on = fields.Date()
    done_on = fields.Date(allow_none=True)


class CaseReturnSchema(Schema):
    id = fields.Integer()
    case = fields.Integer(attribute="case_id")
    requested_state = fields.String()
    basis = fields.String(metadata={"description": "57_3_a, 57_3_b or 57_3_c"})
    arrangement = fields.String(metadata={"description": "agreement, arrangement, case_by_case"})
    draft_shared_on = fields.Date(allow_none=True)
    terms_agreed_on = fields.Date(allow_none=True)
    signed_on = fields.Date(allow_none=True)
    next_step = fields.String(allow_none=True)
    terms = fields.String(allow_none=True)
    confiscation = fields.Nested(ConfiscationSchema)
    expenses = fields.List(fields.Nested(ReturnLineSchema))
    transfers = fields.List(fields.Nested(ReturnLineSchema))
    beneficiaries = fields.List(fields.Nested(ReturnLineSchema))
    compensations = fields.List(fields.Nested(ReturnLineSchema))
    milestones = fields.List(fields.Nested(MilestoneSchema))
    transferred = fields.Function(lambda view: _totals(view.transferred))
    expenses_deducted = fields.Function(lambda view: _totals(view.expenses_deducted))
    recorded_by = fields.Nested(PersonRefSchema, allow_none=True)
    recorded_at = fields.DateTime()
    integrity = integrity_field()


class CaseReturnListSchema(Schema):
    items = fields.List(fields.Nested(CaseReturnSchema))
    total = fields.Integer()
    page = fields.Integer()


# --- input ----------------------------------------------------------------------------------------


class ConfiscatedAssetInput(Schema):
    asset = StoredInteger(required=True, strict=True)
    amount = fields.String(required=True, validate=_AMOUNT)
    currency = fields.String(required=True, validate=validate.Length(max=3))


class ConfiscationInput(Schema):
    order_reference = fields.String(required=True, validate=validate.Length(min=1, max=200))
    ordered_on = fields.Date(required=True)
    finality = fields.String(required=True, validate=validate.OneOf(CONFISCATION_FINALITY))
    final_on = fields.Date(load_default=None, allow_none=True)
    assets = fields.List(
        fields.Nested(ConfiscatedAssetInput),
        required=True,
        validate=validate.Length(min=1, max=100),
    )
    measure = StoredInteger(load_default=None, allow_none=True, strict=True)
    requested_state = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(equal=3)
    )


class FinalityInput(Schema):
    final_on = fields.Date(required=True)


class CaseReturnInput(Schema):
    confiscation = StoredInteger(required=True, strict=True)
    basis = fields.String(required=True, validate=validate.OneOf(RETURN_BASES))
    arrangement = fields.String(required=True, validate=validate.OneOf(RETURN_ARRANGEMENTS))
    terms = fields.String(load_default="", validate=validate.Length(max=4_000))


class ArrangementStepInput(Schema):
    step = fields.String(required=True, validate=validate.OneOf(RETURN_STEPS))
    on = fields.Date(required=True)
    terms = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=4_000))


class ReturnLineInput(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(RETURN_LINE_KINDS))
    label = fields.String(load_default="", validate=validate.Length(max=500))
    purpose = fields.String(load_default="", validate=validate.Length(max=4_000))
    amount = fields.String(load_default=None, allow_none=True, validate=_AMOUNT)
    currency = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=3))
    on = fields.Date(load_default=None, allow_none=True)


class MilestoneInput(Schema):
    description = fields.String(required=True, validate=validate.Length(min=1, max=500))
    due_on = fields.Date(required=True)


class MilestoneDoneInput(Schema):
    done_on = fields.Date(required=True)
