"""Domain errors that services raise and entry points turn into status codes or messages."""

from __future__ import annotations

from collections.abc import Mapping


class DomainError(Exception):
    """Base of every error a service raises on purpose; ``status`` is the HTTP status it maps to."""

    status = 400

    def __init__(
        self,
        message: str,
        errors: Mapping[str, list[str]] | None = None,
        **params: object,
    ) -> None:
        super().__init__(message % params if params else message)
        # English text marked with N_; the edge translates it and then fills in ``params``.
        self.message = message
        self.params = params
        self.errors: dict[str, list[str]] = dict(errors or {})


class MalformedInput(DomainError):
    """The body cannot be read at all: not JSON, or JSON nested too deeply to parse safely."""

    status = 400


class NotFound(DomainError):
    """The object does not exist, or the actor may not know that it does."""

    status = 404


class PermissionDenied(DomainError):
    """The actor is known and the object is visible, but the action is not theirs to take."""

    status = 403


class AuthenticationFailed(DomainError):
    """Credentials were missing, wrong or expired."""

    status = 401


class InvalidInput(DomainError):
    """Values passed the schema but break a domain rule; ``errors`` names the fields."""

    status = 422


class Conflict(DomainError):
    """The change clashes with the current state (a duplicate, a replay, a stale step)."""

    status = 409


class StaleEdit(DomainError):
    """The edit was made from a version of the record that another change has replaced."""

    status = 412


class InvalidTransition(Conflict):
    """A step the state machine does not allow; ``errors["allowed"]`` lists the next steps."""


class Throttled(DomainError):
    """Too many attempts; ``retry_after`` says how many seconds to wait."""

    status = 429

    def __init__(self, message: str, retry_after: int, **params: object) -> None:
        super().__init__(message, None, **params)
        self.retry_after = retry_after
