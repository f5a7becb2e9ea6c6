"""Personal access tokens: made once, stored as a hash, checked on every API call, revoked."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import Select, bindparam, or_, select, update
from sqlalchemy.orm import lazyload

from network.audit import service as audit
from network.auth.digests import sha256
from network.auth.models import AccessToken, User
from network.core.errors import AuthenticationFailed, InvalidInput, NotFound
from network.core.i18n import N_
from network.extensions import db

TOKEN_PREFIX = "arnet_"  # noqa: S105 - a visible marker, not a secret


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
        token_hash=sha256(raw),
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


@dataclass(frozen=True)
class TokenUse:
    """Whom a token acts for, and whether this use was written down (once a minute at most)."""

    user: User
    recorded: bool


# How long a token's last use stands before a newer use is written (and audited) again.
USE_RECORDED_EVERY = timedelta(seconds=60)


@cache
def _live_token() -> Select[User, int, datetime | None]:
    """The user of a live token by its hash, built once (after the mappers are configured).

    Every API call runs it. The user's State is loaded only if something asks for it (a
    page's time zone), not joined in, with its names in six languages, on every call.
    """
    return (
        select(User, AccessToken.id, AccessToken.last_used_at)
        .join(AccessToken, AccessToken.user_id == User.id)
        .where(
            AccessToken.token_hash == bindparam("token_hash"),
            AccessToken.revoked_at.is_(None),
            AccessToken.expires_at > bindparam("now"),
        )
        .options(lazyload(User.state))
    )


def check_token(raw: str, *, now: datetime, client_address: str | None = None) -> TokenUse:
    """The user a bearer token acts for, in one query; unknown, revoked and expired fail alike.

    Every call reads the token afresh, so a revocation holds from the next request on;
    only the record of use is written, and that at most once a minute per token, so
    that reads do not each write (and commit) a row.
    """
    found = db.session.execute(
        _live_token(), {"token_hash": sha256(raw.strip()), "now": now}
    ).first()
    if found is None or not found.User.active:
        raise AuthenticationFailed(
            N_("The access token is unknown, revoked or expired."), reason="token_not_valid"
        )
    user, token, last_used_at = found
    if last_used_at is not None and now - last_used_at <= USE_RECORDED_EVERY:
        return TokenUse(user, recorded=False)
    # Concurrent requests race for the write; only the one that moves the time audits it.
    moved = db.session.execute(
        update(AccessToken)
        .where(
            AccessToken.id == token,
            or_(
                AccessToken.last_used_at.is_(None),
                AccessToken.last_used_at < now - USE_RECORDED_EVERY,
            ),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]  # CursorResult has rowcount
        return TokenUse(user, recorded=False)
    audit.record(user, "token.used", "token", token, client_address=client_address, at=now)
    return TokenUse(user, recorded=True)


def authenticate_token(raw: str, *, now: datetime, client_address: str | None = None) -> User:
    """The user a bearer token acts for (see ``check_token``)."""
    return check_token(raw, now=now, client_address=client_address).user


def token_id(raw: str) -> int | None:
    """Which token a secret is, so a socket opened with it can be dropped once it is revoked."""
    return db.session.scalar(
        select(AccessToken.id).where(AccessToken.token_hash == sha256(raw.strip()))
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
        raise NotFound(N_("No such token."), reason="token_not_found")
    token.revoked_at = now
    audit.record(user, "token.revoked", "token", token.id, at=now)
