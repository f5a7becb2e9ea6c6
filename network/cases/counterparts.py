"""What one side records that the other side should know, published for the notifications.

Requests, orders and disclosures sit below the notifications, so the service that
records a step publishes a ``Recorded`` fact in its own transaction once the step
succeeded; ``notifications.counterparts`` subscribes and tells the members of the
other side. The fact names the kind of notice and what it points at, never content.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from network.auth.models import User
from network.core.events import publish
from network.schemas.vocabularies import NoticeTarget, NotificationKind

RECORDED = "recorded_for_counterpart"


@dataclass(frozen=True)
class Recorded:
    """One step the actor's side took, to be told to the other side.

    In a case, ``state`` is the requested State whose channel holds the two sides;
    without a case (a disclosure) it is the State to tell.
    """

    kind: NotificationKind
    actor: User
    now: datetime
    case_id: int | None
    state: str
    target: NoticeTarget
    target_id: int
    # The subject's words: kind and status codes, ISO dates; never a title, name or text.
    words: Mapping[str, object] = field(default_factory=dict)
    # Which step where one kind covers several ("answered", "delay" for an enquiry).
    variant: str = ""


def tell_counterpart(fact: Recorded) -> None:
    """Publish the step for the notifications, in the caller's transaction."""
    publish(RECORDED, fact)
