"""Turns errors into JSON under /api/v1 and friendly pages elsewhere; never a stack trace."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask_babel import format_datetime, gettext
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

from network.core.errors import DomainError, NotFound, Throttled
from network.core.i18n import N_
from network.extensions import db
from network.http.gates import refusal_for
from network.http.security import is_api_request
from network.schemas.common import BUILT_IN_MESSAGES

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
}


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


def error_response(
    status: int,
    message: str,
    errors: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    if is_api_request():
        response = jsonify({"code": status, "message": message, "errors": errors or {}})
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


def _handle_domain_error(error: DomainError) -> Response:
    db.session.rollback()
    error = _outsider_refusal(error.status) or error
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, Throttled) else {}
    return error_response(
        error.status,
        translate(error.message, error.params),
        translate_errors(error.errors),
        headers,
    )


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
    if isinstance(error, CSRFError):
        message = translate(N_("The form has expired. Reload the page and try again."))
    if status == 422 and not data.get("message"):
        message = translate(N_("Some values are not valid."))
    return error_response(status, message, translate_errors(errors), headers)


def _handle_changed_meanwhile(error: StaleDataError) -> Response:
    """Another transaction changed the record between this one's read and its write.

    The version counter of an edited record catches it (``version_id_col``); a path that
    locks with ``load_for_change`` never gets here, one that does not is refused, not lost.
    """
    db.session.rollback()
    message = N_("Someone changed this record at the same moment. Nothing was saved; try again.")
    return error_response(409, translate(message))


def _handle_unexpected(error: Exception) -> Response:
    db.session.rollback()
    original = getattr(error, "original_exception", error)
    current_app.logger.error("unhandled error on %s", request.path, exc_info=original)
    return error_response(500, translate(_FRIENDLY[500]))


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(DomainError, _handle_domain_error)
    app.register_error_handler(HTTPException, _handle_http_exception)
    app.register_error_handler(StaleDataError, _handle_changed_meanwhile)
    app.register_error_handler(InternalServerError, _handle_unexpected)
