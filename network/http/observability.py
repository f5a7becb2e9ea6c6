"""Per request: a request id (echoed as X-Request-ID), the request metrics, one JSON log line.

The line names the request (id, method, path without its query string, endpoint), its
status, duration and user id; never a body, a search term or anything read from a case.
JSON logs are the default in production (``ARNET_LOG_FORMAT=json``); elsewhere the logs
stay Flask's text and the server's own access log, so that a test's output stays readable.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, current_app, g, has_request_context, request
from flask.logging import default_handler, has_level_handler

from network.core import metrics

# The fields an access line carries, besides time, level, logger and message.
ACCESS_FIELDS = ("request_id", "method", "path", "endpoint", "status", "duration_ms", "user_id")
# What a proxy may hand on as the request id (nginx's $request_id, a UUID, a trace id).
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:=-]{7,127}")
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Endpoints whose path holds a credential: their line shows the route, not the path.
SECRET_IN_PATH = frozenset({"web_notifications.calendar_feed"})

access_log = logging.getLogger("network.access")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the request's fields if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in ACCESS_FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _with_request_id(record: logging.LogRecord) -> bool:
    """Give every line written while a request is served that request's id."""
    if not hasattr(record, "request_id") and has_request_context():
        request_id = g.get("request_id")
        if request_id is not None:
            record.request_id = request_id
    return True


JSON_HANDLER = logging.StreamHandler(sys.stderr)
JSON_HANDLER.setFormatter(JsonFormatter())
JSON_HANDLER.addFilter(_with_request_id)


def configure_logging(log_format: str) -> None:
    """JSON lines on stderr for the ``network`` loggers, or Flask's text (loggers are global)."""
    logger = logging.getLogger("network")
    if log_format == "json":
        logger.removeHandler(default_handler)
        JSON_HANDLER.setStream(sys.stderr)
        if JSON_HANDLER not in logger.handlers:
            logger.addHandler(JSON_HANDLER)
    elif JSON_HANDLER in logger.handlers:
        logger.removeHandler(JSON_HANDLER)
        if not has_level_handler(logger):  # as Flask does when it first sets the logger up
            logger.addHandler(default_handler)


def _request_id() -> str:
    incoming = request.headers.get("X-Request-ID", "")
    return incoming if _SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex


def _start() -> None:
    g.request_started = time.perf_counter()
    g.request_id = _request_id()


def _user_id() -> int | None:
    # Read only a user already loaded: loading one here would touch sessions after the fact.
    user = g.get("_login_user")
    return user.id if user is not None and user.is_authenticated else None


def _finish(response: Response) -> Response:
    """Runs last of the after-request hooks (registered first), so it sees the final status."""
    request_id = g.get("request_id") or uuid.uuid4().hex
    response.headers["X-Request-ID"] = request_id
    seconds = time.perf_counter() - g.get("request_started", time.perf_counter())
    method = request.method if request.method in _METHODS else "OTHER"
    endpoint = request.endpoint or "unmatched"
    metrics.HTTP_REQUESTS.labels(method, endpoint, str(response.status_code)).inc()
    metrics.HTTP_REQUEST_DURATION.labels(method, endpoint).observe(seconds)
    if current_app.config["LOG_FORMAT"] == "json":
        rule = request.url_rule
        path = rule.rule if rule is not None and rule.endpoint in SECRET_IN_PATH else request.path
        fields = {
            "request_id": request_id,
            "method": method,
            "path": path,
            "endpoint": request.endpoint,
            "status": response.status_code,
            "duration_ms": round(seconds * 1000, 1),
            "user_id": _user_id(),
        }
        access_log.info("%s %s %s", method, path, response.status_code, extra=fields)
    return response


def init_observability(app: Flask) -> None:
    """Register before every other hook, so that a request refused early is still counted."""
    configure_logging(app.config["LOG_FORMAT"])
    app.before_request(_start)
    app.after_request(_finish)
