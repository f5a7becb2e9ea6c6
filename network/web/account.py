"""The account page: language and time zone, password, second factor, tokens, sessions."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, session, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from network.auth import accounts, passwords, sessions, signin, tokens, totp
from network.auth.models import AccessToken, User
from network.core import clock
from network.core.errors import DomainError
from network.extensions import db
from network.http.errors import translate
from network.http.locale import LANGUAGE_NAMES, languages, valid_time_zone
from network.http.security import confirm_identity_again
from network.web.auth import totp_enrolment_context
from network.web.forms import (
    ChangePasswordForm,
    ConfirmPasswordForm,
    NewTokenForm,
    PlainActionForm,
    PreferencesForm,
    ReenrolTotpForm,
)
from network.wiring import mailer

bp = Blueprint("web_account", __name__, url_prefix="/account")


def _preferences_form() -> PreferencesForm:
    form = PreferencesForm(locale=current_user.locale or "", time_zone=current_user.time_zone or "")
    form.locale.choices = [("", _("Browser default"))] + [
        (code, LANGUAGE_NAMES[code]) for code in languages()
    ]
    return form


def _page(status: int = 200, **forms: object) -> tuple[str, int]:
    now = clock.now()
    context = {
        "preferences_form": _preferences_form(),
        "password_form": ChangePasswordForm(),
        "recovery_form": ConfirmPasswordForm(),
        "token_form": NewTokenForm(days=current_app.config["TOKEN_MAX_DAYS"]),
        "token_max_days": current_app.config["TOKEN_MAX_DAYS"],
        "action_form": PlainActionForm(),
        "tokens": tokens.active_tokens(current_user, now=now),
        "sessions": sessions.active_sessions(current_user, now=now),
        "current_session_id": g.get("user_session_id"),
        "unused_recovery_codes": totp.unused_recovery_codes(current_user),
    }
    context.update(forms)
    return render_template("account/index.html", **context), status


def _refused(error: DomainError, **forms: FlaskForm) -> tuple[str, int]:
    """Show the refusal, with each field it names marked on the form it came from."""
    db.session.rollback()
    flash(translate(error.message, error.params), "error")
    for form in forms.values():
        for name, messages in error.errors.items():
            if name in form:
                form[name].errors = [translate(m) for m in messages]
    return _page(error.status, **forms)


def tell_of_revoked_tokens(user: User, tokens: list[AccessToken]) -> None:
    """E-mail the user the names (never the secrets) of the tokens that just stopped working."""
    if not tokens:
        return
    with force_locale(user.locale or str(get_locale() or "en")):
        subject = _("Your ARNet access tokens were revoked")
        body = _(
            "Hello %(name)s,\n\nYour ARNet sign-in changed (a new password, signing out "
            "everywhere, or a reset by an administrator), so every session and every personal "
            "access token of yours was ended. These tokens no longer work:\n\n%(tokens)s\n\n"
            "Create new ones on your account page if your programs still need them. If you did "
            "not expect this, tell your national administrator at once.",
            name=user.name,
            tokens="\n".join(f"- {token.name}" for token in tokens),
        )
    mailer().send(user.email, subject, body)


def _flash_revoked_tokens(tokens: list[AccessToken]) -> None:
    if tokens:
        names = ", ".join(token.name for token in tokens)
        flash(_("These access tokens were revoked: %(names)s.", names=names), "info")


@bp.route("")
def index() -> tuple[str, int]:
    return _page()


@bp.route("/preferences", methods=["POST"])
def preferences() -> Response | tuple[str, int]:
    form = _preferences_form()
    if not form.validate_on_submit():
        return _page(422, preferences_form=form)
    zone = (form.time_zone.data or "").strip() or None
    if zone and not valid_time_zone(zone):
        form.time_zone.errors = [_("Not a known IANA time zone name.")]
        return _page(422, preferences_form=form)
    accounts.set_preferences(current_user, locale=form.locale.data or None, time_zone=zone)
    db.session.commit()
    session.pop("locale", None)
    flash(_("Preferences saved."), "success")
    return redirect(url_for("web_account.index"))


@bp.route("/password", methods=["POST"])
def change_password() -> Response | tuple[str, int]:
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return _page(422, password_form=form)
    try:
        revoked = signin.change_password(
            current_user,
            form.current_password.data or "",
            form.new_password.data or "",
            now=clock.now(),
        )
    except DomainError as error:
        return _refused(error, password_form=form)
    db.session.commit()
    tell_of_revoked_tokens(current_user, revoked)
    session.clear()
    flash(_("Password changed. Please sign in again."), "success")
    _flash_revoked_tokens(revoked)
    return redirect(url_for("web_auth.sign_in"))


@bp.route("/second-factor", methods=["GET", "POST"])
def second_factor() -> str | tuple[str, int]:
    """Replace one's own authenticator; asks for the current password first."""
    secret = session.setdefault("totp_pending_secret", totp.new_totp_secret())
    form = ReenrolTotpForm()
    context = totp_enrolment_context(current_user, secret)
    if not form.validate_on_submit():
        status = 422 if form.errors else 200
        return render_template("account/second_factor.html", form=form, **context), status
    try:
        passwords.confirm_password(current_user.password_hash, form.current_password.data or "")
        codes = totp.enrol_totp(current_user, secret, form.code.data or "", now=clock.now())
    except DomainError as error:
        db.session.rollback()
        flash(translate(error.message, error.params), "error")
        return render_template("account/second_factor.html", form=form, **context), error.status
    db.session.commit()
    session.pop("totp_pending_secret", None)
    return render_template(
        "account/recovery_codes.html", codes=codes, next_url=url_for("web_account.index")
    )


@bp.route("/recovery-codes", methods=["POST"])
def recovery_codes() -> str | tuple[str, int]:
    form = ConfirmPasswordForm()
    if not form.validate_on_submit():
        return _page(422, recovery_form=form)
    try:
        codes = totp.regenerate_recovery_codes(
            current_user, form.current_password.data or "", now=clock.now()
        )
    except DomainError as error:
        return _refused(error, recovery_form=form)
    db.session.commit()
    return render_template(
        "account/recovery_codes.html", codes=codes, next_url=url_for("web_account.index")
    )


@bp.route("/tokens", methods=["POST"])
def create_token() -> str | tuple[str, int]:
    """A new token, once the user has given their password and second factor again."""
    form = NewTokenForm()
    if not form.validate_on_submit():
        return _page(422, token_form=form)
    try:
        confirm_identity_again(form.current_password.data or "", form.code.data)
        token, raw = tokens.create_token(
            current_user,
            form.name.data or "",
            form.days.data or 0,
            now=clock.now(),
            max_days=current_app.config["TOKEN_MAX_DAYS"],
        )
    except DomainError as error:
        return _refused(error, token_form=form)
    db.session.commit()
    return render_template("account/token_created.html", token=token, raw=raw)


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
def revoke_token(token_id: int) -> Response:
    tokens.revoke_token(current_user, token_id, now=clock.now())
    db.session.commit()
    flash(_("Token revoked."), "success")
    return redirect(url_for("web_account.index"))


@bp.route("/sessions/<int:session_id>/end", methods=["POST"])
def end_session(session_id: int) -> Response:
    sessions.end_own_session(current_user, session_id, now=clock.now())
    db.session.commit()
    flash(_("Session ended."), "success")
    return redirect(url_for("web_account.index"))


@bp.route("/sessions/end-all", methods=["POST"])
def end_all_sessions() -> Response:
    """Sign out everywhere, this browser included, and revoke every token."""
    revoked = sessions.sign_out_everywhere(current_user, now=clock.now())
    db.session.commit()
    tell_of_revoked_tokens(current_user, revoked)
    session.clear()
    flash(_("You have been signed out everywhere."), "info")
    _flash_revoked_tokens(revoked)
    return redirect(url_for("web_auth.sign_in"))
