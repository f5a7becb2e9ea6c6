"""Calendar days end where they are read: the clock's day rules and a State's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from network.core.clock import days_until, end_of_day, start_of_day
from network.directory.models import State
from network.directory.states import state_zone

LIMA = ZoneInfo("America/Lima")
PARIS = ZoneInfo("Europe/Paris")


def test_an_order_expiring_on_31_march_in_lima_holds_until_midnight_lima_time() -> None:
    assert end_of_day(date(2026, 3, 31), LIMA) == datetime(2026, 4, 1, 5, 0, tzinfo=UTC)


def test_the_day_the_clocks_go_forward_in_paris_is_23_hours_long() -> None:
    day = date(2026, 3, 29)

    assert end_of_day(day, PARIS) - start_of_day(day, PARIS) == timedelta(hours=23)


def test_days_left_are_counted_in_the_zone_of_the_date() -> None:
    late_evening_in_lima = datetime(2026, 3, 31, 3, 0, tzinfo=UTC)  # 30 March, 22:00 in Lima

    assert days_until(date(2026, 3, 31), LIMA, late_evening_in_lima) == 1
    assert days_until(date(2026, 3, 31), ZoneInfo("UTC"), late_evening_in_lima) == 0


def test_a_state_without_a_known_time_zone_reads_its_dates_in_utc() -> None:
    assert state_zone(State(code="XXX", time_zone="Mars/Olympus_Mons")).key == "UTC"
    assert state_zone(State(code="PER", time_zone="America/Lima")) == LIMA
    assert state_zone(None).key == "UTC"
