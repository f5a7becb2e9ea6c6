"""Enrolment codes: an administrator's reset of a user's sign-in, and the code that ends it."""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta
from typing import NamedTuple

from network.audit import service as audit
from network.auth import passwords
from network.auth.accounts import find_user_by_email
from network.auth.digests import sha256
from network.auth.models import AccessToken, User
from network.auth.policy import Action, require
from network.auth.sessions import sign_out_everywhere
from network.auth.totp import delete_recovery_codes
from network.core.errors import AuthenticationFailed, NotFound
from network.core.i18n import N_
from network.extensions import db


class SignInReset(NamedTuple):
    """What an administrator's reset leaves: the user, their enrolment code, the tokens revoked."""

    user: User
    code: str
    revoked_tokens: list[AccessToken]


def reset_sign_in(actor: User, target_id: int, *, now: datetime, valid_hours: int) -> SignInReset:
    """Clear a user's password and second factor; the code goes to the user, never the admin."""
    target = db.session.get(User, target_id)
    if target is None:
        raise NotFound(N_("No such user."), reason="user_not_found")
    require(actor, Action.MANAGE_USER, target)
    code = secrets.token_urlsafe(24)
    target.password_hash = None
    target.totp_secret = None
    target.totp_last_step = None
    target.enrolment_code_hash = sha256(code)
    target.enrolment_expires_at = now + timedelta(hours=valid_hours)
    delete_recovery_codes(target)
    revoked = sign_out_everywhere(target, now=now, actor=actor)
    db.session.flush()
    audit.record(actor, "user.sign_in_reset", "user", target.id, at=now)
    return SignInReset(target, code, revoked)


def issue_enrolment_code(user: User, *, now: datetime, valid_hours: int) -> str:
    """A one-time code for a new account created without a password."""
    code = secrets.token_urlsafe(24)
    user.enrolment_code_hash = sha256(code)
    user.enrolment_expires_at = now + timedelta(hours=valid_hours)
    db.session.flush()
    return code


def redeem_enrolment_code(email: str, code: str, new_password: str, *, now: datetime) -> User:
    """Set a first password with the code the user received; the code then stops working."""
    user = find_user_by_email(email)
    valid = (
        user is not None
        and user.enrolment_code_hash is not None
        and user.enrolment_expires_at is not None
        and user.enrolment_expires_at > now
        and hmac.compare_digest(user.enrolment_code_hash, sha256(code.strip()))
    )
    if not valid or user is None:
        raise AuthenticationFailed(N_("The enrolment code is not valid or has expired."))
    passwords.check_strength(new_password, [user.email, user.name])
    user.password_hash = passwords.hash_password(new_password)
    user.enrolment_code_hash = None
    user.enrolment_expires_at = None
    db.session.flush()
    audit.record(user, "user.enrolment_code_redeemed", "user", user.id, at=now)
    return user
