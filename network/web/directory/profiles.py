"""The country-profile form: a State's national administrator saves a new version."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from network.auth.policy import Action, require
from network.core import clock
from network.core.errors import InvalidInput, StaleEdit
from network.directory.models import CountryProfile
from network.directory.profiles import current_profile, revise_profile
from network.directory.states import get_state
from network.extensions import db
from network.schemas.directory import ProfilePageInput
from network.schemas.directory_vocabularies import (
    DUAL_CRIMINALITY,
    FOREIGN_ORDERS,
    TREATY_OR_RECIPROCITY,
)
from network.web.directory.pages import bp, labels, render, show_refusal
from network.web.forms import Form, blank, submitted, version_seen

_TRI_FIELDS = (
    "uncac_basis_mla",
    "uncac_basis_extradition",
    "uncac_basis_confiscation",
    "persons_notified",
    "appeal_possible",
    "ncb_forfeiture",
    "foreign_ncb_enforceable",
)
_CHOICE_FIELDS = (
    "treaty_or_reciprocity",
    "dual_criminality",
    "foreign_freezing_orders",
    "foreign_confiscation_orders",
)
_TEXT_FIELDS = (
    "evidence_use_limits",
    "longest_freeze",
    "freeze_extension",
    "urgent_procedure",
    "translation_needs",
    "typical_time_to_freeze",
    "templates",
    "note",
)


def _tri(value: bool | None) -> str:
    return {True: "yes", False: "no", None: ""}[value]


def _shown(current: CountryProfile | None) -> Form:
    """The form filled from the current version, when there is one."""
    if current is None:
        return blank()
    typed: dict[str, Any] = {name: _tri(getattr(current, name)) for name in _TRI_FIELDS}
    typed.update({name: getattr(current, name) for name in (*_CHOICE_FIELDS, *_TEXT_FIELDS[:-1])})
    return blank(**typed, languages=", ".join(current.languages), links=current.links)


def _profile_values(values: dict[str, Any]) -> dict[str, Any]:
    """Every field, a blank one as blank, so that a new version clears what was cleared."""
    sent: dict[str, Any] = {name: values.get(name) for name in (*_TRI_FIELDS, *_CHOICE_FIELDS)}
    sent.update({name: values.get(name, "") for name in (*_TEXT_FIELDS, "languages")})
    sent["links"] = values.get("links", [])
    return sent


@bp.route("/states/<string:code>/profile/edit", methods=["GET", "POST"])
def edit_profile(code: str) -> BaseResponse | tuple[str, int]:
    found = get_state(code)
    require(current_user, Action.EDIT_STATE_DIRECTORY, found.code)
    current = current_profile(found.code)

    def page(form: Form, status: int) -> tuple[str, int]:
        return render(
            "directory/profile_form.html",
            status,
            form=form,
            state=found,
            current=current,
            tri_choices=[("yes", _("Yes")), ("no", _("No"))],
            treaty_choices=labels(TREATY_OR_RECIPROCITY),
            dual_choices=labels(DUAL_CRIMINALITY),
            order_choices=labels(FOREIGN_ORDERS),
        )

    if request.method != "POST":
        return page(_shown(current), 200)
    values, form = submitted(ProfilePageInput())
    if values is None:
        return page(form, 422)
    try:
        revise_profile(
            current_user,
            found.code,
            _profile_values(values),
            now=clock.now(),
            expected_version=version_seen(),
        )
    except (InvalidInput, StaleEdit) as error:
        db.session.rollback()
        return page(show_refusal(form, error), error.status)
    db.session.commit()
    flash(_("Country profile saved as a new version."), "success")
    return redirect(url_for("web_directory.state", code=found.code) + "#profile")
