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
from network.directory.models import Authority, State
from network.directory.office_hours import office_status
from network.directory.states import get_state
from network.extensions import db
from network.schemas.directory import AuthorityPageInput
from network.schemas.directory_vocabularies import (
    AUTHORITY_CHANNELS,
    AUTHORITY_KINDS,
    AUTHORITY_STATUSES,
    TRANSMISSION_MEANS,
)
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

_TEXT = (
    "name",
    "name_en",
    "address",
    "phone",
    "phone_24_7",
    "email",
    "time_zone",
    "office_days",
    "opens_at",
    "closes_at",
    "languages",
    "networks",
    "source",
)
_LISTS = ("transmission_means", "channels")
_FLAGS = ("encryption_required", "e_signature_required", "oral_urgent_requests")


def _page(
    state: State, authority: Authority | None, form: Form, status: int = 200
) -> tuple[str, int]:
    """The authority form with its vocabularies."""
    return render(
        "directory/authority_form.html",
        status,
        form=form,
        state=state,
        authority=authority,
        kind_choices=labels(AUTHORITY_KINDS),
        status_choices=labels(AUTHORITY_STATUSES),
        means_choices=labels(TRANSMISSION_MEANS),
        channel_choices=labels(AUTHORITY_CHANNELS),
    )


def _shown(authority: Authority) -> Form:
    """An authority as its form first shows it."""
    typed: dict[str, Any] = {name: getattr(authority, name) or "" for name in _TEXT}
    typed.update({name: getattr(authority, name) or [] for name in _LISTS})
    typed.update({name: bool(getattr(authority, name)) for name in _FLAGS})
    typed["languages"] = ", ".join(authority.languages or [])
    typed["networks"] = memberships_typed(authority.networks)
    return blank(**typed, kind=authority.kind, status=authority.status)


def _authority_values(values: dict[str, Any]) -> dict[str, Any]:
    """Every field, a blank one as blank, so that saving clears what was cleared."""
    return {
        **{name: values.get(name, "") for name in _TEXT},
        **{name: values.get(name, []) for name in _LISTS},
        **{name: values[name] for name in _FLAGS},
        "time_zone": values.get("time_zone", "").strip(),
        "kind": values["kind"],
        "status": values.get("status"),
    }


@bp.route("/states/<string:code>/authorities/new", methods=["GET", "POST"])
def new_authority(code: str) -> BaseResponse | tuple[str, int]:
    found = get_state(code)
    require(current_user, Action.EDIT_STATE_DIRECTORY, found.code)
    if request.method != "POST":
        shown = blank(
            time_zone=found.time_zone, office_days="12345", opens_at="09:00", closes_at="17:00"
        )
        return _page(found, None, shown)
    values, form = submitted(AuthorityPageInput())
    if values is None:
        return _page(found, None, form, 422)
    try:
        authority = create_authority(
            current_user, found.code, _authority_values(values), now=clock.now()
        )
    except InvalidInput as error:
        db.session.rollback()
        return _page(found, None, show_refusal(form, error), 422)
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
    own_page = url_for("web_directory.authority", authority_id=authority_id)
    return edit_page(
        get_authority(authority_id), AuthorityPageInput(), _authority_values,
        update_authority, _page, _shown, _("Authority saved and confirmed."), own_page,
    )


@bp.route("/authorities/<int:authority_id>/confirm", methods=["POST"])
def confirm_authority(authority_id: int) -> BaseResponse:
    found = freshness.confirm_authority(current_user, authority_id, now=clock.now())
    return after_confirming(found, url_for("web_directory.authority", authority_id=found.id))


@bp.route("/authorities/<int:authority_id>.vcf")
def authority_vcard(authority_id: int) -> Response:
    return vcard_download(get_authority(authority_id), f"authority-{authority_id}.vcf")
