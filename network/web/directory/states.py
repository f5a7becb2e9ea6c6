"""A State's directory page, and the network administrator's form for the State's own facts."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from network.auth.policy import Action, can, require
from network.core import clock
from network.core.errors import InvalidInput, StaleEdit
from network.directory.authorities import state_authorities
from network.directory.focal_points import list_focal_points
from network.directory.office_hours import office_status, state_local_time
from network.directory.profiles import current_profile, profile_checklist, profile_history
from network.directory.states import get_state, state_names, update_state
from network.extensions import db
from network.schemas.directory import StateInput
from network.schemas.directory_vocabularies import REGIONS, UNCAC_STATUSES
from network.web.directory.pages import bp, labels, render, show_refusal
from network.web.forms import Form, blank, submitted, version_seen


@bp.route("/states/<string:code>")
def state(code: str) -> tuple[str, int]:
    found = get_state(code)
    now = clock.now()
    authorities = state_authorities(found.code)
    focal_points, _total = list_focal_points(state_code=found.code, per_page=200)
    return render(
        "directory/state.html",
        state=found,
        names=state_names(found),
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

    def page(form: Form, status: int) -> tuple[str, int]:
        return render(
            "directory/state_form.html",
            status,
            form=form,
            state=found,
            uncac_choices=labels(UNCAC_STATUSES),
            region_choices=labels(REGIONS),
        )

    if request.method != "POST":
        shown = blank(
            uncac_status=found.uncac_status, region=found.region or "", time_zone=found.time_zone
        )
        return page(shown, 200)
    values, form = submitted(StateInput())
    if values is None:
        return page(form, 422)
    try:
        update_state(
            current_user,
            found.code,
            {
                "uncac_status": values.get("uncac_status", ""),
                "region": values.get("region", ""),
                "time_zone": values.get("time_zone", "").strip(),
            },
            now=clock.now(),
            expected_version=version_seen(),
        )
    except (InvalidInput, StaleEdit) as error:
        db.session.rollback()
        return page(show_refusal(form, error), error.status)
    db.session.commit()
    flash(_("State saved."), "success")
    return redirect(url_for("web_directory.state", code=found.code))
