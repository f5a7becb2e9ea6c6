"""/api/v1: a case's subjects, assets (status, returns) and provisional measures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from network.api.assistance import PersonRefSchema
from network.api.responses import refuses
from network.core import clock
from network.extensions import db
from network.recovery import service as recovery
from network.schemas.common import Money, PageArgs, StoredInteger, integrity_field
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

PREFIX = ""
blp = Blueprint(
    "recovery",
    __name__,
    description="Subjects, assets and provisional measures on a case (members of the case only)",
)


def _page(items: Sequence[Any], args: dict[str, Any]) -> dict[str, Any]:
    start = (args["page"] - 1) * args["per_page"]
    return {
        "items": list(items[start : start + args["per_page"]]),
        "total": len(items),
        "page": args["page"],
    }


# --- output ----------------------------------------------------------------------------------


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


# --- input -----------------------------------------------------------------------------------

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
    enforcement = fields.String(
        load_default="indirect", validate=validate.OneOf(ENFORCEMENT)
    )
    request = StoredInteger(load_default=None, allow_none=True, strict=True)
    requested_state = fields.String(load_default=None, allow_none=True, validate=_STATE)


class ExtensionInput(Schema):
    new_expires_on = fields.Date(required=True)
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


# --- subjects --------------------------------------------------------------------------------


@blp.route("/cases/<int:case_id>/subjects")
class CaseSubjects(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, SubjectListSchema)
    def get(self, args: dict[str, Any], case_id: int) -> dict[str, Any]:
        """The case's subjects the caller's side may see."""
        items = recovery.list_subjects(current_user, case_id)
        db.session.commit()
        return _page(items, args)

    @blp.arguments(SubjectInput)
    @blp.response(201, SubjectSchema)
    @refuses(blp, 403)
    def post(self, data: dict[str, Any], case_id: int) -> recovery.SubjectView:
        """Record a natural or legal person (names and identifiers are encrypted)."""
        now = clock.now()
        subject = recovery.record_subject(current_user, case_id, now=now, **data)
        view = recovery.subject_view(current_user, subject.id, now)
        db.session.commit()
        return view


@blp.route("/subjects/<int:subject_id>")
class SubjectById(MethodView):
    @blp.response(200, SubjectSchema)
    def get(self, subject_id: int) -> recovery.SubjectView:
        """One subject."""
        view = recovery.subject_view(current_user, subject_id, clock.now())
        db.session.commit()
        return view


# --- assets ----------------------------------------------------------------------------------


def _asset(asset_id: int) -> recovery.AssetView:
    view = recovery.asset_view(current_user, asset_id, clock.now())
    db.session.commit()
    return view


@blp.route("/cases/<int:case_id>/assets")
class CaseAssets(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, AssetListSchema)
    def get(self, args: dict[str, Any], case_id: int) -> dict[str, Any]:
        """The case's assets the caller's side may see, with their status."""
        items = recovery.list_assets(current_user, case_id)
        db.session.commit()
        return _page(items, args)

    @blp.arguments(AssetInput)
    @blp.response(201, AssetDetailSchema)
    @refuses(blp, 403)
    def post(self, data: dict[str, Any], case_id: int) -> recovery.AssetView:
        """Record an identified asset; the value is a decimal string with an ISO 4217 currency."""
        asset = recovery.record_asset(current_user, case_id, now=clock.now(), **data)
        return _asset(asset.id)


@blp.route("/assets/<int:asset_id>")
class AssetById(MethodView):
    @blp.response(200, AssetDetailSchema)
    def get(self, asset_id: int) -> recovery.AssetView:
        """One asset with its status history, measures and returns."""
        return _asset(asset_id)

    @blp.arguments(AssetPatch)
    @blp.response(200, AssetDetailSchema)
    @refuses(blp, 403)
    def patch(self, data: dict[str, Any], asset_id: int) -> recovery.AssetView:
        """Correct an asset's holder, value, description, identifiers or third-party interests."""
        recovery.update_asset(current_user, asset_id, data, clock.now())
        return _asset(asset_id)


@blp.route("/assets/<int:asset_id>/status")
class AssetStatus(MethodView):
    @blp.arguments(AssetStatusInput)
    @blp.response(200, AssetDetailSchema)
    @refuses(blp, 403, 409)
    def post(self, data: dict[str, Any], asset_id: int) -> recovery.AssetView:
        """Move the asset along its lifecycle (a return goes through /returns)."""
        recovery.change_asset_status(
            current_user, asset_id, data["to"], data["reason"], clock.now()
        )
        return _asset(asset_id)


@blp.route("/assets/<int:asset_id>/returns")
class AssetReturns(MethodView):
    @blp.arguments(ReturnInput)
    @blp.response(201, AssetDetailSchema)
    @refuses(blp, 403, 409)
    def post(self, data: dict[str, Any], asset_id: int) -> recovery.AssetView:
        """Record a return under art. 57: basis, amount, expenses deducted, agreement, date."""
        recovery.record_return(current_user, asset_id, now=clock.now(), **data)
        return _asset(asset_id)


# --- measures --------------------------------------------------------------------------------


def _measure(measure_id: int) -> recovery.MeasureView:
    view = recovery.measure_view(current_user, measure_id, clock.now())
    db.session.commit()
    return view


@blp.route("/cases/<int:case_id>/measures")
class CaseMeasures(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, MeasureListSchema)
    def get(self, args: dict[str, Any], case_id: int) -> dict[str, Any]:
        """The case's freezing and seizure orders, each with its derived status and expiry."""
        items = recovery.measure_summaries(
            recovery.list_measures(current_user, case_id), clock.now()
        )
        db.session.commit()
        return _page(items, args)

    @blp.arguments(MeasureInput)
    @blp.response(201, MeasureDetailSchema)
    @refuses(blp, 403)
    def post(self, data: dict[str, Any], case_id: int) -> recovery.MeasureView:
        """Record a freezing or seizure order over one or more assets of the case."""
        values = dict(data)
        values["asset_ids"] = values.pop("assets")
        values["request_id"] = values.pop("request")
        measure = recovery.record_measure(current_user, case_id, now=clock.now(), **values)
        return _measure(measure.id)


@blp.route("/measures/<int:measure_id>")
class MeasureById(MethodView):
    @blp.response(200, MeasureDetailSchema)
    def get(self, measure_id: int) -> recovery.MeasureView:
        """One order with its status, extensions, consultations and history."""
        return _measure(measure_id)

    @blp.arguments(MeasurePatch)
    @blp.response(200, MeasureDetailSchema)
    @refuses(blp, 403, 409)
    def patch(self, data: dict[str, Any], measure_id: int) -> recovery.MeasureView:
        """Complete or correct an order (effective date once made, review hearing ...)."""
        recovery.update_measure(current_user, measure_id, data, clock.now())
        return _measure(measure_id)


@blp.route("/measures/<int:measure_id>/extensions")
class MeasureExtensions(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, ExtensionListSchema)
    def get(self, args: dict[str, Any], measure_id: int) -> dict[str, Any]:
        """The order's extensions, oldest first."""
        view = _measure(measure_id)
        return _page(view.extensions, args)

    @blp.arguments(ExtensionInput)
    @blp.response(201, MeasureDetailSchema)
    @refuses(blp, 403, 409)
    def post(self, data: dict[str, Any], measure_id: int) -> recovery.MeasureView:
        """Record an extension; the new expiry must come after the current one."""
        recovery.extend_measure(current_user, measure_id, now=clock.now(), **data)
        return _measure(measure_id)


@blp.route("/measures/<int:measure_id>/lifting")
class MeasureLifting(MethodView):
    @blp.arguments(LiftingInput)
    @blp.response(200, MeasureDetailSchema)
    @refuses(blp, 403, 409)
    def post(self, data: dict[str, Any], measure_id: int) -> recovery.MeasureView:
        """Record that the order was lifted, and why."""
        recovery.lift_measure(current_user, measure_id, reason=data["reason"], now=clock.now())
        return _measure(measure_id)


@blp.route("/measures/<int:measure_id>/replacement")
class MeasureReplacement(MethodView):
    @blp.arguments(ReplacementInput)
    @blp.response(200, MeasureDetailSchema)
    @refuses(blp, 403, 409)
    def post(self, data: dict[str, Any], measure_id: int) -> recovery.MeasureView:
        """Record that a confiscation order replaced the measure."""
        recovery.replace_with_confiscation(current_user, measure_id, now=clock.now(), **data)
        return _measure(measure_id)


@blp.route("/measures/<int:measure_id>/consultations")
class MeasureConsultations(MethodView):
    @blp.arguments(ConsultationInput)
    @blp.response(201, MeasureDetailSchema)
    @refuses(blp, 403, 409)
    def post(self, data: dict[str, Any], measure_id: int) -> recovery.MeasureView:
        """Record the art. 55(8) invitation to give reasons before the order is lifted."""
        recovery.record_consultation(current_user, measure_id, now=clock.now(), **data)
        return _measure(measure_id)


@blp.route("/measures/<int:measure_id>/consultations/<int:consultation_id>")
class MeasureConsultation(MethodView):
    @blp.arguments(ConsultationPatch)
    @blp.response(200, MeasureDetailSchema)
    @refuses(blp, 403, 409)
    def patch(
        self, data: dict[str, Any], measure_id: int, consultation_id: int
    ) -> recovery.MeasureView:
        """Note the representations received and the decision taken."""
        recovery.update_consultation(
            current_user, consultation_id, now=clock.now(), measure_id=measure_id, **data
        )
        return _measure(measure_id)
