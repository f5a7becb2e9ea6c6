"""Socket.IO entry points; rooms are named by the server, never by the client."""

from __future__ import annotations

from flask import Flask

from network.extensions import socketio


def allowed_origins(app: Flask) -> list[str]:
    """An explicit list: never "*", and never [] (which switches the origin check off)."""
    origins = [o.strip() for o in app.config["ALLOWED_ORIGINS"].split(",") if o.strip()]
    if not origins:
        raise RuntimeError("ARNET_ALLOWED_ORIGINS must name at least one origin")
    return origins


def init_realtime(app: Flask) -> None:
    from network.realtime import handlers  # noqa: F401 - registers the event handlers

    socketio.init_app(
        app,
        async_mode="threading",
        message_queue=app.config["REDIS_URL"],
        cors_allowed_origins=allowed_origins(app),
        max_http_buffer_size=app.config["MESSAGE_MAX_BYTES"] * 2,
    )
