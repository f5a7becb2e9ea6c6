"""Office hours: the counterpart's wall clock now, and whether their office is open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from network.directory.models import Authority, State
from network.directory.states import state_zone, zone_named


@dataclass(frozen=True)
class OfficeStatus:
    """The counterpart's wall clock now and whether their office is open."""

    local_time: datetime
    is_open: bool


def office_status(authority: Authority, now: datetime) -> OfficeStatus:
    local = now.astimezone(zone_named(authority.time_zone))
    hour = local.strftime("%H:%M")
    is_open = (
        str(local.isoweekday()) in (authority.office_days or "")
        and authority.opens_at <= hour < authority.closes_at
    )
    return OfficeStatus(local_time=local, is_open=is_open)


def state_local_time(state: State, now: datetime) -> datetime:
    return now.astimezone(state_zone(state))
