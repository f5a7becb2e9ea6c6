"""Turns errors into JSON under /api/v1 and friendly pages elsewhere; never a stack trace."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import suppress
from datetime import datetime
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, jsonify, render_template, request
from flask_babel import format_datetime, gettext
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sql
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

from network.core import outages
from network.core.errors import DomainError, NotFound, Throttled
from network.core.i18n import N_
from network.extensions import db, login_manager
from network.http.gates import refusal_for
from network.http.security import is_api_request
from network.schemas.common import BUILT_IN_MESSAGES

E = TypeVar("E", bound=Exception)

_FRIENDLY = {
    400: N_("The request could not be understood."),
    401: N_("Please sign in."),
    403: N_("You are not allowed to see this page."),
    404: N_("This page does not exist, or you may not see it."),
    405: N_("This action is not possible here."),
    409: N_("This conflicts with the current state."),
    413: N_("What you sent is too large."),
    415: N_("This type of content is not accepted."),
    422: N_("Some values are not valid."),
    429: N_("Too many attempts. Please wait and try again."),
    500: N_("Something went wrong on our side. Nothing you did caused it."),
    503: N_("ARNet is temporarily unavailable. Please try again in a few moments."),
    507: N_("The server has no room left to store this. Please try again later."),
}

# Seconds a client waits before trying again while the database or Redis is away.
OUTAGE_RETRY_AFTER = 5


# Input that could not be read or was not valid; only those who pass the gates of the URL's
# objects are told so, everyone else gets the object's "not found".
INPUT_ERRORS = frozenset({400, 413, 415, 422})


def translate(message: str, params: dict[str, object] | None = None) -> str:
    """Translate an English message marked with N_, then fill in its parameters.

    A moment is written in the reader's language and time zone.
    """
    filled = {
        name: format_datetime(value) if isinstance(value, datetime) else value
        for name, value in (params or {}).items()
    }
    return gettext(message, **filled)  # type: ignore[arg-type]


def _built_in(written: str, marked: str) -> tuple[re.Pattern[str], str]:
    """A pattern that recognises marshmallow's filled-in message, and its marked template."""
    pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+?)", re.escape(written))
    return re.compile(f"^{pattern}$"), marked


_BUILT_IN = [_built_in(written, marked) for written, marked in BUILT_IN_MESSAGES]


def translate_message(message: str) -> str:
    """One input error in the user's language: ours by its msgid, marshmallow's by its shape."""
    for pattern, marked in _BUILT_IN:
        if found := pattern.match(message):
            return translate(marked, dict(found.groupdict()))
    return translate(message)


def translate_errors(errors: Any) -> Any:
    """Translate every message of a (nested) error structure, keeping its shape."""
    if isinstance(errors, dict):
        return {key: translate_errors(value) for key, value in errors.items()}
    if isinstance(errors, list):
        return [translate_errors(value) for value in errors]
    return translate_message(errors) if isinstance(errors, str) else errors


def _flatten_locations(messages: dict[str, Any]) -> dict[str, Any]:
    """webargs nests field errors under the location (json, query, form); one level is enough."""
    flat: dict[str, Any] = {}
    for location, fields in messages.items():
        if isinstance(fields, dict) and location in {"json", "query", "form", "files", "headers"}:
            flat.update(fields)
        else:
            flat[location] = fields
    return flat


# The ``reason`` of an answer no service chose: by status. Clients branch on reasons, so a
# published one never changes (ErrorSchema lists them).
REASONS = {
    400: "bad_request",
    401: "authentication_required",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    412: "precondition_failed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    429: "rate_limited",
    500: "internal_error",
    503: "service_unavailable",
    507: "storage_full",
}


def error_body(
    status: int, message: str, errors: dict[str, Any] | None = None, reason: str | None = None
) -> dict[str, Any]:
    """The error body of the API and of socket acknowledgements alike."""
    return {
        "code": status,
        "reason": reason or REASONS.get(status, "error"),
        "message": message,
        "errors": errors or {},
    }


def error_response(
    status: int,
    message: str,
    errors: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    reason: str | None = None,
) -> Response:
    if is_api_request():
        response = jsonify(error_body(status, message, errors, reason))
    else:
        response = Response(
            render_template(
                "errors/error.html", status=status, message=message, errors=errors or {}
            )
        )
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _outsider_refusal(status: int) -> NotFound | None:
    """For an input error: the 'not found' of an object in the URL the caller may not reach."""
    if status not in INPUT_ERRORS or not current_user.is_authenticated:
        return None
    return refusal_for(current_user, request.view_args or {})


def release_session() -> None:
    """Roll back what the request began; a connection already lost cannot be rolled back."""
    with suppress(sql.SQLAlchemyError):
        db.session.rollback()


def outage_answer(kind: str, error: BaseException) -> tuple[int, str]:
    """Note the outage (once per episode) and keep the rest of this request off the database.

    Whoever was signed in is shown the page as a visitor would be: their record cannot be
    loaded now, and one loaded earlier is expired by the rollback. The locale then comes
    from the browser (see ``locale.select_locale``). Returns the status and message.
    """
    release_session()
    outages.began(kind, outages.describe(error))
    g.outage = kind
    g._login_user = login_manager.anonymous_user()
    status = 507 if kind == outages.DISK else 503
    return status, translate(_FRIENDLY[status])


def _handle_outage(error: Exception) -> Response:
    kind = outages.outage_of(error)
    if kind is None:  # an operational error that is not an outage, say a bad statement
        return _handle_unexpected(error)
    status, message = outage_answer(kind, error)
    headers = {"Retry-After": str(OUTAGE_RETRY_AFTER), "Cache-Control": "no-store"}
    return error_response(status, message, headers=headers)


def _unless_away(handler: Callable[[E], Response]) -> Callable[[E], Response]:
    """A handler that finds the database away itself (loading the user for the page, say)
    answers the outage instead; left to Flask, that would be a traceback and a bare 500."""

    @wraps(handler)
    def handle(error: E) -> Response:
        try:
            return handler(error)
        except outages.SERVICE_ERRORS as away:
            return _handle_outage(away)

    return handle


@_unless_away
def _handle_domain_error(error: DomainError) -> Response:
    release_session()
    error = _outsider_refusal(error.status) or error
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, Throttled) else {}
    return error_response(
        error.status,
        translate(error.message, error.params),
        translate_errors(error.errors),
        headers,
        error.reason,
    )


@_unless_away
def _handle_http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    refusal = _outsider_refusal(status)
    if refusal is not None:
        return _handle_domain_error(refusal)
    data = getattr(error, "data", None) or {}
    errors = _flatten_locations(data["messages"]) if isinstance(data.get("messages"), dict) else {}
    message = data.get("message") or translate(_FRIENDLY.get(status, error.description or ""))
    # The exception's own headers survive the JSON or page body: Allow on a 405 above all.
    headers = {key: value for key, value in error.get_headers() if key.lower() != "content-type"}
    headers.update(data.get("headers") or {})
    reason = None
    if isinstance(error, CSRFError):
        message = translate(N_("The form has expired. Reload the page and try again."))
        reason = "csrf_token_invalid"
    if status == 422 and not data.get("message"):
        message = translate(N_("Some values are not valid."))
    return error_response(status, message, translate_errors(errors), headers, reason)


@_unless_away
def _handle_changed_meanwhile(error: StaleDataError) -> Response:
    """Another transaction changed the record between this one's read and its write.

    The version counter of an edited record catches it (``version_id_col``); a path that
    locks with ``load_for_change`` never gets here, one that does not is refused, not lost.
    """
    release_session()
    message = N_("Someone changed this record at the same moment. Nothing was saved; try again.")
    return error_response(409, translate(message), reason="changed_meanwhile")


@_unless_away
def _handle_unexpected(error: Exception) -> Response:
    original = getattr(error, "original_exception", None) or error
    if outages.outage_of(original) is not None and original is not error:
        return _handle_outage(original)
    release_session()
    current_app.logger.error("unhandled error on %s", request.path, exc_info=original)
    return error_response(500, translate(_FRIENDLY[500]))


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(DomainError, _handle_domain_error)
    app.register_error_handler(HTTPException, _handle_http_exception)
    app.register_error_handler(StaleDataError, _handle_changed_meanwhile)
    app.register_error_handler(InternalServerError, _handle_unexpected)
    for outage in outages.SERVICE_ERRORS:
        app.register_error_handler(outage, _handle_outage)
