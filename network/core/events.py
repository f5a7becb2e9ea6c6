"""Domain events, queued on the database session and delivered only after its commit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

_KEY = "arnet_pending_events"


@dataclass(frozen=True)
class DomainEvent:
    """Something that happened, for the readers of one channel or for one user.

    It carries ids only: the realtime edge names the room (``realtime/rooms.py``) and
    dumps a read model payload with its schema; any other payload is JSON-ready already.
    """

    name: str
    payload: object = field(default_factory=dict)
    channel_id: int | None = None
    user_id: int | None = None

    def __post_init__(self) -> None:
        if (self.channel_id is None) == (self.user_id is None):
            raise ValueError("an event goes to one channel's readers or to one user, not both")


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


# --- facts told within the transaction -------------------------------------------------------
#
# A domain folder that must let a folder above it act on something (cases telling the
# notifications of a seat) publishes a fact; the folder above subscribes once at start-up
# (``wiring``). Subscribers run at once, in the publisher's transaction: they flush,
# never commit, and what they write succeeds or fails with the change itself.

_SUBSCRIBERS: dict[str, list[Callable[[object], None]]] = {}


def subscribe(name: str, handler: Callable[[object], None]) -> None:
    """Have ``handler`` called with every fact named ``name``; subscribing twice is once."""
    handlers = _SUBSCRIBERS.setdefault(name, [])
    if handler not in handlers:
        handlers.append(handler)


def publish(name: str, fact: object) -> None:
    """Hand a fact to its subscribers now, in the caller's transaction."""
    for handler in _SUBSCRIBERS.get(name, []):
        handler(fact)
