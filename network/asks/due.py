"""When an ask falls due: the end of its date in the asked side's time zone (a pure rule)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from network.asks.models import Ask
from network.core.clock import days_until, end_of_day
from network.directory.models import State
from network.directory.states import state_zone
from network.extensions import db


@dataclass(frozen=True)
class DueDate:
    """An ask's due date, the zone it is read in, and the instant it ends."""

    on: date
    zone: ZoneInfo

    @property
    def at(self) -> datetime:
        """The answer is late from the end of the due date in the asked State's zone."""
        return end_of_day(self.on, self.zone)

    def days_left(self, now: datetime) -> int:
        """Calendar days from today, in the asked State's zone, to the due date."""
        return days_until(self.on, self.zone, now)

    def passed(self, now: datetime) -> bool:
        return now >= self.at


def asked_zone(state_code: str) -> ZoneInfo:
    """The zone an ask's date is read in: that of the State that must answer."""
    return state_zone(db.session.get(State, state_code))


def due_date(ask: Ask) -> DueDate:
    return DueDate(ask.due_on, asked_zone(ask.asked_state))
