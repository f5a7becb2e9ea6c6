"""/api/v1: a case's subjects, assets (status, returns, holders), provisional measures and links."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from network.api.responses import ETAG, edits_version, if_match, page_answer, refuses, tagged
from network.core import clock
from network.extensions import db
from network.recovery import (
    assets,
    consultations,
    endings,
    holdings,
    link_tree,
    measures,
    returns,
    subjects,
)
from network.recovery.link_tree import LinkTree
from network.recovery.models import AssetHolding
from network.recovery.read_models import AssetView, MeasureView, SubjectView
from network.schemas import links as link_schemas
from network.schemas import recovery as schemas
from network.schemas.common import PageArgs

PREFIX = ""
blp = Blueprint(
    "recovery",
    __name__,
    description="Subjects, assets and provisional measures on a case (members of the case only)",
)


def _page(items: Sequence[Any], args: dict[str, Any]) -> dict[str, Any]:
    start = (args["page"] - 1) * args["per_page"]
    return page_answer(list(items[start : start + args["per_page"]]), len(items), args["page"])


# --- subjects --------------------------------------------------------------------------------


@blp.route("/cases/<int:case_id>/subjects")
class CaseSubjects(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, schemas.SubjectListSchema)
    def get(self, args: dict[str, Any], case_id: int) -> dict[str, Any]:
        """The case's subjects the caller's side may see."""
        items = subjects.list_subjects(current_user, case_id)
        db.session.commit()
        return _page(items, args)

    @blp.arguments(schemas.SubjectInput)
    @blp.response(201, schemas.SubjectSchema)
    @refuses(blp, 403)
    def post(self, data: dict[str, Any], case_id: int) -> SubjectView:
        """Record a natural or legal person (names and identifiers are encrypted)."""
        now = clock.now()
        subject = subjects.record_subject(current_user, case_id, now=now, **data)
        view = subjects.subject_view(current_user, subject.id, now)
        db.session.commit()
        return view


@blp.route("/subjects/<int:subject_id>")
class SubjectById(MethodView):
    @blp.response(200, schemas.SubjectSchema)
    def get(self, subject_id: int) -> SubjectView:
        """One subject."""
        view = subjects.subject_view(current_user, subject_id, clock.now())
        db.session.commit()
        return view


# --- assets ----------------------------------------------------------------------------------


def _asset(asset_id: int) -> AssetView:
    view = assets.asset_view(current_user, asset_id, clock.now())
    db.session.commit()
    return view


@blp.route("/cases/<int:case_id>/assets")
class CaseAssets(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, schemas.AssetListSchema)
    def get(self, args: dict[str, Any], case_id: int) -> dict[str, Any]:
        """The case's assets the caller's side may see, with their status."""
        items = assets.list_assets(current_user, case_id)
        db.session.commit()
        return _page(items, args)

    @blp.arguments(schemas.AssetInput)
    @blp.response(201, schemas.AssetDetailSchema)
    @refuses(blp, 403)
    def post(self, data: dict[str, Any], case_id: int) -> AssetView:
        """Record an identified asset; the value is a decimal string with an ISO 4217 currency."""
        asset = assets.record_asset(current_user, case_id, now=clock.now(), **data)
        return _asset(asset.id)


@blp.route("/assets/<int:asset_id>")
class AssetById(MethodView):
    @blp.response(200, schemas.AssetDetailSchema, headers=ETAG)
    def get(self, asset_id: int) -> tuple[AssetView, dict[str, str]]:
        """One asset with its status history, measures and returns."""
        view = _asset(asset_id)
        return tagged(view, view.version)

    @blp.arguments(schemas.AssetPatch)
    @blp.response(200, schemas.AssetDetailSchema, headers=ETAG)
    @refuses(blp, 403)
    @edits_version(blp)
    def patch(self, data: dict[str, Any], asset_id: int) -> tuple[AssetView, dict[str, str]]:
        """Correct an asset's holder, value, description, identifiers or third-party interests."""
        assets.update_asset(current_user, asset_id, data, clock.now(), if_match())
        view = _asset(asset_id)
        return tagged(view, view.version)


@blp.route("/assets/<int:asset_id>/status")
class AssetStatus(MethodView):
    @blp.arguments(schemas.AssetStatusInput)
    @blp.response(200, schemas.AssetDetailSchema)
    @refuses(blp, 403, 409)
    def post(self, data: dict[str, Any], asset_id: int) -> AssetView:
        """Move the asset along its lifecycle (a return goes through /returns)."""
        assets.change_asset_status(current_user, asset_id, data["to"], data["reason"], clock.now())
        return _asset(asset_id)


@blp.route("/assets/<int:asset_id>/returns")
class AssetReturns(MethodView):
    @blp.arguments(schemas.ReturnInput)
    @blp.response(201, schemas.AssetDetailSchema)
    @refuses(blp, 403, 409)
    def post(self, data: dict[str, Any], asset_id: int) -> AssetView:
        """Record a return under art. 57: basis, amount, expenses deducted, agreement, date."""
        returns.record_return(current_user, asset_id, now=clock.now(), **data)
        return _asset(asset_id)


@blp.route("/assets/<int:asset_id>/holders")
class AssetHolders(MethodView):
    @blp.arguments(link_schemas.HoldingInput)
    @blp.response(201, link_schemas.HoldingSchema)
    @refuses(blp, 403)
    def post(self, data: dict[str, Any], asset_id: int) -> AssetHolding:
        """Record (or change) how a subject of the case holds the asset.

        Directly; as beneficial owner through a company (``via`` the company); or as a family
        member or close associate of a politically exposed person (``via`` the PEP).
        """
        holding = holdings.link_holder(current_user, asset_id, now=clock.now(), **data)
        db.session.commit()
        return holding


@blp.route("/assets/<int:asset_id>/holders/<int:subject_id>")
class AssetHolder(MethodView):
    @blp.response(204)
    @refuses(blp, 403)
    def delete(self, asset_id: int, subject_id: int) -> None:
        """Remove a subject's holding of the asset (the primary holder's clears ``holder``)."""
        holdings.unlink_holder(current_user, asset_id, subject_id, clock.now())
        db.session.commit()


# --- links -----------------------------------------------------------------------------------


@blp.route("/cases/<int:case_id>/links")
class CaseLinks(MethodView):
    @blp.response(200, link_schemas.LinkTreeSchema)
    def get(self, case_id: int) -> LinkTree:
        """What links to what: subjects → assets they hold → orders → requests.

        Also what is linked to nothing, and, for a party of the case, the caller's own State's
        other cases that hold the same subject or account.
        """
        tree = link_tree.link_tree(current_user, case_id, clock.now())
        db.session.commit()
        return tree


# --- measures --------------------------------------------------------------------------------


def _measure(measure_id: int) -> MeasureView:
    view = measures.measure_view(current_user, measure_id, clock.now())
    db.session.commit()
    return view


@blp.route("/cases/<int:case_id>/measures")
class CaseMeasures(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, schemas.MeasureListSchema)
    def get(self, args: dict[str, Any], case_id: int) -> dict[str, Any]:
        """The case's freezing and seizure orders, each with its derived status and expiry."""
        items = measures.measure_summaries(
            measures.list_measures(current_user, case_id), clock.now()
        )
        db.session.commit()
        return _page(items, args)

    @blp.arguments(schemas.MeasureInput)
    @blp.response(201, schemas.MeasureDetailSchema)
    @refuses(blp, 403)
    def post(self, data: dict[str, Any], case_id: int) -> MeasureView:
        """Record a freezing or seizure order over one or more assets of the case."""
        values = dict(data)
        values["asset_ids"] = values.pop("assets")
        values["request_id"] = values.pop("request")
        measure = measures.record_measure(current_user, case_id, now=clock.now(), **values)
        return _measure(measure.id)


@blp.route("/measures/<int:measure_id>")
class MeasureById(MethodView):
    @blp.response(200, schemas.MeasureDetailSchema, headers=ETAG)
    def get(self, measure_id: int) -> tuple[MeasureView, dict[str, str]]:
        """One order with its status, extensions, consultations and history."""
        view = _measure(measure_id)
        return tagged(view, view.version)

    @blp.arguments(schemas.MeasurePatch)
    @blp.response(200, schemas.MeasureDetailSchema, headers=ETAG)
    @refuses(blp, 403, 409)
    @edits_version(blp)
    def patch(self, data: dict[str, Any], measure_id: int) -> tuple[MeasureView, dict[str, str]]:
        """Complete or correct an order (effective date once made, review hearing ...)."""
        measures.update_measure(current_user, measure_id, data, clock.now(), if_match())
        view = _measure(measure_id)
        return tagged(view, view.version)


@blp.route("/measures/<int:measure_id>/extensions")
class MeasureExtensions(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, schemas.ExtensionListSchema)
    def get(self, args: dict[str, Any], measure_id: int) -> dict[str, Any]:
        """The order's extensions, oldest first."""
        view = _measure(measure_id)
        return _page(view.extensions, args)

    @blp.arguments(schemas.ExtensionInput)
    @blp.response(201, schemas.MeasureDetailSchema)
    @refuses(blp, 403, 409)
    def post(self, data: dict[str, Any], measure_id: int) -> MeasureView:
        """Record an extension; the new expiry must come after the current one."""
        endings.extend_measure(current_user, measure_id, now=clock.now(), **data)
        return _measure(measure_id)


@blp.route("/measures/<int:measure_id>/lifting")
class MeasureLifting(MethodView):
    @blp.arguments(schemas.LiftingInput)
    @blp.response(200, schemas.MeasureDetailSchema)
    @refuses(blp, 403, 409)
    def post(self, data: dict[str, Any], measure_id: int) -> MeasureView:
        """Record that the order was lifted, and why."""
        endings.lift_measure(current_user, measure_id, reason=data["reason"], now=clock.now())
        return _measure(measure_id)


@blp.route("/measures/<int:measure_id>/replacement")
class MeasureReplacement(MethodView):
    @blp.arguments(schemas.ReplacementInput)
    @blp.response(200, schemas.MeasureDetailSchema)
    @refuses(blp, 403, 409)
    def post(self, data: dict[str, Any], measure_id: int) -> MeasureView:
        """Record that a confiscation order replaced the measure."""
        endings.replace_with_confiscation(current_user, measure_id, now=clock.now(), **data)
        return _measure(measure_id)


@blp.route("/measures/<int:measure_id>/consultations")
class MeasureConsultations(MethodView):
    @blp.arguments(schemas.ConsultationInput)
    @blp.response(201, schemas.MeasureDetailSchema)
    @refuses(blp, 403, 409)
    def post(self, data: dict[str, Any], measure_id: int) -> MeasureView:
        """Record the art. 55(8) invitation to give reasons before the order is lifted."""
        consultations.record_consultation(current_user, measure_id, now=clock.now(), **data)
        return _measure(measure_id)


@blp.route("/measures/<int:measure_id>/consultations/<int:consultation_id>")
class MeasureConsultation(MethodView):
    @blp.arguments(schemas.ConsultationPatch)
    @blp.response(200, schemas.MeasureDetailSchema, headers=ETAG)
    @refuses(blp, 403, 409)
    @edits_version(blp)
    def patch(
        self, data: dict[str, Any], measure_id: int, consultation_id: int
    ) -> tuple[MeasureView, dict[str, str]]:
        """Note the representations received and the decision taken (the order's ETag)."""
        consultations.update_consultation(
            current_user,
            consultation_id,
            now=clock.now(),
            measure_id=measure_id,
            expected_version=if_match(),
            **data,
        )
        view = _measure(measure_id)
        return tagged(view, view.version)
