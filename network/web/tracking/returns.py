"""Pages of confiscation and return (art. 57): orders and returns on the case's overview, and
one page per return with its arrangement, lines and milestones.

Each form is loaded with the API's input schema (``network.schemas.returns``).
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

from network.core import clock
from network.extensions import db
from network.recovery import confiscations, return_lines, returns
from network.schemas import vocabularies as vocab
from network.schemas.returns import (
    ArrangementStepInput,
    CaseReturnInput,
    ConfiscationInput,
    FinalityInput,
    MilestoneDoneInput,
    MilestoneInput,
    ReturnLineInput,
)
from network.web.forms import Form, blank
from network.web.tracking.overview import case_page
from network.web.tracking.pages import Page, act_on_form, bp, common_context

# --- from the case's overview ----------------------------------------------------------------


def _on_overview(
    case_id: int,
    schema: Schema,
    record: Callable[[dict[str, Any]], object],
    success: str,
    form_name: str,
) -> Response | Page:
    return act_on_form(
        schema,
        record,
        success,
        url_for("web_tracking.case_tracking", case_id=case_id) + "#returns-heading",
        lambda status, form: case_page(case_id, status, **{form_name: form}),
    )


@bp.route("/cases/<int:case_id>/tracking/confiscations", methods=["POST"])
def new_confiscation(case_id: int) -> Response | Page:
    return _on_overview(
        case_id,
        ConfiscationInput(),
        lambda values: confiscations.record_confiscation(
            current_user, case_id, now=clock.now(), **values
        ),
        _("Confiscation recorded."),
        "confiscation_form",
    )


@bp.route(
    "/cases/<int:case_id>/tracking/confiscations/<int:confiscation_id>/finality",
    methods=["POST"],
)
def confiscation_final(case_id: int, confiscation_id: int) -> Response | Page:
    return _on_overview(
        case_id,
        FinalityInput(),
        lambda values: confiscations.record_finality(
            current_user, confiscation_id, now=clock.now(), **values
        ),
        _("The order is recorded as final."),
        "finality_form",
    )


@bp.route("/cases/<int:case_id>/tracking/returns", methods=["POST"])
def new_return(case_id: int) -> Response | Page:
    return act_on_form(
        CaseReturnInput(),
        lambda values: returns.open_return(current_user, case_id, now=clock.now(), **values),
        _("Return opened."),
        lambda row: url_for("web_tracking.return_page", return_id=row.id),
        lambda status, form: case_page(case_id, status, return_form=form),
    )


# --- a return --------------------------------------------------------------------------------


def _return_page(
    return_id: int, status: int = 200, form: Form | None = None, posted: str = ""
) -> Page:
    view = returns.return_view(current_user, return_id, clock.now())
    _row, scope = returns.access_return(current_user, return_id)
    context = {
        **common_context(),
        "ret": view,
        "party": scope.side is not None,
        "vocab": vocab,
        "posted": posted,
        "form": form or blank(),
        "blank_form": blank(),
    }
    db.session.commit()
    return render_template("tracking/return.html", **context), status


@bp.route("/returns/<int:return_id>")
def return_page(return_id: int) -> Page:
    return _return_page(return_id)


def _return_action(
    return_id: int,
    schema: Schema,
    action: Callable[[dict[str, Any]], object],
    success: str,
    posted: str,
) -> Response | Page:
    back = url_for("web_tracking.return_page", return_id=return_id) + f"#{posted}"
    return act_on_form(
        schema, action, success, back, partial(_return_page, return_id, posted=posted)
    )


@bp.route("/returns/<int:return_id>/steps", methods=["POST"])
def return_step(return_id: int) -> Response | Page:
    return _return_action(
        return_id,
        ArrangementStepInput(),
        lambda values: returns.record_arrangement_step(
            current_user, return_id, now=clock.now(), **values
        ),
        _("Step recorded."),
        "arrangement",
    )


@bp.route("/returns/<int:return_id>/lines", methods=["POST"])
def return_line(return_id: int) -> Response | Page:
    kind = request.form.get("kind", "")
    posted = kind if kind in vocab.RETURN_LINE_KINDS else "lines"
    return _return_action(
        return_id,
        ReturnLineInput(),
        lambda values: return_lines.add_line(current_user, return_id, now=clock.now(), **values),
        _("Line added."),
        posted,
    )


@bp.route("/returns/<int:return_id>/lines/<int:line_id>/removal", methods=["POST"])
def remove_return_line(return_id: int, line_id: int) -> Response | Page:
    return _return_action(
        return_id,
        Schema(),
        lambda _values: return_lines.remove_line(current_user, line_id, clock.now()),
        _("Line removed."),
        "lines",
    )


@bp.route("/returns/<int:return_id>/milestones", methods=["POST"])
def return_milestone(return_id: int) -> Response | Page:
    return _return_action(
        return_id,
        MilestoneInput(),
        lambda values: return_lines.add_milestone(
            current_user, return_id, now=clock.now(), **values
        ),
        _("Milestone added."),
        "milestones",
    )


@bp.route("/returns/<int:return_id>/milestones/<int:milestone_id>/done", methods=["POST"])
def milestone_done(return_id: int, milestone_id: int) -> Response | Page:
    return _return_action(
        return_id,
        MilestoneDoneInput(),
        lambda values: return_lines.complete_milestone(
            current_user, milestone_id, now=clock.now(), **values
        ),
        _("Milestone met."),
        "milestones",
    )
