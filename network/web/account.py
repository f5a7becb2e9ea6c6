"""The account page: language and time zone, notices, password, second factor, tokens, sessions."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from network.auth import accounts, passwords, sessions, signin, tokens, totp
from network.auth.models import AccessToken, User
from network.core import clock
from network.core.errors import DomainError
from network.extensions import db
from network.http.errors import translate
from network.http.locale import LANGUAGE_NAMES, languages, valid_time_zone
from network.http.security import confirm_identity_again
from network.notifications import preferences as notice_preferences
from network.schemas.auth import (
    PasswordChangeInput,
    PasswordConfirmInput,
    PreferencesInput,
    ReplaceTotpInput,
    TokenInput,
)
from network.schemas.notifications import NoticePreferencesPageInput
from network.schemas.vocabularies import CHOOSABLE_NOTICES, NOTICE_DELIVERIES
from network.web.auth import totp_enrolment_context
from network.web.forms import Form, blank, refused, submitted
from network.wiring import mailer

bp = Blueprint("web_account", __name__, url_prefix="/account")


def _page(status: int = 200, **forms: Form) -> tuple[str, int]:
    now = clock.now()
    context = {
        "preferences_form": blank(
            locale=current_user.locale or "", time_zone=current_user.time_zone or ""
        ),
        "language_choices": [("", _("Browser default"))]
        + [(code, LANGUAGE_NAMES[code]) for code in languages()],
        "password_form": blank(),
        "recovery_form": blank(),
        "token_form": blank(days=current_app.config["TOKEN_MAX_DAYS"]),
        "token_max_days": current_app.config["TOKEN_MAX_DAYS"],
        "tokens": tokens.active_tokens(current_user, now=now),
        "sessions": sessions.active_sessions(current_user, now=now),
        "current_session_id": g.get("user_session_id"),
        "unused_recovery_codes": totp.unused_recovery_codes(current_user),
        "notices_form": blank(**notice_preferences.preferences_of(current_user)),
        "notice_kinds": [(kind, _(label)) for kind, label in CHOOSABLE_NOTICES.items()],
        "delivery_choices": [(way, _(label)) for way, label in NOTICE_DELIVERIES.items()],
    }
    context.update(forms)
    return render_template("account/index.html", **context), status


def _refused(error: DomainError, **forms: Form) -> tuple[str, int]:
    """Show the refusal, with each field it names marked on the form it came from."""
    db.session.rollback()
    flash(translate(error.message, error.params), "error")
    return _page(error.status, **{key: refused(form, error) for key, form in forms.items()})


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
    values, form = submitted(PreferencesInput())
    if values is None:
        return _page(422, preferences_form=form)
    locale = values["locale"]
    zone = (values["time_zone"] or "").strip() or None
    errors = {}
    if locale and locale not in languages():
        errors["locale"] = [_("Must be one of: %(choices)s.", choices=", ".join(languages()))]
    if zone and not valid_time_zone(zone):
        errors["time_zone"] = [_("Not a known IANA time zone name.")]
    if errors:
        return _page(422, preferences_form=Form(form.typed, errors))
    accounts.set_preferences(current_user, locale=locale, time_zone=zone)
    db.session.commit()
    session.pop("locale", None)
    flash(_("Preferences saved."), "success")
    return redirect(url_for("web_account.index"))


@bp.route("/notices", methods=["POST"])
def notices() -> Response | tuple[str, int]:
    """How each kind of notice reaches the user: in the app, at once by e-mail, or daily."""
    values, form = submitted(NoticePreferencesPageInput())
    if values is None:
        return _page(422, notices_form=form)
    notice_preferences.set_preferences(current_user, values, clock.now())
    db.session.commit()
    flash(_("Notification choices saved."), "success")
    return redirect(url_for("web_account.index", _anchor="notices-heading"))


@bp.route("/password", methods=["POST"])
def change_password() -> Response | tuple[str, int]:
    values, form = submitted(PasswordChangeInput())
    if values is None:
        return _page(422, password_form=form)
    try:
        revoked = signin.change_password(
            current_user,
            values["current_password"],
            values["new_password"],
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
    context = totp_enrolment_context(current_user, secret)
    if request.method != "POST":
        return render_template("account/second_factor.html", form=blank(), **context)
    values, form = submitted(ReplaceTotpInput())
    if values is None:
        return render_template("account/second_factor.html", form=form, **context), 422
    try:
        passwords.confirm_password(current_user.password_hash, values["current_password"])
        codes = totp.enrol_totp(current_user, secret, values["code"], now=clock.now())
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
    values, form = submitted(PasswordConfirmInput())
    if values is None:
        return _page(422, recovery_form=form)
    try:
        codes = totp.regenerate_recovery_codes(
            current_user, values["current_password"], now=clock.now()
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
    values, form = submitted(TokenInput())
    if values is None:
        return _page(422, token_form=form)
    most = current_app.config["TOKEN_MAX_DAYS"]
    try:
        confirm_identity_again(values["current_password"], values["code"])
        token, raw = tokens.create_token(
            current_user, values["name"], values["days"] or most, now=clock.now(), max_days=most
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
