"""Browser sessions: started at sign-in, resumed from the cookie, ended one or all at once."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update

from network.audit import service as audit
from network.auth.digests import sha256
from network.auth.models import AccessToken, User, UserSession
from network.auth.tokens import active_tokens
from network.core.errors import NotFound
from network.core.i18n import N_
from network.extensions import db


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
            token_hash=sha256(raw),
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
    found = db.session.scalar(select(UserSession).where(UserSession.token_hash == sha256(raw)))
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
    found = db.session.scalar(select(UserSession).where(UserSession.token_hash == sha256(raw)))
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
        raise NotFound(N_("No such session."), reason="session_not_found")
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
