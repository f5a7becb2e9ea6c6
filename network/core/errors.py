"""Domain errors that services raise and entry points turn into status codes or messages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class DomainError(Exception):
    """Base of every error a service raises on purpose; ``status`` is the HTTP status it maps to.

    ``reason`` is the stable, machine-readable name of what went wrong that API clients
    branch on (``case_not_found``, ``transition_not_allowed``); the class gives the general
    one, a raise may name a narrower one. It never changes once published.
    """

    status = 400
    reason = "bad_request"

    def __init__(
        self,
        message: str,
        errors: Mapping[str, list[str]] | None = None,
        *,
        reason: str | None = None,
        **params: object,
    ) -> None:
        super().__init__(message % params if params else message)
        # English text marked with N_; the edge translates it and then fills in ``params``.
        self.message = message
        self.params = params
        self.errors: dict[str, list[str]] = dict(errors or {})
        if reason is not None:
            self.reason = reason


class MalformedInput(DomainError):
    """The body cannot be read at all: not JSON, or JSON nested too deeply to parse safely."""

    status = 400
    reason = "malformed_body"


class NotFound(DomainError):
    """The object does not exist, or the actor may not know that it does."""

    status = 404
    reason = "not_found"


class PermissionDenied(DomainError):
    """The actor is known and the object is visible, but the action is not theirs to take."""

    status = 403
    reason = "forbidden"


class AuthenticationFailed(DomainError):
    """Credentials were missing, wrong or expired."""

    status = 401
    reason = "authentication_failed"


class InvalidInput(DomainError):
    """Values passed the schema but break a domain rule; ``errors`` names the fields."""

    status = 422
    reason = "invalid_input"


class Conflict(DomainError):
    """The change clashes with the current state (a duplicate, a replay, a stale step)."""

    status = 409
    reason = "conflict"


class StaleEdit(DomainError):
    """The edit was made from a version of the record that another change has replaced."""

    status = 412
    reason = "stale_edit"


class InvalidTransition(Conflict):
    """A step the state machine does not allow; ``errors["allowed"]`` lists the next steps."""

    reason = "transition_not_allowed"


class Throttled(DomainError):
    """Too many attempts; ``retry_after`` says how many seconds to wait."""

    status = 429
    reason = "rate_limited"

    def __init__(self, message: str, retry_after: int, **params: Any) -> None:
        super().__init__(message, None, **params)
        self.retry_after = retry_after
