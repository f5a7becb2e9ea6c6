"""Focal-point pages: a person, their form, their confirmation and their vCard."""

from __future__ import annotations

from typing import Any

from flask import Response, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from network.auth.models import User
from network.auth.policy import Action, can, require
from network.core import clock
from network.core.errors import InvalidInput
from network.core.types import stored_int
from network.directory import freshness
from network.directory.authorities import state_authorities
from network.directory.focal_points import create_focal_point, get_focal_point, update_focal_point
from network.directory.office_hours import office_status
from network.directory.states import get_state
from network.extensions import db
from network.schemas.vocabularies import EXPERTISE, FOCAL_POINT_STATUSES
from network.web.directory.pages import (
    after_confirming,
    apply_errors,
    bp,
    labels,
    render,
    vcard_download,
)
from network.web.directory_forms import FocalPointForm


def _focal_point_form(state_code: str, obj: Any = None) -> FocalPointForm:
    form = FocalPointForm(obj=obj)
    form.authority_id.choices = [(a.id, a.name) for a in state_authorities(state_code)]
    form.expertise.choices = labels(EXPERTISE)
    form.status.choices = labels(FOCAL_POINT_STATUSES)
    users = db.session.scalars(
        select(User).where(User.state_code == state_code, User.active.is_(True)).order_by(User.name)
    ).all()
    form.user_id.choices = [("", "—")] + [(str(u.id), f"{u.name} <{u.email}>") for u in users]
    if request.method == "GET" and obj is not None:
        form.languages.data = ", ".join(obj.languages or [])
        form.networks.data = ", ".join(f"{m['network']}:{m['status']}" for m in obj.networks or [])
        form.user_id.data = str(obj.user_id or "")
    return form


def _focal_point_values(form: FocalPointForm) -> dict[str, Any]:
    user = (form.user_id.data or "").strip()
    return {
        "authority_id": form.authority_id.data,
        "name": form.name.data or "",
        "name_latin": form.name_latin.data or "",
        "title": form.title.data or "",
        "email": form.email.data or "",
        "phone": form.phone.data or "",
        "languages": form.languages.data or "",
        "expertise": list(form.expertise.data or []),
        "networks": form.networks.data or "",
        "user_id": int(user) if user.isdigit() else None,
        "status": form.status.data,
    }


@bp.route("/states/<string:code>/focal-points/new", methods=["GET", "POST"])
def new_focal_point(code: str) -> BaseResponse | tuple[str, int]:
    found = get_state(code)
    require(current_user, Action.EDIT_STATE_DIRECTORY, found.code)
    form = _focal_point_form(found.code)
    authority_id = request.args.get("authority", type=stored_int)
    if request.method == "GET" and authority_id:
        form.authority_id.data = authority_id
    if not form.authority_id.choices:
        flash(_("Add an authority first: every focal point belongs to one."), "info")
        return redirect(url_for("web_directory.new_authority", code=found.code))
    if not form.validate_on_submit():
        return render(
            "directory/focal_point_form.html",
            422 if form.errors else 200,
            form=form,
            state=found,
            focal_point=None,
        )
    try:
        person = create_focal_point(
            current_user, _focal_point_values(form), now=clock.now()
        )
    except InvalidInput as error:
        db.session.rollback()
        apply_errors(form, error)
        return render(
            "directory/focal_point_form.html", 422, form=form, state=found, focal_point=None
        )
    db.session.commit()
    flash(_("Focal point added."), "success")
    return redirect(url_for("web_directory.focal_point", focal_point_id=person.id))


@bp.route("/focal-points/<int:focal_point_id>")
def focal_point(focal_point_id: int) -> tuple[str, int]:
    found = get_focal_point(focal_point_id)
    return render(
        "directory/focal_point.html",
        person=found,
        office=office_status(found.authority, clock.now()),
        can_edit=can(current_user, Action.EDIT_STATE_DIRECTORY, found.state_code),
    )


@bp.route("/focal-points/<int:focal_point_id>/edit", methods=["GET", "POST"])
def edit_focal_point(focal_point_id: int) -> BaseResponse | tuple[str, int]:
    found = get_focal_point(focal_point_id)
    require(current_user, Action.EDIT_STATE_DIRECTORY, found.state_code)
    form = _focal_point_form(found.state_code, found)
    if not form.validate_on_submit():
        return render(
            "directory/focal_point_form.html",
            422 if form.errors else 200,
            form=form,
            state=found.state,
            focal_point=found,
        )
    try:
        update_focal_point(
            current_user, found.id, _focal_point_values(form), now=clock.now()
        )
    except InvalidInput as error:
        db.session.rollback()
        apply_errors(form, error)
        return render(
            "directory/focal_point_form.html", 422, form=form, state=found.state, focal_point=found
        )
    db.session.commit()
    flash(_("Focal point saved and confirmed."), "success")
    return redirect(url_for("web_directory.focal_point", focal_point_id=found.id))


@bp.route("/focal-points/<int:focal_point_id>/confirm", methods=["POST"])
def confirm_focal_point(focal_point_id: int) -> BaseResponse:
    found = freshness.confirm_focal_point(current_user, focal_point_id, now=clock.now())
    own_page = url_for("web_directory.focal_point", focal_point_id=found.id)
    return after_confirming(found, own_page)


@bp.route("/focal-points/<int:focal_point_id>.vcf")
def focal_point_vcard(focal_point_id: int) -> Response:
    return vcard_download(get_focal_point(focal_point_id), f"focal-point-{focal_point_id}.vcf")
