"""Account administration: national administrators for their State, the secretariat for its share.

The secretariat keeps observers and network administrators, and makes a State's
first national administrator while the State has none (``auth.policy``).
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from network.auth import accounts, enrolment
from network.auth.models import User
from network.auth.policy import Action, can
from network.core import clock
from network.core.errors import DomainError
from network.core.types import stored_int
from network.directory.affiliation import Affiliation
from network.directory.models import ObserverBody, State
from network.extensions import db
from network.http.errors import translate
from network.schemas.auth import AccountActiveInput, NewUserInput
from network.schemas.vocabularies import Role
from network.web.account import tell_of_revoked_tokens
from network.web.forms import Form, blank, refused, submitted
from network.web.labels import ROLE_LABELS
from network.wiring import mailer

bp = Blueprint("web_admin", __name__, url_prefix="/admin")

PER_PAGE = 50


def _send_enrolment_code(user: User, code: str, *, reset: bool) -> None:
    """The code goes to the user's own address; the administrator never sees it.

    In the user's language once they have chosen one, else in the administrator's.
    """
    link = current_app.config["BASE_URL"].rstrip("/") + url_for("web_auth.enrol")
    with force_locale(user.locale or str(get_locale() or "en")):
        subject = _("Your ARNet sign-in was reset") if reset else _("Your ARNet account")
        body = _(
            "Hello %(name)s,\n\nUse this one-time code to set your password and enrol your "
            "authenticator app at %(link)s\n\nE-mail address: %(email)s\nEnrolment code: "
            "%(code)s\n\n"
            "The code expires in %(hours)s hours. If you did not expect this message, tell your "
            "national administrator.",
            name=user.name,
            link=link,
            email=user.email,
            code=code,
            hours=current_app.config["ENROLMENT_CODE_HOURS"],
        )
    mailer().send(user.email, subject, body)


def _new_user_page(form: Form, status: int = 200) -> tuple[str, int]:
    """The new-user form with the roles and States this administrator may choose."""
    if current_user.role == Role.NETWORK_ADMIN:
        roles = [Role.NATIONAL_ADMIN, Role.OBSERVER, Role.NETWORK_ADMIN]
        states = db.session.scalars(select(State).order_by(State.code)).all()
        state_choices = [("", "—")] + [(s.code, f"{s.code} · {s.name()}") for s in states]
    else:
        roles = [Role.PRACTITIONER, Role.NATIONAL_ADMIN]
        state = current_user.state
        state_choices = [(state.code, state.name())] if state else []
    bodies = db.session.scalars(select(ObserverBody).order_by(ObserverBody.acronym)).all()
    return render_template(
        "admin/new_user.html",
        form=form,
        role_choices=[(role.value, str(ROLE_LABELS[role])) for role in roles],
        state_choices=state_choices,
        body_choices=[("", "—")] + [(str(b.id), f"{b.acronym} · {b.name}") for b in bodies],
    ), status


@bp.route("/users")
def users() -> str:
    page = max(1, request.args.get("page", 1, type=stored_int))
    items, total = accounts.manageable_users(current_user, page=page, per_page=PER_PAGE)
    return render_template(
        "admin/users.html",
        users=items,
        total=total,
        page=page,
        pages=max(1, -(-total // PER_PAGE)),
        role_labels=ROLE_LABELS,
        managed={user.id for user in items if can(current_user, Action.MANAGE_USER, user)},
    )


@bp.route("/users/new", methods=["GET", "POST"])
def new_user() -> Response | tuple[str, int]:
    if request.method != "POST":
        return _new_user_page(blank())
    values, form = submitted(NewUserInput())
    if values is None:
        return _new_user_page(form, 422)
    now = clock.now()
    try:
        user = accounts.create_user(
            current_user,
            email=values["email"],
            name=values["name"],
            role=values["role"],
            affiliation=Affiliation(values["state"], body_id=values["body"]),
            now=now,
        )
        code = enrolment.issue_enrolment_code(
            user, now=now, valid_hours=current_app.config["ENROLMENT_CODE_HOURS"]
        )
    except DomainError as error:
        db.session.rollback()
        flash(translate(error.message, error.params), "error")
        return _new_user_page(refused(form, error), error.status)
    db.session.commit()
    _send_enrolment_code(user, code, reset=False)
    flash(
        _("Account created. An enrolment code was e-mailed to %(email)s.", email=user.email),
        "success",
    )
    return redirect(url_for("web_admin.users"))


@bp.route("/users/<int:user_id>/reset-sign-in", methods=["POST"])
def reset_sign_in(user_id: int) -> Response:
    user, code, revoked = enrolment.reset_sign_in(
        current_user,
        user_id,
        now=clock.now(),
        valid_hours=current_app.config["ENROLMENT_CODE_HOURS"],
    )
    db.session.commit()
    _send_enrolment_code(user, code, reset=True)
    tell_of_revoked_tokens(user, revoked)
    flash(
        _("Sign-in reset. %(name)s received a one-time enrolment code by e-mail.", name=user.name),
        "success",
    )
    if revoked:
        flash(
            _(
                "Their access tokens were revoked: %(names)s.",
                names=", ".join(token.name for token in revoked),
            ),
            "info",
        )
    return redirect(url_for("web_admin.users"))


@bp.route("/users/<int:user_id>/active", methods=["POST"])
def set_active(user_id: int) -> Response:
    values, _form = submitted(AccountActiveInput())
    active = bool(values and values["active"])
    user = accounts.set_active(current_user, user_id, active, now=clock.now())
    db.session.commit()
    message = (
        _("%(name)s can sign in again.", name=user.name)
        if active
        else _("%(name)s can no longer sign in.", name=user.name)
    )
    flash(message, "success")
    return redirect(url_for("web_admin.users"))
