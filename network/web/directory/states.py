"""A State's directory page, and the network administrator's form for the State's own facts."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from network.auth.policy import Action, can, require
from network.core import clock
from network.core.errors import InvalidInput
from network.directory.authorities import state_authorities
from network.directory.focal_points import list_focal_points
from network.directory.office_hours import office_status, state_local_time
from network.directory.profiles import current_profile, profile_checklist, profile_history
from network.directory.states import get_state, update_state
from network.extensions import db
from network.schemas.vocabularies import REGIONS, UNCAC_STATUSES
from network.web.directory.pages import apply_errors, bp, labels, render
from network.web.directory_forms import StateForm


@bp.route("/states/<string:code>")
def state(code: str) -> tuple[str, int]:
    found = get_state(code)
    now = clock.now()
    authorities = state_authorities(found.code)
    focal_points, _total = list_focal_points(state_code=found.code, per_page=200)
    return render(
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
    form.uncac_status.choices = labels(UNCAC_STATUSES)
    form.region.choices = [("", "—"), *labels(REGIONS)]
    if request.method == "GET":
        form.region.data = found.region or ""
    if not form.validate_on_submit():
        return render(
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
        apply_errors(form, error)
        return render("directory/state_form.html", 422, form=form, state=found)
    db.session.commit()
    flash(_("State saved."), "success")
    return redirect(url_for("web_directory.state", code=found.code))
