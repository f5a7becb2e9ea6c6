"""Signing in: the password step, the second-factor step, re-confirming, changing the password."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from network.audit import service as audit
from network.auth import passwords
from network.auth.accounts import find_user_by_email
from network.auth.models import AccessToken, User
from network.auth.sessions import sign_out_everywhere
from network.auth.throttle import SignInThrottle
from network.auth.totp import consume_step, matching_step, use_recovery_code
from network.core.errors import AuthenticationFailed, InvalidInput, PermissionDenied
from network.core.i18n import N_


@dataclass(frozen=True)
class PasswordAccepted:
    """The password was right; what the user still has to do before a session starts."""

    user: User
    needs_second_factor: bool
    needs_enrolment: bool


def check_password(
    email: str,
    password: str,
    *,
    now: datetime,
    client_address: str,
    throttle: SignInThrottle,
    second_factor_required: bool,
    demo_password_only: bool,
) -> PasswordAccepted:
    """First sign-in step; the same answer for an unknown account and a wrong password."""
    key = email.strip().lower()
    throttle.check(key, client_address)
    user = find_user_by_email(key)
    ok = passwords.verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        throttle.failed(key, client_address)
        audit.record(
            user,
            "signin.failed",
            "user",
            user.id if user else None,
            {"email": key, "step": "password"},
            client_address=client_address,
            at=now,
        )
        raise AuthenticationFailed(N_("The e-mail address or password is not right."))
    if user.password_hash and passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    password_only = demo_password_only and user.is_demo
    return PasswordAccepted(
        user=user,
        needs_second_factor=user.has_second_factor,
        needs_enrolment=not user.has_second_factor and second_factor_required and not password_only,
    )


def check_second_factor(
    user: User, code: str, *, now: datetime, client_address: str, throttle: SignInThrottle
) -> None:
    """Second sign-in step: a fresh TOTP code or an unused recovery code."""
    throttle.check(user.email, client_address)
    seed = user.totp_secret
    if seed is None:
        raise AuthenticationFailed(N_("This account has no second factor yet."))
    step = matching_step(seed, code, now)
    if step is not None and consume_step(user, step):
        return
    if step is None and use_recovery_code(user, code, now):
        audit.record(user, "signin.recovery_code_used", "user", user.id, at=now)
        return
    throttle.failed(user.email, client_address)
    reason = "replayed" if step is not None else "wrong"
    audit.record(
        user,
        "signin.failed",
        "user",
        user.id,
        {"step": "second_factor", "reason": reason},
        client_address=client_address,
        at=now,
    )
    if step is not None:
        raise AuthenticationFailed(
            N_("This code has already been used. Wait for the next code from your app.")
        )
    raise AuthenticationFailed(N_("The code is not right."))

_SECOND_FACTOR_HINT = N_("Enter the code your app shows now, or an unused recovery code.")


def confirm_identity(
    user: User,
    password: str,
    code: str | None,
    *,
    now: datetime,
    client_address: str,
    throttle: SignInThrottle,
    second_factor_required: bool,
    demo_password_only: bool,
) -> None:
    """Sign in again, password and second factor, before a new long-lived credential is made.

    A stolen session alone must not mint tokens; failures count towards the sign-in throttle.
    """
    throttle.check(user.email, client_address)
    try:
        passwords.confirm_password(user.password_hash, password)
    except InvalidInput:
        throttle.failed(user.email, client_address)
        audit.record(
            user,
            "signin.failed",
            "user",
            user.id,
            {"step": "confirm_password"},
            client_address=client_address,
            at=now,
        )
        raise
    if not user.has_second_factor:
        if second_factor_required and not (demo_password_only and user.is_demo):
            raise PermissionDenied(N_("Enrol an authenticator app first."))
        return
    if not (code or "").strip():
        raise InvalidInput(N_("The code is missing."), {"code": [_SECOND_FACTOR_HINT]})
    try:
        check_second_factor(
            user, code or "", now=now, client_address=client_address, throttle=throttle
        )
    except AuthenticationFailed as error:
        raise InvalidInput(error.message, {"code": [_SECOND_FACTOR_HINT]}) from error


def change_password(
    user: User, current_password: str, new_password: str, *, now: datetime
) -> list[AccessToken]:
    """A new password ends every session and token of the user; returns the tokens revoked."""
    passwords.confirm_password(user.password_hash, current_password)
    passwords.check_strength(new_password, [user.email, user.name])
    user.password_hash = passwords.hash_password(new_password)
    revoked = sign_out_everywhere(user, now=now)
    audit.record(user, "user.password_changed", "user", user.id, at=now)
    return revoked
