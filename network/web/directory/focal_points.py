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
from network.directory.models import FocalPoint, State
from network.directory.office_hours import office_status
from network.directory.states import get_state
from network.extensions import db
from network.schemas.directory import FocalPointPageInput
from network.schemas.directory_vocabularies import EXPERTISE, FOCAL_POINT_STATUSES
from network.web.directory.pages import (
    after_confirming,
    bp,
    edit_page,
    labels,
    memberships_typed,
    render,
    show_refusal,
    vcard_download,
)
from network.web.forms import Form, blank, submitted

_TEXT = ("name", "name_latin", "title", "email", "phone", "languages", "networks")


def _page(
    state: State, person: FocalPoint | None, form: Form, status: int = 200
) -> tuple[str, int]:
    """The focal-point form with the authorities, vocabularies and accounts of the State."""
    users = db.session.scalars(
        select(User).where(User.state_code == state.code, User.active.is_(True)).order_by(User.name)
    ).all()
    return render(
        "directory/focal_point_form.html",
        status,
        form=form,
        state=state,
        focal_point=person,
        authority_choices=[(a.id, a.name) for a in state_authorities(state.code)],
        expertise_choices=labels(EXPERTISE),
        status_choices=labels(FOCAL_POINT_STATUSES),
        user_choices=[(u.id, f"{u.name} <{u.email}>") for u in users],
    )


def _shown(person: FocalPoint) -> Form:
    """A focal point as its form first shows it."""
    typed = {name: getattr(person, name) or "" for name in _TEXT}
    typed["languages"] = ", ".join(person.languages or [])
    typed["networks"] = memberships_typed(person.networks)
    return blank(
        **typed,
        authority_id=person.authority_id,
        expertise=person.expertise or [],
        user_id=person.user_id or "",
        status=person.status,
    )


def _focal_point_values(values: dict[str, Any]) -> dict[str, Any]:
    """Every field, a blank one as blank, so that saving clears what was cleared."""
    return {
        **{name: values.get(name, "") for name in _TEXT},
        "authority_id": values["authority_id"],
        "expertise": values.get("expertise", []),
        "user_id": values.get("user_id"),
        "status": values.get("status"),
    }


@bp.route("/states/<string:code>/focal-points/new", methods=["GET", "POST"])
def new_focal_point(code: str) -> BaseResponse | tuple[str, int]:
    found = get_state(code)
    require(current_user, Action.EDIT_STATE_DIRECTORY, found.code)
    if not state_authorities(found.code):
        flash(_("Add an authority first: every focal point belongs to one."), "info")
        return redirect(url_for("web_directory.new_authority", code=found.code))
    if request.method != "POST":
        authority_id = request.args.get("authority", type=stored_int)
        return _page(found, None, blank(authority_id=authority_id or ""))
    values, form = submitted(FocalPointPageInput())
    if values is None:
        return _page(found, None, form, 422)
    try:
        person = create_focal_point(current_user, _focal_point_values(values), now=clock.now())
    except InvalidInput as error:
        db.session.rollback()
        return _page(found, None, show_refusal(form, error), 422)
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
    own_page = url_for("web_directory.focal_point", focal_point_id=focal_point_id)
    return edit_page(
        get_focal_point(focal_point_id), FocalPointPageInput(), _focal_point_values,
        update_focal_point, _page, _shown, _("Focal point saved and confirmed."), own_page,
    )


@bp.route("/focal-points/<int:focal_point_id>/confirm", methods=["POST"])
def confirm_focal_point(focal_point_id: int) -> BaseResponse:
    found = freshness.confirm_focal_point(current_user, focal_point_id, now=clock.now())
    own_page = url_for("web_directory.focal_point", focal_point_id=found.id)
    return after_confirming(found, own_page)


@bp.route("/focal-points/<int:focal_point_id>.vcf")
def focal_point_vcard(focal_point_id: int) -> Response:
    return vcard_download(get_focal_point(focal_point_id), f"focal-point-{focal_point_id}.vcf")
