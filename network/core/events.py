"""Domain events, queued on the database session and delivered only after its commit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

_KEY = "arnet_pending_events"


@dataclass(frozen=True)
class DomainEvent:
    """Something that happened, addressed to a server-named room (``channel:7``, ``user:3``)."""

    name: str
    room: str
    payload: dict[str, Any] = field(default_factory=dict)


def queue(session: Session, event: DomainEvent) -> None:
    """Hold an event until the transaction that caused it commits."""
    session.info.setdefault(_KEY, []).append(event)


def install(session_class: type[Session], deliver: Callable[[list[DomainEvent]], None]) -> None:
    """Deliver queued events after commit and drop them after rollback."""

    def after_commit(session: Session) -> None:
        pending = session.info.pop(_KEY, [])
        if pending:
            deliver(pending)

    def after_rollback(session: Session) -> None:
        session.info.pop(_KEY, None)

    sa_event.listen(session_class, "after_commit", after_commit)
    sa_event.listen(session_class, "after_rollback", after_rollback)
