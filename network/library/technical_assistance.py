"""Each State's technical-assistance needs and offers (resolution 4/1; resolution 4/2 para 2).

The network sees them only as counts per area, each resting on at least ``MIN_STATES``
States so that no count points at one State; the secretariat sees them State by State.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from network.audit import service as audit
from network.auth.models import User
from network.auth.policy import Action, require
from network.core.errors import NotFound, PermissionDenied
from network.core.i18n import N_
from network.core.locking import load_for_change
from network.core.paging import page_of
from network.directory.changes import diff, require_version, snapshot
from network.extensions import db
from network.library.models import AssistanceNeed
from network.schemas.library_vocabularies import ASSISTANCE_AREAS

MIN_STATES = 3
_FIELDS = ("direction", "area", "description", "status")


@dataclass(frozen=True)
class AreaFigures:
    """Open needs and offers in one area; None where fewer than MIN_STATES States recorded it."""

    area: str
    needs: int | None
    offers: int | None


def _count(states: set[str]) -> int | None:
    return None if 0 < len(states) < MIN_STATES else len(states)


def network_figures(actor: User) -> list[AreaFigures]:
    """For every member: per area, how many States have an open need, and an open offer."""
    require(actor, Action.READ_LIBRARY)
    by_area: dict[tuple[str, str], set[str]] = {}
    for state_code, direction, area in db.session.execute(
        select(AssistanceNeed.state_code, AssistanceNeed.direction, AssistanceNeed.area).where(
            AssistanceNeed.status == "open"
        )
    ):
        by_area.setdefault((area, direction), set()).add(state_code)
    return [
        AreaFigures(
            area,
            _count(by_area.get((area, "need"), set())),
            _count(by_area.get((area, "offer"), set())),
        )
        for area in ASSISTANCE_AREAS
    ]


def list_entries(
    actor: User, *, state: str | None = None, page: int = 1, per_page: int = 50
) -> tuple[list[AssistanceNeed], int]:
    """Entries State by State: every State's for the secretariat, otherwise one's own State's."""
    require(actor, Action.READ_LIBRARY)
    query = select(AssistanceNeed)
    if actor.role == "network_admin":
        if state:
            query = query.where(AssistanceNeed.state_code == state)
    elif (state and state != actor.state_code) or actor.state_code is None:
        raise PermissionDenied(
            N_("Only the network administrator sees other States' needs and offers."),
            reason="forbidden",
        )
    else:
        query = query.where(AssistanceNeed.state_code == actor.state_code)
    order = (
        AssistanceNeed.state_code,
        AssistanceNeed.direction,
        AssistanceNeed.area,
        AssistanceNeed.id,
    )
    return page_of(db.session, query, order, page, per_page)


def record_entry(actor: User, values: Mapping[str, Any], *, now: datetime) -> AssistanceNeed:
    """Record a need or an offer of the actor's own State."""
    require(actor, Action.RECORD_TECHNICAL_ASSISTANCE, actor.state_code)
    assert actor.state_code is not None  # noqa: S101 - the policy allows only a State's users
    entry = AssistanceNeed(
        state_code=actor.state_code,
        direction=values["direction"],
        area=values["area"],
        description=values.get("description") or "",
        status=values.get("status") or "open",
        recorded_by=actor,
        recorded_at=now,
        updated_at=now,
    )
    db.session.add(entry)
    db.session.flush()
    audit.record(
        actor,
        "technical_assistance.recorded",
        "technical_assistance",
        entry.id,
        snapshot(entry, _FIELDS),
        at=now,
    )
    return entry


def update_entry(
    actor: User,
    entry_id: int,
    values: Mapping[str, Any],
    *,
    now: datetime,
    expected_version: int | None = None,
) -> AssistanceNeed:
    """Change one's own State's need or offer: its area, text, or status (open, met, withdrawn)."""
    entry = load_for_change(db.session, AssistanceNeed, entry_id)
    if entry is None or (entry.state_code != actor.state_code and actor.role != "network_admin"):
        raise NotFound(
            N_("No need or offer with this id."), reason="technical_assistance_not_found"
        )
    require(actor, Action.RECORD_TECHNICAL_ASSISTANCE, entry.state_code)
    require_version(entry, expected_version, "technical_assistance", entry.id)
    old = snapshot(entry, _FIELDS)
    for name in _FIELDS:
        if name in values and values[name] is not None:
            setattr(entry, name, values[name])
    entry.updated_at = now
    db.session.flush()
    audit.record(
        actor,
        "technical_assistance.updated",
        "technical_assistance",
        entry.id,
        diff(old, snapshot(entry, _FIELDS)),
        at=now,
    )
    return entry
