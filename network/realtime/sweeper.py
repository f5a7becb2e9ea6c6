"""Drops sockets whose credential has ended and removes sockets from rooms they have lost.

HTTP ``before_request`` hooks never run for socket events, and a socket keeps what it
had at connect, so a background task in each process looks twice a second for ended,
idle or expired sessions, revoked tokens, deactivated users and membership changes.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import ColumnElement, Executable, and_, bindparam, select

from network.auth.models import AccessToken, User, UserSession
from network.cases.access import is_member
from network.core import clock
from network.extensions import db, socketio
from network.messages import reading
from network.realtime.registry import SocketIdentity, SocketRegistry
from network.realtime.rooms import channel_room

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_SECONDS = 0.5
# Membership changes are read again for this long, so one committed a moment after its
# own timestamp is not missed; applying a change twice does nothing.
OVERLAP = timedelta(seconds=5)


def registry_of(app: Flask) -> SocketRegistry:
    return app.extensions["arnet_realtime"]  # type: ignore[no-any-return]


def session_idle_limit(app: Flask) -> timedelta:
    """A socket opened with a browser session idles out with it (ARNET_SESSION_IDLE_MINUTES)."""
    return timedelta(minutes=app.config["SESSION_IDLE_MINUTES"])


def _live_session(now: datetime, idle: timedelta) -> ColumnElement[bool]:
    """Not ended, not past its absolute lifetime, and used within the idle limit."""
    return and_(
        UserSession.ended_at.is_(None),
        UserSession.expires_at > now,
        UserSession.last_seen_at >= now - idle,
    )


def _live_token(now: datetime) -> ColumnElement[bool]:
    return and_(AccessToken.revoked_at.is_(None), AccessToken.expires_at > now)


def ended_credentials(
    sockets: dict[str, SocketIdentity], now: datetime, idle: timedelta
) -> set[str]:
    """The sockets whose user, browser session or token no longer stands (gone rows included)."""
    if not sockets:
        return set()
    user_ids = {i.user_id for i in sockets.values()}
    session_ids = {i.session_id for i in sockets.values() if i.session_id is not None}
    token_ids = {i.token_id for i in sockets.values() if i.token_id is not None}
    inactive = user_ids - set(
        db.session.scalars(select(User.id).where(User.id.in_(user_ids), User.active.is_(True)))
    )
    ended_sessions: set[int] = set()
    if session_ids:
        ended_sessions = session_ids - set(
            db.session.scalars(
                select(UserSession.id).where(
                    UserSession.id.in_(session_ids), _live_session(now, idle)
                )
            )
        )
    ended_tokens: set[int] = set()
    if token_ids:
        ended_tokens = token_ids - set(
            db.session.scalars(
                select(AccessToken.id).where(AccessToken.id.in_(token_ids), _live_token(now))
            )
        )
    return {
        sid
        for sid, i in sockets.items()
        if i.user_id in inactive or i.session_id in ended_sessions or i.token_id in ended_tokens
    }


# What an event's actor may have changed since their socket loaded them: when the row no
# longer matches, the socket's kept copy of the user is loaded again.
_PROFILE = (
    User.name,
    User.role,
    User.state_code,
    User.authority_id,
    User.body_id,
    User.locale,
    User.time_zone,
)
_STANDING: dict[tuple[bool, bool], Executable] = {}


def _standing_statement(by_session: bool, by_token: bool) -> Executable:
    """The check of one socket's credential, built once per kind of credential."""
    kept = _STANDING.get((by_session, by_token))
    if kept is None:
        statement = select(*_PROFILE).where(User.id == bindparam("user_id"), User.active.is_(True))
        if by_session:
            statement = statement.where(
                select(UserSession.id)
                .where(
                    UserSession.id == bindparam("session_id"),
                    UserSession.ended_at.is_(None),
                    UserSession.expires_at > bindparam("now"),
                    UserSession.last_seen_at >= bindparam("idle_since"),
                )
                .exists()
            )
        if by_token:
            statement = statement.where(
                select(AccessToken.id)
                .where(
                    AccessToken.id == bindparam("token_id"),
                    AccessToken.revoked_at.is_(None),
                    AccessToken.expires_at > bindparam("now"),
                )
                .exists()
            )
        _STANDING[(by_session, by_token)] = kept = statement
    return kept


def standing_profile(
    identity: SocketIdentity, now: datetime, idle: timedelta
) -> tuple[Any, ...] | None:
    """The socket's user's profile if their credential still stands: the check at each event.

    The rule of ``ended_credentials`` for one socket, in one Core statement on the event's
    connection, since every message sent pays it: user active, session live or token
    unrevoked and unexpired, read afresh so that revocation in any process counts at once.
    """
    statement = _standing_statement(identity.session_id is not None, identity.token_id is not None)
    row = (
        db.session.connection()
        .execute(
            statement,
            {
                "user_id": identity.user_id,
                "session_id": identity.session_id,
                "token_id": identity.token_id,
                "now": now,
                "idle_since": now - idle,
            },
        )
        .first()
    )
    return None if row is None else tuple(row)


def profile_of(user: User) -> tuple[Any, ...]:
    """The same columns as ``standing_profile`` reads, from a loaded user."""
    return tuple(getattr(user, column.key) for column in _PROFILE)


def drop_from_channel(registry: SocketRegistry, sid: str, channel_id: int) -> None:
    """Stop live delivery of a channel to one socket and tell its client why."""
    socketio.server.leave_room(sid, channel_room(channel_id), namespace="/")
    registry.left(sid, channel_id)
    socketio.emit("removed", {"channel": channel_id}, to=sid)


def sweep_once(app: Flask) -> None:
    """One pass over this process's sockets; call within an application context."""
    registry = registry_of(app)
    now = clock.now()
    since = registry.swept_until
    sockets = registry.snapshot()
    for sid in ended_credentials(sockets, now, session_idle_limit(app)):
        socketio.server.disconnect(sid, namespace="/")
        registry.remove(sid)
        sockets.pop(sid, None)
    changes = reading.membership_changes_since(since - OVERLAP)
    registry.swept_until = now
    for user_id, channel_id in changes:
        holders = [
            sid for sid, i in sockets.items() if i.user_id == user_id and channel_id in i.channels
        ]
        if holders and not is_member(user_id, channel_id):
            for sid in holders:
                drop_from_channel(registry, sid, channel_id)
    db.session.rollback()


def run_sweeper(app: Flask) -> None:
    """The background task: never dies on an error, so revocation keeps working."""
    interval = float(app.config.get("SOCKET_SWEEP_SECONDS", DEFAULT_INTERVAL_SECONDS))
    while True:
        socketio.sleep(interval)
        with app.app_context():
            try:
                sweep_once(app)
            except Exception:
                log.exception("socket sweep failed; retrying")
                db.session.rollback()
            finally:
                db.session.remove()
