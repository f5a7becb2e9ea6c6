"""Probes for load balancers and orchestrators (the process answers, it can serve) and metrics."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from functools import cache
from pathlib import Path

import redis
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, abort, current_app, jsonify
from sqlalchemy import text
from werkzeug.wrappers import Response

from network.core import metrics
from network.crypto.keyring import Keyring
from network.extensions import db, limiter, talisman
from network.http.security import bearer_token
from network.wiring import keyring

bp = Blueprint("web_health", __name__)

# A probe speaks plain HTTP to the worker itself: never redirected to HTTPS, never throttled.
probe = talisman(force_https=False, strict_transport_security=False)


@bp.route("/healthz")
@limiter.exempt
@probe
def health() -> Response:
    """The process answers; says nothing of what it depends on (that is /readyz)."""
    return jsonify({"status": "ok"})


@cache
def _migration_heads(directory: str) -> frozenset[str]:
    return frozenset(ScriptDirectory(directory).get_heads())


def _database() -> None:
    with db.engine.connect() as connection:
        connection.execute(text("SELECT 1"))
        current = frozenset(MigrationContext.configure(connection).get_current_heads())
    directory = str(Path(current_app.extensions["migrate"].directory))
    if current != _migration_heads(directory):
        raise RuntimeError("not at the migration head (run flask db upgrade)")


def _redis() -> None:
    url = current_app.config["REDIS_URL"]
    if url:
        redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2).ping()


def _keyring() -> None:
    keyring()  # opened as the services open it (created first in development)
    # Then read from disk, not the copy in memory: a worker that restarts must load it.
    Keyring.load(Path(current_app.config["KEYRING"]))


CHECKS: dict[str, Callable[[], None]] = {
    "database": _database,
    "redis": _redis,
    "keyring": _keyring,
}


@bp.route("/readyz")
@limiter.exempt
@probe
def ready() -> Response:
    """Database reachable and migrated, Redis reachable when configured, keyring readable."""
    failed: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:  # any failure makes the worker unready
            current_app.logger.warning("readiness check %s failed: %s", name, error)
            failed[name] = str(error).splitlines()[0] if str(error) else type(error).__name__
    if failed:
        response = jsonify(
            {
                "code": 503,
                "message": "Not ready: " + ", ".join(sorted(failed)) + ".",
                "errors": failed,
            }
        )
        response.status_code = 503
        return response
    return jsonify({"status": "ready", "checks": sorted(CHECKS)})


def _scraper_allowed() -> bool:
    """The bearer token is ARNET_METRICS_TOKEN, compared in constant time; none is set: no."""
    expected = current_app.config["METRICS_TOKEN"]
    given = bearer_token()
    if not expected or given is None:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


@bp.route("/metrics", endpoint="metrics")
@limiter.exempt
@probe
def metrics_page() -> Response:
    """Prometheus metrics, for its scraper only: anyone else gets the usual 404."""
    if not _scraper_allowed():
        abort(404)
    body, content_type = metrics.exposition()
    return Response(body, content_type=content_type)
