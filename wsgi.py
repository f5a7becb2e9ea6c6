"""Entry point: ``app`` for WSGI servers and ``flask --app wsgi``; ``python wsgi.py`` serves."""

from __future__ import annotations

from network import create_app
from network.extensions import socketio

app = create_app()

if __name__ == "__main__":
    socketio.run(
        app,
        host=app.config["HOST"],
        port=app.config["PORT"],
        allow_unsafe_werkzeug=True,  # the embedded default; deployments use gunicorn (README)
    )
