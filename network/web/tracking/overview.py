"""A case's tracking overview: its requests, subjects, assets and orders on one page."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from network.assistance.read_models import list_requests
from network.cases.access import case_scope
from network.core import clock
from network.extensions import db
from network.recovery import assets, confiscations, measures, returns, subjects
from network.schemas import vocabularies
from network.schemas.vocabularies import REQUEST_KINDS, REQUEST_LEGAL_BASES, TRANSMISSION_CHANNELS
from network.web.forms import Form, blank
from network.web.labels import label
from network.web.tracking.pages import Page, bp, common_context, request_choice

# The overview's forms; the one posted comes back with what was typed and its errors.
_FORMS = (
    "request_form",
    "subject_form",
    "asset_form",
    "measure_form",
    "confiscation_form",
    "finality_form",
    "return_form",
)


def case_page(case_id: int, status: int = 200, **forms: Form) -> Page:
    """The overview; ``forms`` holds the one form posted (request_form, subject_form ...)."""
    now = clock.now()
    scope = case_scope(current_user, case_id)
    items, _total = list_requests(current_user, case_id, now, 1, 200)
    case_subjects = subjects.list_subjects(current_user, case_id)
    case_confiscations = confiscations.list_confiscations(current_user, case_id)
    case_assets = assets.list_assets(current_user, case_id)
    context = {
        **common_context(),
        "case_id": case_id,
        "scope": scope,
        "relationships": sorted(scope.visible),
        "relationship_choices": [(code, code) for code in sorted(scope.visible)],
        "holder_choices": [(each.id, (each.names or [""])[0]) for each in case_subjects],
        "request_choices": [(each.id, request_choice(each)) for each in items],
        "requests": items,
        "subjects": case_subjects,
        "assets": case_assets,
        "confiscations": case_confiscations,
        "confiscation_choices": [
            (each.id, f"#{each.id} ({each.requested_state})") for each in case_confiscations
        ],
        "returns": returns.list_returns(current_user, case_id),
        "confiscable": [
            (each.id, f"#{each.id} {label(each.kind, 'asset_kind')} ({each.requested_state})")
            for each in case_assets
            if each.status != "returned"
        ],
        "measures": measures.measure_summaries(measures.list_measures(current_user, case_id), now),
        "kinds": REQUEST_KINDS,
        "legal_bases": REQUEST_LEGAL_BASES,
        "channels": TRANSMISSION_CHANNELS,
        "vocab": vocabularies,
        **dict.fromkeys(_FORMS, blank()),
        **forms,
    }
    db.session.commit()
    return render_template("tracking/case.html", **context), status


@bp.route("/cases/<int:case_id>/tracking")
def case_tracking(case_id: int) -> Page:
    return case_page(case_id)
