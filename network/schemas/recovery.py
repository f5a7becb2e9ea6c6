"""Shapes of subjects, assets and their returns, provisional measures and consultations."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from network.schemas.assistance import PersonRefSchema
from network.schemas.common import Money, StoredInteger, integrity_field
from network.schemas.vocabularies import (
    ASSET_KINDS,
    ASSET_STATUSES,
    CONSULTATION_DECISIONS,
    ENFORCEMENT,
    MEASURE_BASES,
    MEASURE_KINDS,
    RETURN_BASES,
    SUBJECT_KINDS,
    SUBJECT_ROLES,
)

# --- output ---------------------------------------------------------------------------------------


class SubjectSchema(Schema):
    id = fields.Integer()
    case = fields.Integer(attribute="case_id")
    requested_state = fields.String()
    kind = fields.String()
    names = fields.List(fields.String())
    transliterations = fields.List(fields.String())
    roles = fields.List(fields.String())
    nationality = fields.String(allow_none=True)
    identifiers = fields.Dict(keys=fields.String(), values=fields.String())
    recorded_by = fields.Nested(PersonRefSchema, allow_none=True)
    recorded_at = fields.DateTime()
    integrity = integrity_field()


class SubjectListSchema(Schema):
    items = fields.List(fields.Nested(SubjectSchema))
    total = fields.Integer()
    page = fields.Integer()


class AssetStepSchema(Schema):
    from_status = fields.String(data_key="from", allow_none=True)
    to_status = fields.String(data_key="to")
    reason = fields.String(allow_none=True)
    measure = fields.Integer(attribute="measure_id", allow_none=True)
    actor = fields.Nested(PersonRefSchema, allow_none=True)
    at = fields.DateTime()
    integrity = integrity_field()


class ReturnSchema(Schema):
    id = fields.Integer()
    basis = fields.String()
    amount = Money()
    currency = fields.String()
    expenses_deducted = Money()
    net_amount = Money()
    agreement_reference = fields.String()
    disbursed_on = fields.Date(allow_none=True)
    recorded_by = fields.Nested(PersonRefSchema, allow_none=True)
    recorded_at = fields.DateTime()


class AssetSchema(Schema):
    id = fields.Integer()
    case = fields.Integer(attribute="case_id")
    requested_state = fields.String()
    kind = fields.String()
    location_state = fields.String()
    holder = fields.Integer(attribute="holder_id", allow_none=True)
    holder_name = fields.String(allow_none=True)
    estimated_value = Money(allow_none=True)
    currency = fields.String(allow_none=True)
    description = fields.String()
    identifiers = fields.Dict(keys=fields.String(), values=fields.String())
    third_party_interests = fields.String()
    status = fields.String()
    status_since = fields.DateTime()
    allowed_statuses = fields.List(fields.String())
    recorded_by = fields.Nested(PersonRefSchema, allow_none=True)
    recorded_at = fields.DateTime()
    integrity = integrity_field()


class AssetDetailSchema(AssetSchema):
    measures = fields.List(fields.Integer(), attribute="measure_ids")
    history = fields.List(fields.Nested(AssetStepSchema))
    returns = fields.List(fields.Nested(ReturnSchema))


class AssetListSchema(Schema):
    items = fields.List(fields.Nested(AssetSchema))
    total = fields.Integer()
    page = fields.Integer()


class ExtensionSchema(Schema):
    id = fields.Integer()
    previous_expires_on = fields.Date(allow_none=True)
    new_expires_on = fields.Date()
    asked_by_state = fields.String()
    note = fields.String()
    recorded_by = fields.Nested(PersonRefSchema, allow_none=True)
    recorded_at = fields.DateTime()


class MeasureEventSchema(Schema):
    event = fields.String()
    details = fields.Dict(keys=fields.String(), values=fields.String(allow_none=True))
    actor = fields.Nested(PersonRefSchema, allow_none=True)
    at = fields.DateTime()


class ConsultationSchema(Schema):
    id = fields.Integer()
    invited_on = fields.Date()
    deadline_on = fields.Date()
    representations_received_on = fields.Date(allow_none=True)
    representations = fields.String(allow_none=True)
    decision = fields.String()
    recorded_by = fields.Nested(PersonRefSchema, allow_none=True)
    recorded_at = fields.DateTime()
    integrity = integrity_field()


class MeasureSchema(Schema):
    """A measure with its derived status; ``expires_at`` is the instant it lapses (UTC)."""

    id = fields.Integer()
    case = fields.Integer(attribute="case_id")
    requested_state = fields.String()
    request = fields.Integer(attribute="request_id", allow_none=True)
    kind = fields.String()
    issuing_authority = fields.String(allow_none=True)
    issuing_state = fields.String()
    issuing_time_zone = fields.String()
    legal_basis = fields.String()
    enforcement = fields.String()
    order_reference = fields.String(allow_none=True)
    effective_on = fields.Date(allow_none=True)
    expires_on = fields.Date(allow_none=True)
    current_expires_on = fields.Date(allow_none=True)
    expires_at = fields.DateTime(allow_none=True)
    longest_duration_days = fields.Integer(allow_none=True)
    next_review_on = fields.Date(allow_none=True)
    status = fields.String(
        metadata={"description": "requested, in_force, extended, lapsed, lifted or replaced"}
    )
    assets = fields.List(fields.Integer(), attribute="asset_ids")
    extension_count = fields.Integer()
    lifted_at = fields.DateTime(allow_none=True)
    replaced_at = fields.DateTime(allow_none=True)
    confiscation_reference = fields.String()
    confiscated_on = fields.Date(allow_none=True)
    recorded_by = fields.Nested(PersonRefSchema, allow_none=True)
    recorded_at = fields.DateTime()
    integrity = integrity_field()


class MeasureDetailSchema(MeasureSchema):
    lifted_reason = fields.String(allow_none=True)
    extensions = fields.List(fields.Nested(ExtensionSchema))
    history = fields.List(fields.Nested(MeasureEventSchema))
    consultations = fields.List(fields.Nested(ConsultationSchema))


class MeasureListSchema(Schema):
    items = fields.List(fields.Nested(MeasureSchema))
    total = fields.Integer()
    page = fields.Integer()


class ExtensionListSchema(Schema):
    items = fields.List(fields.Nested(ExtensionSchema))
    total = fields.Integer()
    page = fields.Integer()


# --- input ----------------------------------------------------------------------------------------

_STATE = validate.Length(equal=3)


_AMOUNT = fields.String  # decimals travel as strings; the service parses and checks them


class SubjectInput(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(SUBJECT_KINDS))
    names = fields.List(
        fields.String(validate=validate.Length(min=1, max=300)),
        required=True,
        validate=validate.Length(min=1, max=20),
    )
    transliterations = fields.List(
        fields.String(validate=validate.Length(max=300)),
        load_default=list,
        validate=validate.Length(max=20),
    )
    roles = fields.List(
        fields.String(validate=validate.OneOf(SUBJECT_ROLES)),
        load_default=list,
        validate=validate.Length(max=6),
    )
    nationality = fields.String(load_default=None, allow_none=True, validate=_STATE)
    identifiers = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=60)),
        values=fields.String(validate=validate.Length(max=300)),
        load_default=dict,
    )
    requested_state = fields.String(load_default=None, allow_none=True, validate=_STATE)


class AssetPatch(Schema):
    holder = StoredInteger(allow_none=True, strict=True)
    estimated_value = _AMOUNT(
        allow_none=True,
        validate=validate.Length(max=40),
        metadata={"description": 'A decimal string, e.g. "1250000.50".'},
    )
    currency = fields.String(allow_none=True, validate=validate.Length(max=3))
    description = fields.String(validate=validate.Length(max=4_000))
    identifiers = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=60)),
        values=fields.String(validate=validate.Length(max=300)),
    )
    third_party_interests = fields.String(validate=validate.Length(max=4_000))


class AssetInput(AssetPatch):
    kind = fields.String(required=True, validate=validate.OneOf(ASSET_KINDS))
    location_state = fields.String(required=True, validate=_STATE)
    requested_state = fields.String(load_default=None, allow_none=True, validate=_STATE)


class AssetStatusInput(Schema):
    to = fields.String(required=True, validate=validate.OneOf(ASSET_STATUSES))
    reason = fields.String(load_default="", validate=validate.Length(max=4_000))


class ReturnInput(Schema):
    basis = fields.String(required=True, validate=validate.OneOf(RETURN_BASES))
    amount = _AMOUNT(required=True, validate=validate.Length(min=1, max=40))
    currency = fields.String(required=True, validate=validate.Length(max=3))
    expenses_deducted = _AMOUNT(load_default="0", validate=validate.Length(min=1, max=40))
    agreement_reference = fields.String(load_default="", validate=validate.Length(max=200))
    disbursed_on = fields.Date(load_default=None, allow_none=True)


class MeasurePatch(Schema):
    issuing_authority = fields.String(validate=validate.Length(min=1, max=300))
    order_reference = fields.String(validate=validate.Length(max=100))
    effective_on = fields.Date(allow_none=True)
    expires_on = fields.Date(allow_none=True)
    longest_duration_days = StoredInteger(allow_none=True, strict=True)
    next_review_on = fields.Date(allow_none=True)


class MeasureInput(MeasurePatch):
    kind = fields.String(required=True, validate=validate.OneOf(MEASURE_KINDS))
    assets = fields.List(
        StoredInteger(strict=True), required=True, validate=validate.Length(min=1, max=200)
    )
    issuing_authority = fields.String(required=True, validate=validate.Length(min=1, max=300))
    issuing_state = fields.String(required=True, validate=_STATE)
    legal_basis = fields.String(required=True, validate=validate.OneOf(MEASURE_BASES))
    enforcement = fields.String(load_default="indirect", validate=validate.OneOf(ENFORCEMENT))
    request = StoredInteger(load_default=None, allow_none=True, strict=True)
    requested_state = fields.String(load_default=None, allow_none=True, validate=_STATE)


class ExtensionInput(Schema):
    new_expires_on = fields.Date(required=True)
    previous_expires_on = fields.Date(
        load_default=None,
        allow_none=True,
        metadata={"description": "the expiry in force this extends; refused (409) if it moved"},
    )
    asked_by_state = fields.String(load_default=None, allow_none=True, validate=_STATE)
    note = fields.String(load_default="", validate=validate.Length(max=500))


class LiftingInput(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=4_000))


class ReplacementInput(Schema):
    confiscation_reference = fields.String(load_default="", validate=validate.Length(max=100))
    confiscated_on = fields.Date(load_default=None, allow_none=True)


class ConsultationInput(Schema):
    invited_on = fields.Date(required=True)
    deadline_on = fields.Date(required=True)
    representations_received_on = fields.Date(load_default=None, allow_none=True)
    representations = fields.String(load_default="", validate=validate.Length(max=4_000))
    decision = fields.String(
        load_default="pending", validate=validate.OneOf(CONSULTATION_DECISIONS)
    )


class ConsultationPatch(Schema):
    representations_received_on = fields.Date(allow_none=True)
    representations = fields.String(validate=validate.Length(max=4_000))
    decision = fields.String(validate=validate.OneOf(CONSULTATION_DECISIONS))


# --- shared into a multilateral channel -----------------------------------------------------------


class ShareSchema(Schema):
    """A subject or an asset (the other null) shared at a multilateral table by its owner side."""

    id = fields.Integer()
    channel = fields.Integer(attribute="channel_id")
    subject = fields.Nested(SubjectSchema, allow_none=True)
    asset = fields.Nested(AssetSchema, allow_none=True)
    shared_by = fields.Nested(PersonRefSchema, allow_none=True)
    shared_at = fields.DateTime()


class ShareListSchema(Schema):
    items = fields.List(fields.Nested(ShareSchema))
    total = fields.Integer()
    page = fields.Integer()


class ShareInput(Schema):
    """Name either a subject or an asset of the case that the caller's side recorded."""

    subject = StoredInteger(strict=True, load_default=None)
    asset = StoredInteger(strict=True, load_default=None)
