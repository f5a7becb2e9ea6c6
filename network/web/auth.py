"""Sign-in (password, then TOTP), first enrolment, sign-out and the language switch."""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit

import segno
from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from network.auth import accounts, enrolment, sessions, signin, totp
from network.auth.models import User
from network.core import clock
from network.core.errors import AuthenticationFailed, DomainError, Throttled
from network.demo.seed import DEMO_PASSWORD
from network.extensions import db
from network.http.errors import translate
from network.http.locale import languages
from network.http.security import client_address
from network.schemas.auth import (
    EnrolmentInput,
    LanguageChoiceInput,
    SecondFactorInput,
    SignInInput,
    TotpCodeInput,
)
from network.web.forms import Form, blank, submitted
from network.web.labels import ROLE_LABELS
from network.wiring import signin_throttle

bp = Blueprint("web_auth", __name__, url_prefix="/auth")

# How long the half-way state between the password and the second factor lasts.
PENDING_MINUTES = 5


def _is_local_path(value: str) -> bool:
    """A path on this site: one leading slash, no backslash, no control or space character."""
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return False
    if any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in value):
        return False
    parts = urlsplit(value)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None) -> str:
    """Where to go after sign-in or a language switch: a same-site path, else the home page.

    The one check for every ``next``. Browsers drop tabs and newlines from an address and read
    a backslash as a slash, so ``/\\t/evil`` and ``/\\evil`` lead off-site; the path is also
    checked once percent-decoded, as a proxy or a later redirect might decode it.
    """
    candidate = (target or "").strip()
    if _is_local_path(candidate) and _is_local_path(unquote(urlsplit(candidate).path)):
        return candidate
    return url_for("web_home.home")


def _pending_user(key: str) -> User | None:
    user_id = session.get(key)
    since = session.get("pending_since", 0)
    if user_id is None or clock.now().timestamp() - since > PENDING_MINUTES * 60:
        return None
    return db.session.get(User, user_id)


def _hold_pending(key: str, user: User, next_url: str) -> None:
    session.clear()
    session[key] = user.id
    session["pending_since"] = clock.now().timestamp()
    session["next"] = next_url


def _complete_sign_in(user: User, next_url: str) -> Response:
    """Start a brand-new session id for this browser, then let the user in."""
    session.clear()
    raw = sessions.start_session(
        user,
        now=clock.now(),
        absolute_hours=current_app.config["SESSION_ABSOLUTE_HOURS"],
        client_address=client_address(),
        user_agent=request.user_agent.string,
    )
    session["sid"] = raw
    session.permanent = True
    login_user(user)
    db.session.commit()
    return redirect(safe_next(next_url))


def _failure(form: Form, template: str, error: DomainError, **context: object) -> tuple[str, int]:
    db.session.commit()  # keep the audit record of the failed attempt
    flash(translate(error.message, error.params), "error")
    return render_template(template, form=form, **context), error.status


def _sign_in_context() -> dict[str, object]:
    """Whether demo users may skip the second factor, and then the demo accounts to try.

    Production refuses to start with DEMO_PASSWORD_ONLY; the list is never shown there.
    """
    password_only = bool(current_app.config["DEMO_PASSWORD_ONLY"])
    shown = password_only and current_app.config["ENV_NAME"] != "production"
    demo = accounts.demo_accounts() if shown else []
    return {
        "password_only": password_only,
        "demo_accounts": demo,
        "demo_password": DEMO_PASSWORD if demo else "",
        "role_labels": ROLE_LABELS,
    }


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> Response | str | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(url_for("web_home.home"))
    context = _sign_in_context()
    password_only = bool(context["password_only"])
    if request.method != "POST":
        form = blank(next=request.args.get("next", ""))
        return render_template("auth/sign_in.html", form=form, **context)
    values, form = submitted(SignInInput())
    if values is None:
        return render_template("auth/sign_in.html", form=form, **context), 422
    try:
        accepted = signin.check_password(
            values["email"],
            values["password"],
            now=clock.now(),
            client_address=client_address(),
            throttle=signin_throttle(),
            second_factor_required=current_app.config["TOTP_REQUIRED"],
            demo_password_only=password_only,
        )
    except (AuthenticationFailed, Throttled) as error:
        return _failure(form, "auth/sign_in.html", error, **context)
    db.session.commit()
    next_url = values["next"]
    if accepted.needs_second_factor:
        _hold_pending("pending_user", accepted.user, next_url)
        return redirect(url_for("web_auth.second_factor"))
    if accepted.needs_enrolment:
        _hold_pending("pending_enrolment", accepted.user, next_url)
        return redirect(url_for("web_auth.set_up_second_factor"))
    return _complete_sign_in(accepted.user, next_url)


@bp.route("/second-factor", methods=["GET", "POST"])
def second_factor() -> Response | str | tuple[str, int]:
    user = _pending_user("pending_user")
    if user is None:
        flash(_("Please sign in again."), "info")
        return redirect(url_for("web_auth.sign_in"))
    if request.method != "POST":
        return render_template("auth/second_factor.html", form=blank())
    values, form = submitted(SecondFactorInput())
    if values is None:
        return render_template("auth/second_factor.html", form=form), 422
    try:
        signin.check_second_factor(
            user,
            values["code"],
            now=clock.now(),
            client_address=client_address(),
            throttle=signin_throttle(),
        )
    except (AuthenticationFailed, Throttled) as error:
        return _failure(form, "auth/second_factor.html", error)
    return _complete_sign_in(user, session.get("next", ""))


def totp_enrolment_context(user: User, secret: str) -> dict[str, str]:
    """The QR code (as a data URI, allowed by the CSP) and the secret for manual entry."""
    uri = totp.totp_uri(user, secret)
    return {
        "qr_data_uri": segno.make(uri, error="m").svg_data_uri(scale=5, dark="#1b2a3a"),
        "secret": secret,
    }


@bp.route("/set-up-second-factor", methods=["GET", "POST"])
def set_up_second_factor() -> Response | str | tuple[str, int]:
    user = _pending_user("pending_enrolment")
    if user is None:
        flash(_("Please sign in again."), "info")
        return redirect(url_for("web_auth.sign_in"))
    secret = session.setdefault("totp_pending_secret", totp.new_totp_secret())
    context = totp_enrolment_context(user, secret)
    if request.method != "POST":
        return render_template("auth/set_up_second_factor.html", form=blank(), **context)
    values, form = submitted(TotpCodeInput())
    if values is None:
        return render_template("auth/set_up_second_factor.html", form=form, **context), 422
    try:
        codes = totp.enrol_totp(user, secret, values["code"], now=clock.now())
    except DomainError as error:
        return _failure(form, "auth/set_up_second_factor.html", error, **context)
    next_url = session.get("next", "")
    _complete_sign_in(user, next_url)
    return render_template("account/recovery_codes.html", codes=codes, next_url=safe_next(next_url))


@bp.route("/enrol", methods=["GET", "POST"])
def enrol() -> Response | str | tuple[str, int]:
    """Redeem the one-time code from an administrator's reset or a new account."""
    if request.method != "POST":
        return render_template("auth/enrol.html", form=blank())
    values, form = submitted(EnrolmentInput())
    if values is None:
        return render_template("auth/enrol.html", form=form), 422
    try:
        user = enrolment.redeem_enrolment_code(
            values["email"], values["code"], values["password"], now=clock.now()
        )
    except DomainError as error:
        return _failure(form, "auth/enrol.html", error)
    db.session.commit()
    _hold_pending("pending_enrolment", user, "")
    return redirect(url_for("web_auth.set_up_second_factor"))


@bp.route("/sign-out", methods=["POST"])
def sign_out() -> Response:
    raw = session.get("sid")
    if raw:
        sessions.end_session(raw, now=clock.now())
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("web_auth.sign_in"))


@bp.route("/language", methods=["POST"])
def choose_language() -> Response:
    values, _form = submitted(LanguageChoiceInput())
    values = values or {"locale": "", "next": ""}
    code = values["locale"]
    if code in languages():
        session["locale"] = code
        if current_user.is_authenticated:
            accounts.set_preferences(
                current_user, locale=code, time_zone=current_user.time_zone
            )
            db.session.commit()
    return redirect(safe_next(values["next"]))
