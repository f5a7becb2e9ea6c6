"""A State's own facts that rules read: its time zone, the one way it is read."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from network.directory.models import State

UTC_ZONE = ZoneInfo("UTC")


def zone_named(name: str | None) -> ZoneInfo:
    """An IANA time zone by name; UTC when there is none or the name is not known."""
    try:
        return ZoneInfo(name) if name else UTC_ZONE
    except (ZoneInfoNotFoundError, ValueError):
        return UTC_ZONE


def state_zone(state: State | None) -> ZoneInfo:
    """The time zone a State's calendar dates and office hours are read in (UTC if unset)."""
    return zone_named(state.time_zone if state is not None else None)
