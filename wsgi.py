"""Entry point: ``app`` for WSGI servers and ``flask --app wsgi``; ``python wsgi.py`` serves.

A configuration that cannot work stops the start with one line naming the setting, not a
traceback; a server (not a ``flask`` command, which may be the one creating the keyring)
also opens the keyring before it takes a request, clears what broken or never-used
uploads left (``network clean-uploads``, which a cron job also runs), refreshes SQLite's
planner statistics, and then freezes what it has loaded out of the garbage collector's
full passes: at full size those passes, over a quarter of a million long-lived objects,
were most of a case list's p99.
"""

from __future__ import annotations

import gc
import os

from config import ConfigurationError
from network import create_app
from network.cli.uploads import clean_uploads
from network.core.sqlite import refresh_statistics
from network.crypto.errors import CryptoError
from network.extensions import db, socketio
from network.wiring import keyring


def _clean_uploads() -> None:
    """A failed clean-up (the database away) never stops a start; the next run does it."""
    try:
        app.logger.info("upload clean-up at start: %s", clean_uploads().line())
    except Exception:
        app.logger.exception("upload clean-up at start failed; the next run retries")


def _refresh_statistics() -> None:
    """Statistics that cannot be refreshed (the database busy or away) never stop a start."""
    try:
        refresh_statistics(db.engine)
    except Exception:
        app.logger.exception("planner statistics at start failed; the next start retries")


try:
    app = create_app()
    if os.environ.get("FLASK_RUN_FROM_CLI") != "true":
        with app.app_context():
            keyring()
            _clean_uploads()
            _refresh_statistics()
        gc.freeze()
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
