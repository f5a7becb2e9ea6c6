"""What API methods share in answering: declared errors, file bodies, pages, saves, versions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from http import HTTPStatus
from typing import Any, TypeVar

from apispec import BasePlugin
from flask import request
from flask_login import current_user
from flask_smorest import Blueprint

from network.core import clock
from network.extensions import db

View = TypeVar("View", bound=Callable[..., Any])
T = TypeVar("T")
R = TypeVar("R")


def _declare(operation: dict[str, Any], *statuses: int) -> None:
    responses = operation.setdefault("responses", {})
    for status in statuses:
        if status not in responses and str(status) not in responses:
            responses[status] = HTTPStatus(status).name  # a response flask-smorest registers


CHANGING_METHODS = frozenset({"post", "put", "patch", "delete"})


class SharedErrorAnswers(BasePlugin):
    """The answers that follow from an operation's shape rather than from what it does.

    Every operation needs a signed-in caller (401); one with a path parameter names something
    that may not exist (404); one that changes something refuses a cookie caller without its CSRF
    token (400); one with a body may send one too large (413) or unreadable (400). Any may
    answer 503, with ``Retry-After``, while the database or Redis is away.
    """

    def operation_helper(
        self, path: str | None = None, operations: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        for method, operation in (operations or {}).items():
            _declare(operation, HTTPStatus.UNAUTHORIZED, HTTPStatus.SERVICE_UNAVAILABLE)
            if path and "{" in path:
                _declare(operation, HTTPStatus.NOT_FOUND)
            if method in CHANGING_METHODS or "requestBody" in operation:
                _declare(operation, HTTPStatus.BAD_REQUEST)
            if "requestBody" in operation:
                _declare(operation, HTTPStatus.REQUEST_ENTITY_TOO_LARGE)


class OperationIds(BasePlugin):
    """Each operation's ``operationId``: its method and resource, "getChannelMessages".

    Taken from the method view's class, so a generated client's function names follow the
    code's own and stay put while the resource does; the API's test checks they are unique.
    """

    def operation_helper(
        self, path: str | None = None, operations: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        rule = kwargs.get("rule")
        if rule is None:
            return
        resource = rule.endpoint.rsplit(".", 1)[-1]
        for method, operation in (operations or {}).items():
            operation.setdefault("operationId", f"{method}{resource}")


def refuses(blp: Blueprint, *statuses: int) -> Callable[[View], View]:
    """Declare the answers a method gives beyond the shared ones: 403, 409, a 422 of its own."""

    def declare(view: View) -> View:
        for status in statuses:
            view = blp.alt_response(status, response=HTTPStatus(status).name)(view)
        return view

    return declare


# An edited record's ETag is its version, quoted: "7". It names the record, not the bytes of
# one answer (each side sees its own view of a request), and every change counts it up.
ETAG = {
    "ETag": {
        "description": "The record's version; send it back in `If-Match` to edit it.",
        "schema": {"type": "string", "example": '"7"'},
    }
}
IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "schema": {"type": "string", "example": '"7"'},
    "description": (
        "The ETag the edit was made from. If the record changed since, the answer is 412 "
        "and nothing is written; `errors.changed_by` and `errors.changed_at` say who changed "
        "it and when, where known. Without the header (or with `*`) the edit applies to the "
        "current version."
    ),
}


def edits_version(blp: Blueprint) -> Callable[[View], View]:
    """Declare a PATCH's optional ``If-Match`` and the 412 a stale one answers."""

    def declare(view: View) -> View:
        return blp.doc(parameters=[IF_MATCH])(refuses(blp, 412)(view))

    return declare


def if_match() -> int | None:
    """The version named by ``If-Match``; None when there is none (or ``*``) to hold the edit to.

    A value that is not one ETag of ours names -1, which matches no version, so the edit is
    refused rather than applied to a version the caller never saw.
    """
    named = request.headers.get("If-Match", "").strip()
    if named in {"", "*"}:
        return None
    digits = named[1:-1] if len(named) > 2 and named[0] == named[-1] == '"' else ""
    return int(digits) if digits.isascii() and digits.isdigit() else -1


def tagged(answer: T, version: int) -> tuple[T, dict[str, str]]:
    """An answer with the ETag of the record's version."""
    return answer, {"ETag": f'"{version}"'}


BINARY = {"type": "string", "format": "binary"}


def file_download(description: str, *media_types: str) -> dict[str, Any]:
    """The documentation of a method that answers 200 with a file: a binary body of these types."""
    content = {media_type: {"schema": BINARY} for media_type in media_types}
    return {"responses": {"200": {"description": description, "content": content}}}


def page_answer(items: Sequence[Any], total: int, page: int = 1) -> dict[str, Any]:
    """What a list answers: one page of items, how many there are in all, and which page."""
    return {"items": items, "total": total, "page": page}


def read_page(
    found: tuple[Sequence[T], int], read: Callable[[T, datetime], Any], page: int
) -> dict[str, Any]:
    """A page of directory entries, each read at one moment (office hours, staleness)."""
    items, total = found
    now = clock.now()
    return page_answer([read(each, now) for each in items], total, page)


def read_saved(
    read: Callable[[T, datetime], R], save: Callable[..., T], *args: object, **options: object
) -> R:
    """Save a directory entry as the caller, commit, and read it at the moment it was saved."""
    now = clock.now()
    entry = save(current_user, *args, now=now, **options)
    db.session.commit()
    return read(entry, now)
