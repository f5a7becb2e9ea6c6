"""The second factor: TOTP secrets, codes used once, and the recovery codes that replace them."""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime

import pyotp
from sqlalchemy import delete, func, or_, select, update

from network.audit import service as audit
from network.auth import passwords
from network.auth.digests import sha256
from network.auth.models import RecoveryCode, User
from network.core.errors import InvalidInput
from network.core.i18n import N_
from network.extensions import db

TOTP_ISSUER = "ARNet"
RECOVERY_CODE_COUNT = 10
_TOTP_STEP = 30


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=TOTP_ISSUER)


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step (±1 for clock drift) whose code matches, or None."""
    code = code.strip().replace(" ", "")
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // _TOTP_STEP
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def consume_step(user: User, step: int) -> bool:
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


def use_recovery_code(user: User, code: str, now: datetime) -> bool:
    digest = sha256(code.strip().lower().replace(" ", "").replace("-", ""))
    result = db.session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id)
        .where(RecoveryCode.code_hash == digest)
        .where(RecoveryCode.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]  # CursorResult has rowcount


def delete_recovery_codes(user: User) -> None:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def _new_recovery_codes(user: User) -> list[str]:
    delete_recovery_codes(user)
    codes = ["-".join(secrets.token_hex(3) for _ in range(3)) for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=sha256(c.replace("-", ""))) for c in codes
    )
    return codes


def enrol_totp(user: User, secret: str, code: str, *, now: datetime) -> list[str]:
    """Bind a new authenticator after proving it works; returns the new recovery codes."""
    step = matching_step(secret, code, now)
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
    passwords.confirm_password(user.password_hash, current_password)
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
