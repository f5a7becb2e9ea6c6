"""Counts of disclosures and notifications by kind, direction and outcome (no content)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import or_, select

from network.disclosures.models import Disclosure
from network.extensions import db


@dataclass(frozen=True)
class DisclosureRow:
    kind: str
    direction: str  # "sent" or "received", from the State's point of view
    status: str  # sent, acknowledged, followed_up, no_action
    count: int
    led_to_case: int


def for_state(state: str) -> list[DisclosureRow]:
    """What the State sent and received, and what each led to."""
    counts: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for disclosure in db.session.scalars(
        select(Disclosure).where(or_(Disclosure.from_state == state, Disclosure.to_state == state))
    ):
        direction = "sent" if disclosure.from_state == state else "received"
        cell = counts[(disclosure.kind, direction, disclosure.status)]
        cell[0] += 1
        cell[1] += int(disclosure.led_to_case_id is not None)
    return [
        DisclosureRow(kind, direction, status, number, led)
        for (kind, direction, status), (number, led) in sorted(counts.items())
    ]


def network_wide() -> list[tuple[str, str, int, set[int]]]:
    """(kind, status, count, disclosure ids) over the network; each disclosure is its own matter."""
    cells: dict[tuple[str, str], set[int]] = defaultdict(set)
    for disclosure_id, kind, status in db.session.execute(
        select(Disclosure.id, Disclosure.kind, Disclosure.status)
    ).all():
        cells[(kind, status)].add(disclosure_id)
    return [(kind, status, len(ids), ids) for (kind, status), ids in sorted(cells.items())]
