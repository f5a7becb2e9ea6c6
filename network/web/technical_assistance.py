"""Technical assistance: the network's figures, the secretariat's view by State, one's own."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from network.auth.policy import Action, can
from network.core import clock
from network.core.errors import InvalidInput, NotFound, PermissionDenied, StaleEdit
from network.core.types import stored_int
from network.extensions import db
from network.http.errors import translate
from network.library import technical_assistance
from network.schemas import library_vocabularies as vocab
from network.schemas.library import AssistanceNeedInput, AssistanceNeedPatch
from network.web.forms import Form, blank, refused, submitted, version_seen

bp = Blueprint("web_technical_assistance", __name__, url_prefix="/technical-assistance")

PER_PAGE = 50


def _options(choices: dict[str, str]) -> list[tuple[str, str]]:
    return [(key, translate(label)) for key, label in choices.items()]


def _page(form: Form, status: int = 200) -> tuple[str, int]:
    may_record = can(current_user, Action.RECORD_TECHNICAL_ASSISTANCE, current_user.state_code)
    by_state = can(current_user, Action.VIEW_TECHNICAL_ASSISTANCE_BY_STATE)
    state = (request.args.get("state") or "").upper()[:3] or None
    page = max(1, request.args.get("page", 1, type=stored_int))
    entries: list[Any] = []
    total = 0
    if by_state or may_record:
        entries, total = technical_assistance.list_entries(
            current_user, state=state if by_state else None, page=page, per_page=PER_PAGE
        )
    return render_template(
        "library/technical_assistance.html",
        figures=technical_assistance.network_figures(current_user),
        entries=entries,
        total=total,
        page=page,
        pages=max(1, -(-total // PER_PAGE)),
        state=state or "",
        by_state=by_state,
        may_record=may_record,
        form=form,
        vocab=vocab,
        tr=translate,
        areas=_options(vocab.ASSISTANCE_AREAS),
        directions=_options(vocab.ASSISTANCE_DIRECTIONS),
        statuses=_options(vocab.ASSISTANCE_STATUSES),
        min_states=technical_assistance.MIN_STATES,
    ), status


@bp.route("", methods=["GET", "POST"])
def index() -> BaseResponse | tuple[str, int]:
    if request.method != "POST":
        return _page(blank(direction="need"))
    values, form = submitted(AssistanceNeedInput())
    if values is None:
        return _page(form, 422)
    try:
        technical_assistance.record_entry(current_user, values, now=clock.now())
    except (InvalidInput, PermissionDenied) as error:
        db.session.rollback()
        flash(translate(error.message, error.params), "error")
        return _page(refused(form, error), error.status)
    db.session.commit()
    flash(_("Recorded."), "success")
    return redirect(url_for("web_technical_assistance.index"))


@bp.route("/<int:entry_id>", methods=["POST"])
def change(entry_id: int) -> BaseResponse:
    """Mark one's own need or offer met or withdrawn (or open again)."""
    values, _form = submitted(AssistanceNeedPatch())
    if values is None:
        abort(422)
    try:
        technical_assistance.update_entry(
            current_user, entry_id, values, now=clock.now(), expected_version=version_seen()
        )
    except (NotFound, PermissionDenied, StaleEdit) as error:
        db.session.rollback()
        flash(translate(error.message, error.params), "error")
        return redirect(url_for("web_technical_assistance.index"))
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for("web_technical_assistance.index"))
