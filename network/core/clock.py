"""The only reader of the wall clock, so tests can move time and rules can take ``now``.

Calendar dates (an order's expiry, a request's deadline) are read in a time zone:
a day ends at the first instant of the next one there, whatever the reader's zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def now() -> datetime:
    """Timezone-aware UTC now."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """Read a stored timestamp as UTC; SQLite hands back naive datetimes."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def start_of_day(day: date, zone: ZoneInfo) -> datetime:
    """The first instant of ``day`` in ``zone``, as aware UTC (correct across DST changes)."""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def end_of_day(day: date, zone: ZoneInfo) -> datetime:
    """The first instant after ``day`` in ``zone``, as aware UTC (correct across DST changes)."""
    return start_of_day(day + timedelta(days=1), zone)


def days_until(day: date, zone: ZoneInfo, now: datetime) -> int:
    """Calendar days from today (in ``zone``) to ``day``."""
    return (day - now.astimezone(zone).date()).days
