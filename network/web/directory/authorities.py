"""Authority pages: an authority, its form, its confirmation and its vCard."""

from __future__ import annotations

from typing import Any

from flask import Response, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from network.auth.policy import Action, can, require
from network.core import clock
from network.core.errors import InvalidInput
from network.directory import freshness
from network.directory.authorities import create_authority, get_authority, update_authority
from network.directory.focal_points import list_focal_points
from network.directory.office_hours import office_status
from network.directory.states import get_state
from network.extensions import db
from network.schemas.vocabularies import (
    AUTHORITY_CHANNELS,
    AUTHORITY_KINDS,
    AUTHORITY_STATUSES,
    TRANSMISSION_MEANS,
)
from network.web.directory.pages import (
    after_confirming,
    apply_errors,
    bp,
    labels,
    render,
    vcard_download,
)
from network.web.directory_forms import AuthorityForm


def _authority_form(obj: Any = None) -> AuthorityForm:
    form = AuthorityForm(obj=obj)
    form.kind.choices = labels(AUTHORITY_KINDS)
    form.status.choices = labels(AUTHORITY_STATUSES)
    form.transmission_means.choices = labels(TRANSMISSION_MEANS)
    form.channels.choices = labels(AUTHORITY_CHANNELS)
    if request.method == "GET" and obj is not None:
        form.languages.data = ", ".join(obj.languages or [])
        form.networks.data = ", ".join(f"{m['network']}:{m['status']}" for m in obj.networks or [])
        form.name_en.data = obj.name_en or ""
    return form


def _authority_values(form: AuthorityForm) -> dict[str, Any]:
    return {
        "kind": form.kind.data,
        "name": form.name.data or "",
        "name_en": form.name_en.data or "",
        "address": form.address.data or "",
        "phone": form.phone.data or "",
        "phone_24_7": form.phone_24_7.data or "",
        "email": form.email.data or "",
        "time_zone": (form.time_zone.data or "").strip(),
        "office_days": form.office_days.data or "",
        "opens_at": form.opens_at.data or "",
        "closes_at": form.closes_at.data or "",
        "languages": form.languages.data or "",
        "transmission_means": list(form.transmission_means.data or []),
        "encryption_required": bool(form.encryption_required.data),
        "e_signature_required": bool(form.e_signature_required.data),
        "channels": list(form.channels.data or []),
        "oral_urgent_requests": bool(form.oral_urgent_requests.data),
        "networks": form.networks.data or "",
        "source": form.source.data or "",
        "status": form.status.data,
    }


@bp.route("/states/<string:code>/authorities/new", methods=["GET", "POST"])
def new_authority(code: str) -> BaseResponse | tuple[str, int]:
    found = get_state(code)
    require(current_user, Action.EDIT_STATE_DIRECTORY, found.code)
    form = _authority_form()
    if request.method == "GET":
        form.time_zone.data = found.time_zone
        form.office_days.data, form.opens_at.data, form.closes_at.data = "12345", "09:00", "17:00"
    if not form.validate_on_submit():
        return render(
            "directory/authority_form.html",
            422 if form.errors else 200,
            form=form,
            state=found,
            authority=None,
        )
    try:
        authority = create_authority(
            current_user, found.code, _authority_values(form), now=clock.now()
        )
    except InvalidInput as error:
        db.session.rollback()
        apply_errors(form, error)
        return render("directory/authority_form.html", 422, form=form, state=found, authority=None)
    db.session.commit()
    flash(_("Authority added."), "success")
    return redirect(url_for("web_directory.authority", authority_id=authority.id))


@bp.route("/authorities/<int:authority_id>")
def authority(authority_id: int) -> tuple[str, int]:
    found = get_authority(authority_id)
    focal_points, _total = list_focal_points(authority_id=found.id, per_page=200)
    return render(
        "directory/authority.html",
        authority=found,
        focal_points=focal_points,
        office=office_status(found, clock.now()),
        can_edit=can(current_user, Action.EDIT_STATE_DIRECTORY, found.state_code),
    )


@bp.route("/authorities/<int:authority_id>/edit", methods=["GET", "POST"])
def edit_authority(authority_id: int) -> BaseResponse | tuple[str, int]:
    found = get_authority(authority_id)
    require(current_user, Action.EDIT_STATE_DIRECTORY, found.state_code)
    form = _authority_form(found)
    if not form.validate_on_submit():
        return render(
            "directory/authority_form.html",
            422 if form.errors else 200,
            form=form,
            state=found.state,
            authority=found,
        )
    try:
        update_authority(current_user, found.id, _authority_values(form), now=clock.now())
    except InvalidInput as error:
        db.session.rollback()
        apply_errors(form, error)
        return render(
            "directory/authority_form.html", 422, form=form, state=found.state, authority=found
        )
    db.session.commit()
    flash(_("Authority saved and confirmed."), "success")
    return redirect(url_for("web_directory.authority", authority_id=found.id))


@bp.route("/authorities/<int:authority_id>/confirm", methods=["POST"])
def confirm_authority(authority_id: int) -> BaseResponse:
    found = freshness.confirm_authority(current_user, authority_id, now=clock.now())
    return after_confirming(found, url_for("web_directory.authority", authority_id=found.id))


@bp.route("/authorities/<int:authority_id>.vcf")
def authority_vcard(authority_id: int) -> Response:
    return vcard_download(get_authority(authority_id), f"authority-{authority_id}.vcf")
