"""Directory pages: search, State, authority and focal-point pages, administrators' forms."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from network.auth.models import User
from network.auth.policy import Action, can, require
from network.core import clock
from network.core.errors import DomainError, InvalidInput
from network.core.types import stored_int
from network.directory import freshness
from network.directory import search as directory_search
from network.directory.authorities import (
    create_authority,
    get_authority,
    state_authorities,
    update_authority,
)
from network.directory.focal_points import (
    create_focal_point,
    get_focal_point,
    list_focal_points,
    update_focal_point,
)
from network.directory.freshness import is_stale
from network.directory.languages import language_name
from network.directory.observer_bodies import list_observer_bodies, save_observer_body
from network.directory.office_hours import office_status, state_local_time
from network.directory.profiles import (
    current_profile,
    profile_checklist,
    profile_history,
    revise_profile,
)
from network.directory.states import get_state, update_state
from network.directory.vcard import vcard
from network.extensions import db
from network.http.errors import translate
from network.schemas import vocabularies
from network.schemas.vocabularies import (
    AUTHORITY_CHANNELS,
    AUTHORITY_KINDS,
    AUTHORITY_STATUSES,
    DUAL_CRIMINALITY,
    EXPERTISE,
    FOCAL_POINT_STATUSES,
    FOREIGN_ORDERS,
    REGIONS,
    TRANSMISSION_MEANS,
    TREATY_OR_RECIPROCITY,
    UNCAC_STATUSES,
)
from network.web.directory_forms import (
    AuthorityForm,
    FocalPointForm,
    ObserverBodyForm,
    ProfileForm,
    StateForm,
)
from network.web.forms import PlainActionForm

bp = Blueprint("web_directory", __name__, url_prefix="/directory")

PER_PAGE = 20
_TRI_STATE = [("", "—"), ("yes", "Yes"), ("no", "No")]


def _locale() -> str:
    return str(get_locale() or "en")[:2]


def _labels(choices: Mapping[str, str]) -> list[tuple[str, str]]:
    return [(key, translate(label)) for key, label in choices.items()]


def _context() -> dict[str, Any]:
    """What every directory template uses: vocabularies, the clock, the staleness rule."""
    return {
        "vocab": vocabularies,
        "now": clock.now(),
        "is_stale": is_stale,
        "spoken_names": lambda codes: ", ".join(
            language_name(code, _locale()) for code in codes
        ),
        "tr": translate,
        "action_form": PlainActionForm(),
    }


def _render(template: str, status: int = 200, **values: Any) -> tuple[str, int]:
    return render_template(template, **_context(), **values), status


def _apply_errors(form: Any, error: DomainError) -> None:
    """Show a service's field errors next to the form's fields (or as a flash message)."""
    flash(translate(error.message, error.params), "error")
    for name, messages in error.errors.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = [translate(message) for message in messages]


# --- search ----------------------------------------------------------------------------------


@bp.route("")
def search() -> tuple[str, int]:
    """The page works without JavaScript; directory-search.js then updates it as one types."""
    query = request.args.get("q", "")[:200]
    filters = directory_search.SearchFilters(
        region=request.args.get("region") or None,
        kind=request.args.get("kind") or None,
        language=(request.args.get("language") or "").lower()[:3] or None,
        expertise=request.args.get("expertise") or None,
    )
    page = max(1, request.args.get("page", 1, type=stored_int))
    searched = bool(
        query.strip() or filters.region or filters.kind or filters.language or filters.expertise
    )
    hits, total = (
        directory_search.search(
            query, filters, now=clock.now(), locale=_locale(), page=page, per_page=PER_PAGE
        )
        if searched
        else ([], 0)
    )
    return _render(
        "directory/search.html",
        query=query,
        filters=filters,
        hits=hits,
        total=total,
        page=page,
        pages=max(1, -(-total // PER_PAGE)),
        searched=searched,
    )


# --- States ----------------------------------------------------------------------------------


@bp.route("/states/<string:code>")
def state(code: str) -> tuple[str, int]:
    found = get_state(code)
    now = clock.now()
    authorities = state_authorities(found.code)
    focal_points, _total = list_focal_points(state_code=found.code, per_page=200)
    return _render(
        "directory/state.html",
        state=found,
        authorities=authorities,
        office={a.id: office_status(a, now) for a in authorities},
        focal_points=focal_points,
        profile=current_profile(found.code),
        history=profile_history(found.code),
        local_time=state_local_time(found, now),
        can_edit=can(current_user, Action.EDIT_STATE_DIRECTORY, found.code),
        can_manage=can(current_user, Action.MANAGE_STATES),
        checklist=profile_checklist,
    )


@bp.route("/states/<string:code>/edit", methods=["GET", "POST"])
def edit_state(code: str) -> BaseResponse | tuple[str, int]:
    require(current_user, Action.MANAGE_STATES)
    found = get_state(code)
    form = StateForm(obj=found)
    form.uncac_status.choices = _labels(UNCAC_STATUSES)
    form.region.choices = [("", "—"), *_labels(REGIONS)]
    if request.method == "GET":
        form.region.data = found.region or ""
    if not form.validate_on_submit():
        return _render(
            "directory/state_form.html", 422 if form.errors else 200, form=form, state=found
        )
    try:
        update_state(
            current_user,
            found.code,
            {
                "uncac_status": form.uncac_status.data,
                "region": form.region.data,
                "time_zone": (form.time_zone.data or "").strip(),
            },
            now=clock.now(),
        )
    except InvalidInput as error:
        db.session.rollback()
        _apply_errors(form, error)
        return _render("directory/state_form.html", 422, form=form, state=found)
    db.session.commit()
    flash(_("State saved."), "success")
    return redirect(url_for("web_directory.state", code=found.code))


# --- authorities -----------------------------------------------------------------------------


def _authority_form(obj: Any = None) -> AuthorityForm:
    form = AuthorityForm(obj=obj)
    form.kind.choices = _labels(AUTHORITY_KINDS)
    form.status.choices = _labels(AUTHORITY_STATUSES)
    form.transmission_means.choices = _labels(TRANSMISSION_MEANS)
    form.channels.choices = _labels(AUTHORITY_CHANNELS)
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
        return _render(
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
        _apply_errors(form, error)
        return _render("directory/authority_form.html", 422, form=form, state=found, authority=None)
    db.session.commit()
    flash(_("Authority added."), "success")
    return redirect(url_for("web_directory.authority", authority_id=authority.id))


@bp.route("/authorities/<int:authority_id>")
def authority(authority_id: int) -> tuple[str, int]:
    found = get_authority(authority_id)
    focal_points, _total = list_focal_points(authority_id=found.id, per_page=200)
    return _render(
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
        return _render(
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
        _apply_errors(form, error)
        return _render(
            "directory/authority_form.html", 422, form=form, state=found.state, authority=found
        )
    db.session.commit()
    flash(_("Authority saved and confirmed."), "success")
    return redirect(url_for("web_directory.authority", authority_id=found.id))


@bp.route("/authorities/<int:authority_id>/confirm", methods=["POST"])
def confirm_authority(authority_id: int) -> BaseResponse:
    found = freshness.confirm_authority(current_user, authority_id, now=clock.now())
    db.session.commit()
    flash(_("Entry confirmed as current."), "success")
    if request.form.get("next") == "state":
        return redirect(url_for("web_directory.state", code=found.state_code))
    return redirect(url_for("web_directory.authority", authority_id=found.id))


@bp.route("/authorities/<int:authority_id>.vcf")
def authority_vcard(authority_id: int) -> Response:
    return Response(
        vcard(get_authority(authority_id)),
        mimetype="text/vcard",
        headers={"Content-Disposition": f'attachment; filename="authority-{authority_id}.vcf"'},
    )


# --- focal points ------------------------------------------------------------------------------


def _focal_point_form(state_code: str, obj: Any = None) -> FocalPointForm:
    form = FocalPointForm(obj=obj)
    form.authority_id.choices = [(a.id, a.name) for a in state_authorities(state_code)]
    form.expertise.choices = _labels(EXPERTISE)
    form.status.choices = _labels(FOCAL_POINT_STATUSES)
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
        return _render(
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
        _apply_errors(form, error)
        return _render(
            "directory/focal_point_form.html", 422, form=form, state=found, focal_point=None
        )
    db.session.commit()
    flash(_("Focal point added."), "success")
    return redirect(url_for("web_directory.focal_point", focal_point_id=person.id))


@bp.route("/focal-points/<int:focal_point_id>")
def focal_point(focal_point_id: int) -> tuple[str, int]:
    found = get_focal_point(focal_point_id)
    return _render(
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
        return _render(
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
        _apply_errors(form, error)
        return _render(
            "directory/focal_point_form.html", 422, form=form, state=found.state, focal_point=found
        )
    db.session.commit()
    flash(_("Focal point saved and confirmed."), "success")
    return redirect(url_for("web_directory.focal_point", focal_point_id=found.id))


@bp.route("/focal-points/<int:focal_point_id>/confirm", methods=["POST"])
def confirm_focal_point(focal_point_id: int) -> BaseResponse:
    found = freshness.confirm_focal_point(current_user, focal_point_id, now=clock.now())
    db.session.commit()
    flash(_("Entry confirmed as current."), "success")
    if request.form.get("next") == "state":
        return redirect(url_for("web_directory.state", code=found.state_code))
    return redirect(url_for("web_directory.focal_point", focal_point_id=found.id))


@bp.route("/focal-points/<int:focal_point_id>.vcf")
def focal_point_vcard(focal_point_id: int) -> Response:
    return Response(
        vcard(get_focal_point(focal_point_id)),
        mimetype="text/vcard",
        headers={"Content-Disposition": f'attachment; filename="focal-point-{focal_point_id}.vcf"'},
    )


# --- country profile ---------------------------------------------------------------------------


def _tri(value: bool | None) -> str:
    return {True: "yes", False: "no", None: ""}[value]


def _untri(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


_TRI_FIELDS = (
    "uncac_basis_mla",
    "uncac_basis_extradition",
    "uncac_basis_confiscation",
    "persons_notified",
    "appeal_possible",
    "ncb_forfeiture",
    "foreign_ncb_enforceable",
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


@bp.route("/states/<string:code>/profile/edit", methods=["GET", "POST"])
def edit_profile(code: str) -> BaseResponse | tuple[str, int]:
    found = get_state(code)
    require(current_user, Action.EDIT_STATE_DIRECTORY, found.code)
    current = current_profile(found.code)
    form = ProfileForm()
    tri = [(key, _(label) if label != "—" else label) for key, label in _TRI_STATE]
    for name in _TRI_FIELDS:
        getattr(form, name).choices = tri
    form.treaty_or_reciprocity.choices = _labels(TREATY_OR_RECIPROCITY)
    form.dual_criminality.choices = _labels(DUAL_CRIMINALITY)
    form.foreign_freezing_orders.choices = _labels(FOREIGN_ORDERS)
    form.foreign_confiscation_orders.choices = _labels(FOREIGN_ORDERS)
    if request.method == "GET" and current is not None:
        for name in _TRI_FIELDS:
            getattr(form, name).data = _tri(getattr(current, name))
        for name in (
            "treaty_or_reciprocity",
            "dual_criminality",
            "foreign_freezing_orders",
            "foreign_confiscation_orders",
            *_TEXT_FIELDS[:-1],
        ):
            getattr(form, name).data = getattr(current, name)
        form.languages.data = ", ".join(current.languages)
        form.links.data = "\n".join(current.links)
    if not form.validate_on_submit():
        return _render(
            "directory/profile_form.html",
            422 if form.errors else 200,
            form=form,
            state=found,
            current=current,
        )
    values: dict[str, Any] = {name: _untri(getattr(form, name).data) for name in _TRI_FIELDS}
    values.update(
        {
            name: getattr(form, name).data
            for name in (
                "treaty_or_reciprocity",
                "dual_criminality",
                "foreign_freezing_orders",
                "foreign_confiscation_orders",
            )
        }
    )
    values.update({name: getattr(form, name).data or "" for name in _TEXT_FIELDS})
    values["languages"] = form.languages.data or ""
    values["links"] = [
        line.strip() for line in (form.links.data or "").splitlines() if line.strip()
    ]
    try:
        revise_profile(current_user, found.code, values, now=clock.now())
    except InvalidInput as error:
        db.session.rollback()
        _apply_errors(form, error)
        return _render("directory/profile_form.html", 422, form=form, state=found, current=current)
    db.session.commit()
    flash(_("Country profile saved as a new version."), "success")
    return redirect(url_for("web_directory.state", code=found.code) + "#profile")


# --- observer bodies ---------------------------------------------------------------------------


@bp.route("/observer-bodies", methods=["GET", "POST"])
def observer_bodies() -> BaseResponse | tuple[str, int]:
    form = ObserverBodyForm()
    manage = can(current_user, Action.MANAGE_OBSERVER_BODIES)
    if request.method == "POST":
        if not manage:
            abort(403)
        if form.validate_on_submit():
            try:
                save_observer_body(
                    current_user,
                    None,
                    {"acronym": form.acronym.data, "name": form.name.data},
                    now=clock.now(),
                )
            except InvalidInput as error:
                db.session.rollback()
                _apply_errors(form, error)
            else:
                db.session.commit()
                flash(_("Observer body added."), "success")
                return redirect(url_for("web_directory.observer_bodies"))
    status = 422 if form.errors else 200
    return _render(
        "directory/observer_bodies.html",
        status,
        form=form,
        manage=manage,
        bodies=list_observer_bodies(),
    )
