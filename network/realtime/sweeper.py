"""Drops sockets whose credential has ended and removes sockets from rooms they have lost.

HTTP ``before_request`` hooks never run for socket events, and a socket keeps what it
had at connect, so a background task in each process looks twice a second for ended,
idle or expired sessions, revoked tokens, deactivated users and membership changes.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import ColumnElement, and_, select

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


def standing_user(identity: SocketIdentity, now: datetime, idle: timedelta) -> User | None:
    """The socket's user if their credential still stands: the check made at each event.

    The rule of ``ended_credentials`` for one socket, in one query, since every message sent
    pays it.
    """
    query = select(User).where(User.id == identity.user_id, User.active.is_(True))
    if identity.session_id is not None:
        query = query.where(
            select(UserSession.id)
            .where(UserSession.id == identity.session_id, _live_session(now, idle))
            .exists()
        )
    if identity.token_id is not None:
        query = query.where(
            select(AccessToken.id)
            .where(AccessToken.id == identity.token_id, _live_token(now))
            .exists()
        )
    return db.session.scalar(query)


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
