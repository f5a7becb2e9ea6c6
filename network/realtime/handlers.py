"""Socket.IO event handlers: authentication at connect."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_login import current_user
from flask_socketio import join_room

from network.auth import service as auth_service
from network.auth.models import User
from network.core import clock
from network.core.errors import AuthenticationFailed
from network.extensions import db, socketio


def _token_user(auth: Any) -> User | None:
    raw = auth.get("token") if isinstance(auth, dict) else None
    if not isinstance(raw, str) or not raw:
        return None
    try:
        user = auth_service.authenticate_token(raw, now=clock.now(), client_address=request.remote_addr)
    except AuthenticationFailed:
        return None
    db.session.commit()
    return user


@socketio.on("connect")
def connect(auth: Any = None) -> bool:
    """Accept a signed-in browser (session cookie) or a program (token); refuse the rest."""
    user = _token_user(auth) or (current_user if current_user.is_authenticated else None)
    if user is None:
        return False
    join_room(f"user:{user.id}")
    return True
