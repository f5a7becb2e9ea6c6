"""Accounts and sign-in: creation, password and TOTP checks, sessions, tokens, resets."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

import pyotp
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import delete, func, or_, select, update

from network.audit import service as audit
from network.auth import passwords
from network.auth.models import AccessToken, RecoveryCode, User, UserSession
from network.auth.policy import Action, can, require
from network.auth.throttle import SignInThrottle
from network.core.errors import (
    AuthenticationFailed,
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from network.core.i18n import N_
from network.directory.models import Authority, ObserverBody, State
from network.extensions import db
from network.schemas.vocabularies import Role

TOKEN_PREFIX = "arnet_"  # noqa: S105 - a visible marker, not a secret
RECOVERY_CODE_COUNT = 10
TOTP_ISSUER = "ARNet"
_TOTP_STEP = 30


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def normalise_email(email: str) -> str:
    """Validate an address's syntax and return it in the form we store (lower case)."""
    try:
        checked = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidInput(
            N_("Invalid e-mail address."), {"email": [N_("Enter a valid e-mail address.")]}
        ) from error
    return checked.normalized.lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


# --- accounts -------------------------------------------------------------------------------


def _check_affiliation(
    role: Role, state_code: str | None, authority_id: int | None, body_id: int | None
) -> None:
    """A State user belongs to a State (and maybe one of its authorities); an observer to a body."""
    if role is Role.NETWORK_ADMIN and (state_code or body_id):
        raise InvalidInput(
            N_("A network administrator belongs to no State and no observer body."),
            {"role": [N_("Remove the State or body.")]},
        )
    if role is Role.OBSERVER and (state_code or not body_id):
        raise InvalidInput(
            N_("An observer belongs to an observer body, not to a State."),
            {"body": [N_("Choose the observer body.")]},
        )
    if role in (Role.PRACTITIONER, Role.NATIONAL_ADMIN) and (not state_code or body_id):
        raise InvalidInput(
            N_("A practitioner or national administrator belongs to a State."),
            {"state": [N_("Choose the State.")]},
        )
    if state_code and db.session.get(State, state_code) is None:
        raise InvalidInput(N_("Unknown State."), {"state": [N_("Unknown State code.")]})
    if body_id and db.session.get(ObserverBody, body_id) is None:
        raise InvalidInput(N_("Unknown observer body."), {"body": [N_("Unknown observer body.")]})
    if authority_id:
        authority = db.session.get(Authority, authority_id)
        if authority is None or authority.state_code != state_code:
            raise InvalidInput(
                N_("The authority is not one of that State's."),
                {"authority": [N_("Choose an authority of the user's State.")]},
            )


def _has_national_admin(state_code: str) -> bool:
    """Whether the State has an active national administrator (enrolled or not)."""
    # Two first administrators made at once for one State: the State's row lock orders them.
    db.session.execute(select(State.code).where(State.code == state_code).with_for_update())
    found = db.session.scalar(
        select(User.id)
        .where(
            User.state_code == state_code,
            User.role == Role.NATIONAL_ADMIN.value,
            User.active.is_(True),
        )
        .limit(1)
    )
    return found is not None


def _check_may_create(actor: User, role: Role, state_code: str | None) -> None:
    """A State's users come from its national administrators, its first one from the secretariat."""
    has_admin = (
        role is Role.NATIONAL_ADMIN and state_code is not None and _has_national_admin(state_code)
    )
    if can(actor, Action.CREATE_USER, (role.value, state_code, has_admin)):
        return
    if state_code:
        raise PermissionDenied(
            N_(
                "A State's users are created by its own national administrators; the "
                "secretariat creates only a State's first national administrator, while it "
                "has none."
            )
        )
    raise PermissionDenied(N_("You are not allowed to do this."))


def create_user(
    actor: User | None,
    *,
    email: str,
    name: str,
    role: str,
    now: datetime,
    state_code: str | None = None,
    authority_id: int | None = None,
    body_id: int | None = None,
    password: str | None = None,
    is_demo: bool = False,
) -> User:
    """Create an account; ``actor`` None means an operator at the command line (bootstrap)."""
    try:
        checked_role = Role(role)
    except ValueError as error:
        raise InvalidInput(
            N_("Unknown role."),
            {"role": [N_("Use practitioner, national_admin, observer or network_admin.")]},
        ) from error
    state_code = state_code.upper() if state_code else None
    if actor is not None:
        _check_may_create(actor, checked_role, state_code)
    _check_affiliation(checked_role, state_code, authority_id, body_id)
    address = normalise_email(email)
    if not name.strip():
        raise InvalidInput(N_("A name is required."), {"name": [N_("Enter the person's name.")]})
    if find_user_by_email(address) is not None:
        raise Conflict(N_("An account with this e-mail address already exists."))
    if password is not None:
        passwords.check_strength(password, [address, name])
    user = User(
        email=address,
        name=name.strip(),
        role=checked_role.value,
        state_code=state_code,
        authority_id=authority_id,
        body_id=body_id,
        password_hash=passwords.hash_password(password) if password is not None else None,
        is_demo=is_demo,
        created_at=now,
    )
    db.session.add(user)
    db.session.flush()
    audit.record(
        actor,
        "user.created",
        "user",
        user.id,
        {"email": address, "role": checked_role.value, "state": state_code, "body": body_id},
        at=now,
    )
    return user


def set_preferences(user: User, *, locale: str | None, time_zone: str | None) -> None:
    user.locale = locale
    user.time_zone = time_zone
    db.session.flush()


# --- password step --------------------------------------------------------------------------


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


# --- TOTP and recovery codes ----------------------------------------------------------------


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=TOTP_ISSUER)


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step (±1 for clock drift) whose code matches, or None."""
    code = code.strip().replace(" ", "")
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // _TOTP_STEP
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _consume_step(user: User, step: int) -> bool:
    """Atomically record the step as used; False when it (or a later one) was used already."""
    result = db.session.execute(
        update(User)
        .where(User.id == user.id)
        .where(or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(user, ["totp_last_step"])
    return result.rowcount == 1  # type: ignore[attr-defined]  # CursorResult has rowcount


def _use_recovery_code(user: User, code: str, now: datetime) -> bool:
    digest = _sha256(code.strip().lower().replace(" ", "").replace("-", ""))
    result = db.session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id)
        .where(RecoveryCode.code_hash == digest)
        .where(RecoveryCode.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]  # CursorResult has rowcount


def check_second_factor(
    user: User, code: str, *, now: datetime, client_address: str, throttle: SignInThrottle
) -> None:
    """Second sign-in step: a fresh TOTP code or an unused recovery code."""
    throttle.check(user.email, client_address)
    seed = user.totp_secret
    if seed is None:
        raise AuthenticationFailed(N_("This account has no second factor yet."))
    step = _matching_step(seed, code, now)
    if step is not None and _consume_step(user, step):
        return
    if step is None and _use_recovery_code(user, code, now):
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


def _delete_recovery_codes(user: User) -> None:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def _new_recovery_codes(user: User) -> list[str]:
    _delete_recovery_codes(user)
    codes = ["-".join(secrets.token_hex(3) for _ in range(3)) for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=_sha256(c.replace("-", ""))) for c in codes
    )
    return codes


def enrol_totp(user: User, secret: str, code: str, *, now: datetime) -> list[str]:
    """Bind a new authenticator after proving it works; returns the new recovery codes."""
    step = _matching_step(secret, code, now)
    if step is None:
        raise InvalidInput(
            N_("The code is not right."),
            {"code": [N_("Enter the six-digit code your app shows now.")]},
        )
    user.totp_secret = secret
    user.totp_last_step = step
    codes = _new_recovery_codes(user)
    db.session.flush()
    audit.record(user, "user.second_factor_enrolled", "user", user.id, at=now)
    return codes


def regenerate_recovery_codes(user: User, current_password: str, *, now: datetime) -> list[str]:
    confirm_password(user, current_password)
    codes = _new_recovery_codes(user)
    db.session.flush()
    audit.record(user, "user.recovery_codes_regenerated", "user", user.id, at=now)
    return codes


def unused_recovery_codes(user: User) -> int:
    return (
        db.session.scalar(
            select(func.count(RecoveryCode.id)).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        )
        or 0
    )


def confirm_password(user: User, password: str) -> None:
    """Ask again for the current password before a change to one's own credentials."""
    if not passwords.verify_password(user.password_hash, password):
        raise InvalidInput(
            N_("The current password is not right."),
            {"current_password": [N_("Enter your current password.")]},
        )


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
        confirm_password(user, password)
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
    confirm_password(user, current_password)
    passwords.check_strength(new_password, [user.email, user.name])
    user.password_hash = passwords.hash_password(new_password)
    revoked = sign_out_everywhere(user, now=now)
    audit.record(user, "user.password_changed", "user", user.id, at=now)
    return revoked


# --- administrator reset and enrolment codes ------------------------------------------------


class SignInReset(NamedTuple):
    """What an administrator's reset leaves: the user, their enrolment code, the tokens revoked."""

    user: User
    code: str
    revoked_tokens: list[AccessToken]


def reset_sign_in(actor: User, target_id: int, *, now: datetime, valid_hours: int) -> SignInReset:
    """Clear a user's password and second factor; the code goes to the user, never the admin."""
    target = db.session.get(User, target_id)
    if target is None:
        raise NotFound(N_("No such user."))
    require(actor, Action.MANAGE_USER, target)
    code = secrets.token_urlsafe(24)
    target.password_hash = None
    target.totp_secret = None
    target.totp_last_step = None
    target.enrolment_code_hash = _sha256(code)
    target.enrolment_expires_at = now + timedelta(hours=valid_hours)
    _delete_recovery_codes(target)
    revoked = sign_out_everywhere(target, now=now, actor=actor)
    db.session.flush()
    audit.record(actor, "user.sign_in_reset", "user", target.id, at=now)
    return SignInReset(target, code, revoked)


def issue_enrolment_code(user: User, *, now: datetime, valid_hours: int) -> str:
    """A one-time code for a new account created without a password."""
    code = secrets.token_urlsafe(24)
    user.enrolment_code_hash = _sha256(code)
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
        and hmac.compare_digest(user.enrolment_code_hash, _sha256(code.strip()))
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


def set_active(actor: User, target_id: int, active: bool, *, now: datetime) -> User:
    target = db.session.get(User, target_id)
    if target is None:
        raise NotFound(N_("No such user."))
    require(actor, Action.MANAGE_USER, target)
    target.active = active
    if not active:
        end_all_sessions(target, now=now)
    audit.record(
        actor, "user.activated" if active else "user.deactivated", "user", target.id, at=now
    )
    return target


# --- browser sessions -----------------------------------------------------------------------


def start_session(
    user: User,
    *,
    now: datetime,
    absolute_hours: int,
    client_address: str | None,
    user_agent: str | None,
) -> str:
    """Open a fresh server-side session (a new id at every sign-in); returns its secret."""
    raw = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            token_hash=_sha256(raw),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(hours=absolute_hours),
            client_address=client_address,
            user_agent=(user_agent or "")[:300],
        )
    )
    audit.record(user, "signin.succeeded", "user", user.id, client_address=client_address, at=now)
    return raw


def resume_session(raw: str, *, now: datetime, idle_minutes: int) -> UserSession | None:
    """The live session behind a cookie, or None when it ended, idled out or expired."""
    found = db.session.scalar(select(UserSession).where(UserSession.token_hash == _sha256(raw)))
    if found is None or found.ended_at is not None or not found.user.active:
        return None
    if now >= found.expires_at or now - found.last_seen_at > timedelta(minutes=idle_minutes):
        found.ended_at = now
        return None
    if now - found.last_seen_at > seen_precision(idle_minutes):
        found.last_seen_at = now
    return found


def seen_precision(idle_minutes: int) -> timedelta:
    """How stale ``last_seen_at`` may grow before activity writes it again.

    Writing on every request or socket event would serialise them; a minute is precise
    enough for the usual half hour, and a quarter of a shorter idle limit for short ones.
    """
    return min(timedelta(seconds=60), timedelta(minutes=idle_minutes) / 4)


def note_session_activity(session_id: int, *, now: datetime) -> None:
    """The user acted over a socket opened with this session: it is not idle."""
    db.session.execute(
        update(UserSession)
        .where(UserSession.id == session_id, UserSession.ended_at.is_(None))
        .values(last_seen_at=now)
        .execution_options(synchronize_session=False)
    )


def end_session(raw: str, *, now: datetime) -> None:
    found = db.session.scalar(select(UserSession).where(UserSession.token_hash == _sha256(raw)))
    if found is not None and found.ended_at is None:
        found.ended_at = now
        audit.record(found.user, "signout", "user", found.user_id, at=now)


def _end_sessions(user: User, now: datetime) -> int:
    sessions = db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    ).all()
    for each in sessions:
        each.ended_at = now
    return len(sessions)


def end_all_sessions(user: User, *, now: datetime) -> int:
    """End every browser session of the user (live sockets are dropped by the realtime sweeper)."""
    ended = _end_sessions(user, now)
    audit.record(user, "signout.everywhere", "user", user.id, {"sessions": ended}, at=now)
    return ended


def sign_out_everywhere(
    user: User, *, now: datetime, actor: User | None = None
) -> list[AccessToken]:
    """End every session and revoke every token of the user, so a stolen one dies with them.

    Returns the tokens revoked, so the edge can tell the user which programs stop working.
    """
    ended = _end_sessions(user, now)
    revoked = active_tokens(user, now=now)
    for token in revoked:
        token.revoked_at = now
    audit.record(
        actor or user,
        "signout.everywhere",
        "user",
        user.id,
        {"sessions": ended, "tokens": [token.id for token in revoked]},
        at=now,
    )
    return revoked


def end_own_session(user: User, session_id: int, *, now: datetime) -> None:
    found = db.session.get(UserSession, session_id)
    if found is None or found.user_id != user.id:
        raise NotFound(N_("No such session."))
    found.ended_at = now
    audit.record(user, "signout.session", "user", user.id, {"session": session_id}, at=now)


def active_sessions(user: User, *, now: datetime) -> list[UserSession]:
    return list(
        db.session.scalars(
            select(UserSession)
            .where(
                UserSession.user_id == user.id,
                UserSession.ended_at.is_(None),
                UserSession.expires_at > now,
            )
            .order_by(UserSession.last_seen_at.desc())
        )
    )


# --- personal access tokens -----------------------------------------------------------------


def create_token(
    user: User, name: str, days: int, *, now: datetime, max_days: int
) -> tuple[AccessToken, str]:
    """Make a token for the user themself; the secret is returned once and stored as a hash."""
    if not name.strip() or len(name) > 100:
        raise InvalidInput(N_("Give the token a name."), {"name": [N_("1 to 100 characters.")]})
    if not 1 <= days <= max_days:
        raise InvalidInput(
            N_("A token lives from 1 to %(max)s days."),
            {"days": [N_("Choose a lifetime within the limit.")]},
            max=max_days,
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = AccessToken(
        user_id=user.id,
        name=name.strip(),
        token_hash=_sha256(raw),
        prefix=raw[: len(TOKEN_PREFIX) + 6],
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    db.session.add(token)
    db.session.flush()
    audit.record(
        user, "token.created", "token", token.id, {"name": token.name, "days": days}, at=now
    )
    return token, raw


def authenticate_token(raw: str, *, now: datetime, client_address: str | None = None) -> User:
    """The user a bearer token acts for; unknown, revoked and expired tokens fail alike."""
    token = db.session.scalar(
        select(AccessToken).where(AccessToken.token_hash == _sha256(raw.strip()))
    )
    if (
        token is None
        or token.revoked_at is not None
        or token.expires_at <= now
        or not token.user.active
    ):
        raise AuthenticationFailed(N_("The access token is unknown, revoked or expired."))
    # Record use at most once a minute per token, so that reads do not each write a row.
    if token.last_used_at is None or now - token.last_used_at > timedelta(seconds=60):
        token.last_used_at = now
        audit.record(
            token.user, "token.used", "token", token.id, client_address=client_address, at=now
        )
    return token.user


def token_id(raw: str) -> int | None:
    """Which token a secret is, so a socket opened with it can be dropped once it is revoked."""
    return db.session.scalar(
        select(AccessToken.id).where(AccessToken.token_hash == _sha256(raw.strip()))
    )


def active_tokens(user: User, *, now: datetime) -> list[AccessToken]:
    return list(
        db.session.scalars(
            select(AccessToken)
            .where(
                AccessToken.user_id == user.id,
                AccessToken.revoked_at.is_(None),
                AccessToken.expires_at > now,
            )
            .order_by(AccessToken.created_at.desc())
        )
    )


def revoke_token(user: User, token_id: int, *, now: datetime) -> None:
    token = db.session.get(AccessToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(N_("No such token."))
    token.revoked_at = now
    audit.record(user, "token.revoked", "token", token.id, at=now)


def manageable_users(actor: User, *, page: int, per_page: int) -> tuple[list[User], int]:
    """The accounts an administrator sees: their State's, or for the secretariat its share.

    The secretariat sees every national administrator (so it knows which States
    have one) but keeps only observers and network administrators.
    """
    query = select(User)
    if actor.role == Role.NETWORK_ADMIN:
        query = query.where(User.role.in_([Role.NATIONAL_ADMIN, Role.OBSERVER, Role.NETWORK_ADMIN]))
    elif actor.role == Role.NATIONAL_ADMIN and actor.state_code:
        query = query.where(User.state_code == actor.state_code)
    else:
        raise PermissionDenied(N_("You are not allowed to do this."))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    users = db.session.scalars(
        query.order_by(User.state_code, User.name).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return list(users), total
