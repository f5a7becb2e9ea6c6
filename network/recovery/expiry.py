"""When a freezing or seizure order starts and lapses: pure rules every caller asks.

An order's dates are calendar dates in the issuing State's time zone: an order
"expiring on 31 March" in Lima holds until midnight between 31 March and
1 April, Lima time, whatever the viewer's time zone. Its expiry in force is
that of the latest extension. "Lapsed" is never stored; ``measure_status``
derives it from the dates and ``now``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from network.core.clock import days_until, end_of_day, start_of_day
from network.directory.states import state_zone
from network.recovery.models import ProvisionalMeasure


@dataclass(frozen=True)
class Expiry:
    """The expiry in force: its calendar date, the zone it is read in, the instant it ends."""

    on: date
    zone: ZoneInfo

    @property
    def at(self) -> datetime:
        """The instant the order lapses: the end of its expiry date in the issuing State's zone."""
        return end_of_day(self.on, self.zone)

    def days_left(self, now: datetime) -> int:
        """Calendar days from today, in the issuing State's zone, to the expiry date."""
        return days_until(self.on, self.zone, now)


def issuing_zone(measure: ProvisionalMeasure) -> ZoneInfo:
    """The time zone the order's dates are read in: the issuing State's."""
    return state_zone(measure.issuer)


# No time zone is further ahead of UTC than this (Kiribati, UTC+14).
MOST_AHEAD_OF_UTC = timedelta(hours=14)


def latest_local_date(now: datetime) -> date:
    """The latest calendar date anywhere at ``now``: no State's today is later.

    Lets a query narrow orders by date in SQL before each is read in its own zone.
    """
    return (now.astimezone(UTC) + MOST_AHEAD_OF_UTC).date()


def current_expiry(measure: ProvisionalMeasure) -> date | None:
    """The expiry date in force: the latest extension's, else the order's own."""
    if measure.extensions:
        return measure.extensions[-1].new_expires_on
    return measure.expires_on


def expiry_of(measure: ProvisionalMeasure) -> Expiry | None:
    """The expiry in force with its time zone; None: the order has no expiry date."""
    day = current_expiry(measure)
    return None if day is None else Expiry(day, issuing_zone(measure))


def expires_at(measure: ProvisionalMeasure) -> datetime | None:
    """The instant the order lapses (None: no expiry); see ``Expiry.at``."""
    found = expiry_of(measure)
    return None if found is None else found.at


def effective_at(measure: ProvisionalMeasure) -> datetime | None:
    """The instant the order takes effect: the start of its effective date in the issuing zone."""
    if measure.effective_on is None:
        return None
    return start_of_day(measure.effective_on, issuing_zone(measure))


def measure_status(measure: ProvisionalMeasure, now: datetime) -> str:
    """requested, in_force, extended, lapsed, lifted or replaced, as of ``now``."""
    if measure.replaced_at is not None:
        return "replaced"
    if measure.lifted_at is not None:
        return "lifted"
    starts = effective_at(measure)
    if starts is None or now < starts:
        return "requested"
    ends = expires_at(measure)
    if ends is not None and now >= ends:
        return "lapsed"
    return "extended" if measure.extensions else "in_force"


def is_open(measure: ProvisionalMeasure) -> bool:
    """Neither lifted nor replaced (a lapsed order stays open: it needs someone's attention)."""
    return measure.lifted_at is None and measure.replaced_at is None
