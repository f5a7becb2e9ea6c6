"""Pages of asset recovery: subjects, assets and returns, freezing and seizure orders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from network.core import clock
from network.core.errors import InvalidInput
from network.core.i18n import N_
from network.core.types import stored_int
from network.extensions import db
from network.recovery import assets, consultations, endings, measures, returns, subjects
from network.schemas.vocabularies import RETURN_BASES
from network.web.tracking.overview import case_page
from network.web.tracking.pages import (
    Page,
    act,
    bp,
    common_context,
    field_date,
    field_integer,
    field_lines,
    field_optional,
    field_pairs,
    field_text,
)

# --- recorded from a case's overview ---------------------------------------------------------


@bp.route("/cases/<int:case_id>/tracking/subjects", methods=["POST"])
def new_subject(case_id: int) -> Response | Page:
    return act(
        lambda: subjects.record_subject(
            current_user,
            case_id,
            kind=field_text("kind"),
            names=field_lines("names"),
            transliterations=field_lines("transliterations"),
            roles=request.form.getlist("roles"),
            nationality=field_optional("nationality"),
            identifiers=field_pairs("identifiers"),
            requested_state=field_optional("requested_state"),
            now=clock.now(),
        ),
        _("Subject recorded."),
        url_for("web_tracking.case_tracking", case_id=case_id),
        lambda **kw: case_page(case_id, **kw),
    )


@bp.route("/cases/<int:case_id>/tracking/assets", methods=["POST"])
def new_asset(case_id: int) -> Response | Page:
    return act(
        lambda: assets.record_asset(
            current_user,
            case_id,
            kind=field_text("kind"),
            location_state=field_text("location_state"),
            holder=field_integer("holder"),
            estimated_value=field_optional("estimated_value"),
            currency=field_optional("currency"),
            description=field_text("description"),
            identifiers=field_pairs("identifiers"),
            third_party_interests=field_text("third_party_interests"),
            requested_state=field_optional("requested_state"),
            now=clock.now(),
        ),
        _("Asset recorded."),
        url_for("web_tracking.case_tracking", case_id=case_id),
        lambda **kw: case_page(case_id, **kw),
    )


@bp.route("/cases/<int:case_id>/tracking/measures", methods=["POST"])
def new_measure(case_id: int) -> Response | Page:
    def assets() -> list[int]:
        try:
            return [stored_int(each) for each in request.form.getlist("assets")]
        except ValueError:
            raise InvalidInput(
                N_("Some values are not valid."), {"assets": [N_("Choose assets of this case.")]}
            ) from None

    return act(
        lambda: measures.record_measure(
            current_user,
            case_id,
            kind=field_text("kind"),
            asset_ids=assets(),
            issuing_authority=field_text("issuing_authority"),
            issuing_state=field_text("issuing_state"),
            legal_basis=field_text("legal_basis"),
            enforcement=field_text("enforcement") or "indirect",
            effective_on=field_date("effective_on"),
            expires_on=field_date("expires_on"),
            longest_duration_days=field_integer("longest_duration_days"),
            next_review_on=field_date("next_review_on"),
            order_reference=field_text("order_reference"),
            requested_state=field_optional("requested_state"),
            now=clock.now(),
        ),
        _("Order recorded."),
        url_for("web_tracking.case_tracking", case_id=case_id),
        lambda **kw: case_page(case_id, **kw),
    )


# --- an asset --------------------------------------------------------------------------------


def _asset_page(asset_id: int, status: int = 200, **extra: Any) -> Page:
    view = assets.asset_view(current_user, asset_id, clock.now())
    context = {**common_context(), "asset": view, "bases": RETURN_BASES, **extra}
    db.session.commit()
    return render_template("tracking/asset.html", **context), status


@bp.route("/assets/<int:asset_id>")
def asset_page(asset_id: int) -> Page:
    return _asset_page(asset_id)


@bp.route("/assets/<int:asset_id>/status", methods=["POST"])
def asset_status(asset_id: int) -> Response | Page:
    return act(
        lambda: assets.change_asset_status(
            current_user, asset_id, field_text("to"), field_text("reason"), clock.now()
        ),
        _("Status changed."),
        url_for("web_tracking.asset_page", asset_id=asset_id),
        lambda **kw: _asset_page(asset_id, **kw),
    )


@bp.route("/assets/<int:asset_id>/returns", methods=["POST"])
def asset_return(asset_id: int) -> Response | Page:
    return act(
        lambda: returns.record_return(
            current_user,
            asset_id,
            basis=field_text("basis"),
            amount=field_text("amount"),
            currency=field_text("currency"),
            expenses_deducted=field_text("expenses_deducted") or "0",
            agreement_reference=field_text("agreement_reference"),
            disbursed_on=field_date("disbursed_on"),
            now=clock.now(),
        ),
        _("Return recorded."),
        url_for("web_tracking.asset_page", asset_id=asset_id),
        lambda **kw: _asset_page(asset_id, **kw),
    )


# --- a measure -------------------------------------------------------------------------------


def _measure_page(measure_id: int, status: int = 200, **extra: Any) -> Page:
    view = measures.measure_view(current_user, measure_id, clock.now())
    context = {**common_context(), "measure": view, **extra}
    db.session.commit()
    return render_template("tracking/measure.html", **context), status


@bp.route("/measures/<int:measure_id>")
def measure_page(measure_id: int) -> Page:
    return _measure_page(measure_id)


def _measure_action(measure_id: int, action: Callable[[], object], success: str) -> Response | Page:
    return act(
        action,
        success,
        url_for("web_tracking.measure_page", measure_id=measure_id),
        lambda **kw: _measure_page(measure_id, **kw),
    )


@bp.route("/measures/<int:measure_id>/dates", methods=["POST"])
def measure_dates(measure_id: int) -> Response | Page:
    def values() -> dict[str, Any]:
        changes: dict[str, Any] = {"next_review_on": field_date("next_review_on")}
        if "effective_on" in request.form:
            changes["effective_on"] = field_date("effective_on")
        if "expires_on" in request.form:
            changes["expires_on"] = field_date("expires_on")
        return changes

    return _measure_action(
        measure_id,
        lambda: measures.update_measure(current_user, measure_id, values(), clock.now()),
        _("Order saved."),
    )


@bp.route("/measures/<int:measure_id>/extensions", methods=["POST"])
def extend(measure_id: int) -> Response | Page:
    def run() -> None:
        new_expiry = field_date("new_expires_on")
        if new_expiry is None:
            raise InvalidInput(
                N_("Some values are not valid."),
                {"new_expires_on": [N_("This field is required.")]},
            )
        endings.extend_measure(
            current_user,
            measure_id,
            new_expires_on=new_expiry,
            asked_by_state=field_optional("asked_by_state"),
            note=field_text("note"),
            now=clock.now(),
        )

    return _measure_action(measure_id, run, _("Extension recorded."))


@bp.route("/measures/<int:measure_id>/lifting", methods=["POST"])
def lift(measure_id: int) -> Response | Page:
    return _measure_action(
        measure_id,
        lambda: endings.lift_measure(
            current_user, measure_id, reason=field_text("reason"), now=clock.now()
        ),
        _("Lifting recorded."),
    )


@bp.route("/measures/<int:measure_id>/replacement", methods=["POST"])
def replace(measure_id: int) -> Response | Page:
    return _measure_action(
        measure_id,
        lambda: endings.replace_with_confiscation(
            current_user,
            measure_id,
            confiscation_reference=field_text("confiscation_reference"),
            confiscated_on=field_date("confiscated_on"),
            now=clock.now(),
        ),
        _("Confiscation recorded."),
    )


@bp.route("/measures/<int:measure_id>/consultations", methods=["POST"])
def consult(measure_id: int) -> Response | Page:
    def run() -> None:
        invited, deadline = field_date("invited_on"), field_date("deadline_on")
        if invited is None or deadline is None:
            missing = "invited_on" if invited is None else "deadline_on"
            raise InvalidInput(
                N_("Some values are not valid."), {missing: [N_("This field is required.")]}
            )
        consultations.record_consultation(
            current_user,
            measure_id,
            invited_on=invited,
            deadline_on=deadline,
            representations_received_on=field_date("representations_received_on"),
            representations=field_text("representations"),
            decision=field_text("decision") or "pending",
            now=clock.now(),
        )

    return _measure_action(measure_id, run, _("Consultation recorded."))
