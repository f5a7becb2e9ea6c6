"""Pages of asset recovery: subjects, assets and returns, freezing and seizure orders.

Each form is loaded with the API's input schema (``network.schemas.recovery``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import Schema
from werkzeug.wrappers import Response

from network.auth.models import User
from network.core import clock
from network.extensions import db
from network.recovery import assets, consultations, endings, measures, returns, subjects
from network.schemas.recovery import (
    AssetInput,
    AssetStatusInput,
    ConsultationInput,
    ExtensionInput,
    LiftingInput,
    MeasureInput,
    MeasurePatch,
    ReplacementInput,
    ReturnInput,
    SubjectInput,
)
from network.schemas.vocabularies import RETURN_BASES
from network.web.forms import Form, blank, version_seen
from network.web.tracking.overview import case_page
from network.web.tracking.pages import Page, act_on_form, bp, common_context

# --- recorded from a case's overview ---------------------------------------------------------


def _recorded(
    case_id: int, schema: Schema, record: Callable[..., object], success: str, form_name: str
) -> Response | Page:
    """Record one thing of the case from its overview, which shows the form again if refused."""
    return act_on_form(
        schema,
        lambda values: record(current_user, case_id, now=clock.now(), **values),
        success,
        url_for("web_tracking.case_tracking", case_id=case_id),
        lambda status, form: case_page(case_id, status, **{form_name: form}),
    )


@bp.route("/cases/<int:case_id>/tracking/subjects", methods=["POST"])
def new_subject(case_id: int) -> Response | Page:
    return _recorded(
        case_id, SubjectInput(), subjects.record_subject, _("Subject recorded."), "subject_form"
    )


@bp.route("/cases/<int:case_id>/tracking/assets", methods=["POST"])
def new_asset(case_id: int) -> Response | Page:
    return _recorded(case_id, AssetInput(), assets.record_asset, _("Asset recorded."), "asset_form")


def _record_measure(actor: User, case_id: int, **values: Any) -> object:
    """An order as the schema loads it, where "assets" and "request" name ids."""
    asset_ids, request_id = values.pop("assets"), values.pop("request")
    return measures.record_measure(
        actor, case_id, asset_ids=asset_ids, request_id=request_id, **values
    )


@bp.route("/cases/<int:case_id>/tracking/measures", methods=["POST"])
def new_measure(case_id: int) -> Response | Page:
    return _recorded(case_id, MeasureInput(), _record_measure, _("Order recorded."), "measure_form")


# --- an asset --------------------------------------------------------------------------------


def _asset_page(asset_id: int, status: int = 200, form: Form | None = None) -> Page:
    view = assets.asset_view(current_user, asset_id, clock.now())
    context = {**common_context(), "asset": view, "bases": RETURN_BASES, "form": form or blank()}
    db.session.commit()
    return render_template("tracking/asset.html", **context), status


@bp.route("/assets/<int:asset_id>")
def asset_page(asset_id: int) -> Page:
    return _asset_page(asset_id)


def _asset_action(
    asset_id: int, schema: Schema, action: Callable[[dict[str, Any]], object], success: str
) -> Response | Page:
    back = url_for("web_tracking.asset_page", asset_id=asset_id)
    return act_on_form(schema, action, success, back, partial(_asset_page, asset_id))


@bp.route("/assets/<int:asset_id>/status", methods=["POST"])
def asset_status(asset_id: int) -> Response | Page:
    return _asset_action(
        asset_id,
        AssetStatusInput(),
        lambda values: assets.change_asset_status(
            current_user, asset_id, values["to"], values["reason"], clock.now()
        ),
        _("Status changed."),
    )


@bp.route("/assets/<int:asset_id>/returns", methods=["POST"])
def asset_return(asset_id: int) -> Response | Page:
    return _asset_action(
        asset_id,
        ReturnInput(),
        lambda values: returns.record_return(current_user, asset_id, now=clock.now(), **values),
        _("Return recorded."),
    )


# --- a measure -------------------------------------------------------------------------------


def _measure_page(measure_id: int, status: int = 200, form: Form | None = None) -> Page:
    view = measures.measure_view(current_user, measure_id, clock.now())
    context = {**common_context(), "measure": view, "form": form or blank()}
    db.session.commit()
    return render_template("tracking/measure.html", **context), status


@bp.route("/measures/<int:measure_id>")
def measure_page(measure_id: int) -> Page:
    return _measure_page(measure_id)


def _measure_action(
    measure_id: int, schema: Schema, action: Callable[[dict[str, Any]], object], success: str
) -> Response | Page:
    back = url_for("web_tracking.measure_page", measure_id=measure_id)
    return act_on_form(schema, action, success, back, partial(_measure_page, measure_id))


# The dates form: the review hearing always, the order's dates only while it shows them;
# a date left blank is cleared.
_DATES = ("effective_on", "expires_on", "next_review_on")


@bp.route("/measures/<int:measure_id>/dates", methods=["POST"])
def measure_dates(measure_id: int) -> Response | Page:
    def save(values: dict[str, Any]) -> object:
        shown = [name for name in _DATES if name in request.form or name == "next_review_on"]
        changes = {name: values.get(name) for name in shown}
        return measures.update_measure(
            current_user, measure_id, changes, clock.now(), version_seen()
        )

    return _measure_action(measure_id, MeasurePatch(only=_DATES), save, _("Order saved."))


@bp.route("/measures/<int:measure_id>/extensions", methods=["POST"])
def extend(measure_id: int) -> Response | Page:
    return _measure_action(
        measure_id,
        ExtensionInput(),
        lambda values: endings.extend_measure(current_user, measure_id, now=clock.now(), **values),
        _("Extension recorded."),
    )


@bp.route("/measures/<int:measure_id>/lifting", methods=["POST"])
def lift(measure_id: int) -> Response | Page:
    return _measure_action(
        measure_id,
        LiftingInput(),
        lambda values: endings.lift_measure(
            current_user, measure_id, reason=values["reason"], now=clock.now()
        ),
        _("Lifting recorded."),
    )


@bp.route("/measures/<int:measure_id>/replacement", methods=["POST"])
def replace(measure_id: int) -> Response | Page:
    return _measure_action(
        measure_id,
        ReplacementInput(),
        lambda values: endings.replace_with_confiscation(
            current_user, measure_id, now=clock.now(), **values
        ),
        _("Confiscation recorded."),
    )


@bp.route("/measures/<int:measure_id>/consultations", methods=["POST"])
def consult(measure_id: int) -> Response | Page:
    return _measure_action(
        measure_id,
        ConsultationInput(),
        lambda values: consultations.record_consultation(
            current_user, measure_id, now=clock.now(), **values
        ),
        _("Consultation recorded."),
    )
