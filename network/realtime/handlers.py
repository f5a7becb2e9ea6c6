"""Socket.IO event handlers: connect, join, send, read; each checks membership through services.

Acknowledgements (the return value of a handler) are ``{"error": {"code", "message",
"errors"}}`` on refusal, with the same words for an unknown channel and one the user may
not see; while the database or Redis is away, the code is 503 (try again later).
``join`` answers ``{"channel", "messages": [...], "more": bool}``: every message
after ``after_seq`` in seq order (ask again from the last one while ``more`` is true); the
socket is in the channel's room before that list is read, so nothing falls between the
two, and a client drops any ``message`` whose seq it already holds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import current_app, g, request
from flask_babel import gettext
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room
from marshmallow import Schema, ValidationError
from sqlalchemy import inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from network.auth import sessions, tokens
from network.auth.models import User
from network.cases.access import access_channel
from network.core import clock, metrics, outages
from network.core.errors import AuthenticationFailed, DomainError
from network.extensions import db, socketio
from network.http.errors import (
    error_body,
    outage_answer,
    release_session,
    translate,
    translate_errors,
)
from network.http.gates import refusal_for
from network.messages import posting, reading
from network.realtime.registry import SocketIdentity
from network.realtime.rooms import channel_room, user_room
from network.realtime.sweeper import (
    profile_of,
    registry_of,
    run_sweeper,
    session_idle_limit,
    standing_profile,
)
from network.schemas.messages import JoinSchema, MessageSchema, ReadSchema, SendSchema
from network.wiring import send_throttle

log = logging.getLogger(__name__)

JOIN_PAGE = 200
Ack = dict[str, Any]
_MESSAGES = MessageSchema(many=True)  # the REST answer's shape, also each ``message`` event


def _error(
    status: int, message: str, errors: dict[str, Any] | None = None, reason: str | None = None
) -> Ack:
    return {"error": error_body(status, message, errors, reason)}


def _refusal(error: DomainError) -> Ack:
    errors = {key: [translate(m) for m in value] for key, value in error.errors.items()}
    return _error(error.status, translate(error.message, error.params), errors, error.reason)


def _unavailable(error: Exception) -> Ack | None:
    """An outage's 503 (noted once per episode), or None for any other error."""
    kind = outages.outage_of(error)
    return None if kind is None else _error(*outage_answer(kind, error))


def _failure(error: Exception) -> Ack:
    """An outage's 503, or a 500 logged with its traceback."""
    if (unavailable := _unavailable(error)) is not None:
        return unavailable
    release_session()
    log.exception("socket event %s failed", request.event["message"])  # type: ignore[attr-defined]
    return _error(500, gettext("Something went wrong on our side. Nothing you did caused it."))


# --- connect -------------------------------------------------------------------------------


def _token_identity(auth: Any) -> SocketIdentity | None:
    raw = auth.get("token") if isinstance(auth, dict) else None
    if not isinstance(raw, str) or not raw:
        return None
    try:
        user = tokens.authenticate_token(raw, now=clock.now(), client_address=request.remote_addr)
    except AuthenticationFailed:
        db.session.rollback()
        return None
    token_id = tokens.token_id(raw)
    db.session.commit()
    return SocketIdentity(user_id=user.id, token_id=token_id)


def _cookie_identity() -> SocketIdentity | None:
    if not current_user.is_authenticated:
        return None
    return SocketIdentity(user_id=current_user.id, session_id=g.get("user_session_id"))


def _start_sweeper_once() -> None:
    """One sweeper per process, started by the first connection (CLI commands start none)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the real app
    registry = registry_of(app)
    if registry.sweeper_started or (app.testing and not app.config.get("SOCKET_SWEEPER")):
        return
    registry.sweeper_started = True
    socketio.start_background_task(run_sweeper, app)


@socketio.on("connect")
def connect(auth: Any = None) -> bool:
    """Accept a signed-in browser (session cookie) or a program (token); refuse the rest."""
    try:
        identity = _token_identity(auth) or _cookie_identity()
    except outages.SERVICE_ERRORS as error:
        unavailable = _unavailable(error)
        if unavailable is None:
            raise
        raise ConnectionRefusedError(unavailable["error"]) from None
    if identity is None:
        return False
    registry_of(current_app).add(request.sid, identity)  # type: ignore[attr-defined]
    join_room(user_room(identity.user_id))
    _start_sweeper_once()
    metrics.socket_opened()
    return True


@socketio.on("disconnect")
def disconnect(reason: Any = None) -> None:
    registry_of(current_app).remove(request.sid)  # type: ignore[attr-defined]
    metrics.socket_closed()


# --- events --------------------------------------------------------------------------------


def _kept_copy(user: User) -> User:
    """A detached copy of a loaded user for the registry: in no session, so any thread reads it."""
    holder = Session()
    copy = holder.merge(user, load=False)
    holder.expunge_all()
    return copy


def _in_session(identity: SocketIdentity, profile: tuple[Any, ...], sid: str) -> User | None:
    """The socket's user in this event's session, without a query while their profile stands.

    The registry keeps a detached copy; it is merged into the session without loading
    (``load=False``). A session that already holds the user loaded (a test's) keeps its own.
    """
    session = db.session()
    present = session.identity_map.get(identity_key(User, identity.user_id))
    loaded: User | None = None
    if present is not None and not inspect(present).expired_attributes:
        loaded = present
    kept = identity.user
    if kept is not None and identity.profile == profile:
        return loaded or session.merge(kept, load=False)
    if loaded is None:
        loaded = session.get(User, identity.user_id, populate_existing=True)
    if loaded is not None and not session.is_modified(loaded):
        registry_of(current_app).keep_user(sid, _kept_copy(loaded), profile_of(loaded))
    return loaded


def _actor() -> User | None:
    """The socket's user, if their credential still stands; otherwise the socket is dropped.

    One Core statement per event checks the credential afresh (revocation in any process
    counts at the next event); the user is kept per socket, not loaded per event.
    Every event a client sends (join, send, read) is the user acting, so it keeps the
    browser session it was opened with from idling out; the write is made at most once per
    ``seen_precision``. Messages pushed to the socket are not activity.
    """
    sid: str = request.sid  # type: ignore[attr-defined]
    registry = registry_of(current_app)
    identity = registry.get(sid)
    now = clock.now()
    idle = session_idle_limit(current_app)
    profile = standing_profile(identity, now, idle) if identity is not None else None
    user = _in_session(identity, profile, sid) if identity and profile else None
    if user is None:
        registry.remove(sid)
        socketio.server.disconnect(sid, namespace="/")
        return None
    every = sessions.seen_precision(current_app.config["SESSION_IDLE_MINUTES"])
    session_id = registry.activity_to_note(sid, now, every)
    if session_id is not None:
        sessions.note_session_activity(session_id, now=now)
        db.session.commit()
    return user


def _event(schema: Schema, act: Callable[[User, dict[str, Any]], Ack]) -> Callable[[Any], Ack]:
    """Authenticate, validate, act, commit once; any refusal becomes an error acknowledgement."""

    def handler(data: Any = None) -> Ack:
        try:
            return answer(data)
        except outages.SERVICE_ERRORS as error:  # loading the actor needs the database too
            return _failure(error)

    def answer(data: Any) -> Ack:
        actor = _actor()
        if actor is None:
            return _error(401, gettext("Sign-in required."))
        if not isinstance(data, dict):
            return _error(422, gettext("Some values are not valid."))
        try:
            values = schema.load(data)
        except ValidationError as error:
            # Only those who may read the channel named are told what was wrong with the rest.
            refusal = refusal_for(actor, {"channel_id": data.get("channel")})
            if refusal is not None:
                return _refusal(refusal)
            errors = translate_errors(error.normalized_messages())
            return _error(422, gettext("Some values are not valid."), errors)
        try:
            acknowledgement = act(actor, values)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            return _refusal(error)
        except Exception as error:
            return _failure(error)
        return acknowledgement

    return handler


def _join(actor: User, values: dict[str, Any]) -> Ack:
    channel_id = values["channel"]
    access_channel(actor, channel_id)
    # Enter the room first, then read the backlog: a message committed in between comes
    # twice (once live, once in the list) rather than not at all; clients drop repeats by seq.
    join_room(channel_room(channel_id))
    registry_of(current_app).entered(request.sid, channel_id)  # type: ignore[attr-defined]
    backlog = reading.messages_after(actor, channel_id, values["after_seq"], JOIN_PAGE + 1)
    items = _MESSAGES.dump(backlog[:JOIN_PAGE])
    return {"channel": channel_id, "messages": items, "more": len(backlog) > JOIN_PAGE}


def _send(actor: User, values: dict[str, Any]) -> Ack:
    send_throttle().spend(actor.id)
    message, created = posting.post_message(
        actor,
        values["channel"],
        client_id=values["client_id"],
        body=values["body"],
        handling_code=values["handling_code"],
        reply_to_seq=values["reply_to_seq"],
        corrects_seq=values["corrects_seq"],
        attachment_ids=values["attachment_ids"],
        max_bytes=current_app.config["MESSAGE_MAX_BYTES"],
        now=clock.now(),
    )
    # The handler commits before this answer leaves, so the seq is only ever acknowledged
    # once the message is stored.
    return {"seq": message.seq, "id": message.id, "created": created}


def _read(actor: User, values: dict[str, Any]) -> Ack:
    held = reading.mark_read(actor, values["channel"], values["seq"], now=clock.now())
    return {"channel": values["channel"], "seq": held}


socketio.on_event("join", _event(JoinSchema(), _join))
socketio.on_event("send", _event(SendSchema(), _send))
socketio.on_event("read", _event(ReadSchema(), _read))
