"""The country-profile form: a State's national administrator saves a new version."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from network.auth.policy import Action, require
from network.core import clock
from network.core.errors import InvalidInput
from network.directory.models import CountryProfile
from network.directory.profiles import current_profile, revise_profile
from network.directory.states import get_state
from network.extensions import db
from network.schemas.vocabularies import DUAL_CRIMINALITY, FOREIGN_ORDERS, TREATY_OR_RECIPROCITY
from network.web.directory.pages import apply_errors, bp, labels, render
from network.web.directory_forms import ProfileForm

_TRI_STATE = [("", "—"), ("yes", "Yes"), ("no", "No")]
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


def _untri(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def _profile_form(current: CountryProfile | None) -> ProfileForm:
    """The form with its choices, filled from the current version when first shown."""
    form = ProfileForm()
    tri = [(key, _(label) if label != "—" else label) for key, label in _TRI_STATE]
    for name in _TRI_FIELDS:
        getattr(form, name).choices = tri
    form.treaty_or_reciprocity.choices = labels(TREATY_OR_RECIPROCITY)
    form.dual_criminality.choices = labels(DUAL_CRIMINALITY)
    form.foreign_freezing_orders.choices = labels(FOREIGN_ORDERS)
    form.foreign_confiscation_orders.choices = labels(FOREIGN_ORDERS)
    if request.method == "GET" and current is not None:
        for name in _TRI_FIELDS:
            getattr(form, name).data = _tri(getattr(current, name))
        for name in (*_CHOICE_FIELDS, *_TEXT_FIELDS[:-1]):
            getattr(form, name).data = getattr(current, name)
        form.languages.data = ", ".join(current.languages)
        form.links.data = "\n".join(current.links)
    return form


def _profile_values(form: ProfileForm) -> dict[str, Any]:
    values: dict[str, Any] = {name: _untri(getattr(form, name).data) for name in _TRI_FIELDS}
    values.update({name: getattr(form, name).data for name in _CHOICE_FIELDS})
    values.update({name: getattr(form, name).data or "" for name in _TEXT_FIELDS})
    values["languages"] = form.languages.data or ""
    values["links"] = [
        line.strip() for line in (form.links.data or "").splitlines() if line.strip()
    ]
    return values


@bp.route("/states/<string:code>/profile/edit", methods=["GET", "POST"])
def edit_profile(code: str) -> BaseResponse | tuple[str, int]:
    found = get_state(code)
    require(current_user, Action.EDIT_STATE_DIRECTORY, found.code)
    current = current_profile(found.code)
    form = _profile_form(current)
    if not form.validate_on_submit():
        return render(
            "directory/profile_form.html",
            422 if form.errors else 200,
            form=form,
            state=found,
            current=current,
        )
    try:
        revise_profile(current_user, found.code, _profile_values(form), now=clock.now())
    except InvalidInput as error:
        db.session.rollback()
        apply_errors(form, error)
        return render("directory/profile_form.html", 422, form=form, state=found, current=current)
    db.session.commit()
    flash(_("Country profile saved as a new version."), "success")
    return redirect(url_for("web_directory.state", code=found.code) + "#profile")
