"""Socket.IO entry points; rooms are named by the server, never by the client."""

from __future__ import annotations

from flask import Flask

from network.core import clock, events
from network.extensions import db, socketio

_delivery_installed = False


def allowed_origins(app: Flask) -> list[str]:
    """An explicit list: never "*", and never [] (which switches the origin check off)."""
    origins = [o.strip() for o in app.config["ALLOWED_ORIGINS"].split(",") if o.strip()]
    if not origins or "*" in origins:
        raise RuntimeError("ARNET_ALLOWED_ORIGINS must name the site's own origins, not '*'")
    return origins


def _install_delivery() -> None:
    """Once per process: the listeners sit on the session class, shared by every app."""
    global _delivery_installed
    if _delivery_installed:
        return
    from network.realtime.delivery import deliver

    events.install(db.session.session_factory.class_, deliver)
    _delivery_installed = True


def init_realtime(app: Flask) -> None:
    from network.realtime import handlers  # noqa: F401 - registers the event handlers
    from network.realtime.queue import NumberedRedisManager
    from network.realtime.registry import SocketRegistry

    redis_url = app.config["REDIS_URL"]
    # Always named: Flask-SocketIO keeps its options between init_app calls, so an earlier
    # app's queue would linger in this process; None asks for a fresh in-process manager.
    queue = NumberedRedisManager(redis_url, app.config["REDIS_PREFIX"]) if redis_url else None
    socketio.init_app(
        app,
        async_mode=app.config["ASYNC_MODE"],
        client_manager=queue,
        cors_allowed_origins=allowed_origins(app),
        max_http_buffer_size=app.config["MESSAGE_MAX_BYTES"] * 2,
    )
    app.extensions["arnet_realtime"] = SocketRegistry(started=clock.now())
    _install_delivery()
