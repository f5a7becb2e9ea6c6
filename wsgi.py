"""Entry point: ``app`` for WSGI servers and ``flask --app wsgi``; ``python wsgi.py`` serves.

A configuration that cannot work stops the start with one line naming the setting, not a
traceback; a server (not a ``flask`` command, which may be the one creating the keyring)
also opens the keyring before it takes a request, and clears what broken or never-used
uploads left (``network clean-uploads``, which a cron job also runs).
"""

from __future__ import annotations

import os

from config import ConfigurationError
from network import create_app
from network.cli.uploads import clean_uploads
from network.crypto.errors import CryptoError
from network.extensions import socketio
from network.wiring import keyring


def _clean_uploads() -> None:
    """A failed clean-up (the database away) never stops a start; the next run does it."""
    try:
        app.logger.info("upload clean-up at start: %s", clean_uploads().line())
    except Exception:
        app.logger.exception("upload clean-up at start failed; the next run retries")


try:
    app = create_app()
    if os.environ.get("FLASK_RUN_FROM_CLI") != "true":
        with app.app_context():
            keyring()
            _clean_uploads()
except ConfigurationError as error:
    raise SystemExit(f"ARNet cannot start: {error}") from None
except (OSError, CryptoError) as error:
    raise SystemExit(
        f"ARNet cannot start: ARNET_KEYRING: cannot open the keyring ({error}); "
        "`flask --app wsgi network init-keyring` creates a new one"
    ) from None

if __name__ == "__main__":
    socketio.run(
        app,
        host=app.config["HOST"],
        port=app.config["PORT"],
        allow_unsafe_werkzeug=True,  # the embedded default; deployments use gunicorn (README)
    )
