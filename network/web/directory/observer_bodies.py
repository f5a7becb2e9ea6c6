"""The list of observer bodies, and the network administrator's form to add one."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from network.auth.policy import Action, can
from network.core import clock
from network.core.errors import InvalidInput
from network.directory.observer_bodies import list_observer_bodies, save_observer_body
from network.extensions import db
from network.schemas.directory import ObserverBodySchema
from network.web.directory.pages import bp, render, show_refusal
from network.web.forms import blank, submitted


@bp.route("/observer-bodies", methods=["GET", "POST"])
def observer_bodies() -> BaseResponse | tuple[str, int]:
    form = blank()
    manage = can(current_user, Action.MANAGE_OBSERVER_BODIES)
    if request.method == "POST":
        if not manage:
            abort(403)
        values, form = submitted(ObserverBodySchema())
        if values is not None:
            try:
                save_observer_body(current_user, None, values, now=clock.now())
            except InvalidInput as error:
                db.session.rollback()
                form = show_refusal(form, error)
            else:
                db.session.commit()
                flash(_("Observer body added."), "success")
                return redirect(url_for("web_directory.observer_bodies"))
    status = 422 if form.errors else 200
    return render(
        "directory/observer_bodies.html",
        status,
        form=form,
        manage=manage,
        bodies=list_observer_bodies(),
    )
