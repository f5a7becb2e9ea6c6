"""Specifications for when an order lapses (recovery/expiry.py), without a database."""

from __future__ import annotations

from datetime import UTC, date, datetime

from network.directory.models import State
from network.recovery import expiry
from network.recovery.models import MeasureExtension, ProvisionalMeasure

LIMA = State(code="PER", time_zone="America/Lima")


def _order(
    effective_on: date | None = date(2026, 1, 1),
    expires_on: date | None = date(2026, 3, 31),
    extended_to: tuple[date, ...] = (),
) -> ProvisionalMeasure:
    return ProvisionalMeasure(
        issuer=LIMA,
        effective_on=effective_on,
        expires_on=expires_on,
        extensions=[MeasureExtension(new_expires_on=each) for each in extended_to],
    )


def test_an_order_expiring_on_31_march_in_lima_lapses_at_midnight_lima_time() -> None:
    order = _order()

    assert expiry.expires_at(order) == datetime(2026, 4, 1, 5, 0, tzinfo=UTC)
    assert expiry.measure_status(order, datetime(2026, 4, 1, 4, 59, tzinfo=UTC)) == "in_force"
    assert expiry.measure_status(order, datetime(2026, 4, 1, 5, 0, tzinfo=UTC)) == "lapsed"


def test_the_latest_extension_sets_the_expiry_in_force() -> None:
    order = _order(extended_to=(date(2026, 6, 30), date(2026, 9, 30)))

    found = expiry.expiry_of(order)

    assert found is not None
    assert found.on == date(2026, 9, 30)
    assert found.zone.key == "America/Lima"
    assert expiry.measure_status(order, datetime(2026, 7, 1, tzinfo=UTC)) == "extended"


def test_days_left_are_counted_in_the_issuing_states_calendar() -> None:
    found = expiry.expiry_of(_order())
    late_evening_in_lima = datetime(2026, 3, 31, 3, 0, tzinfo=UTC)  # 30 March, 22:00 in Lima

    assert found is not None
    assert found.days_left(late_evening_in_lima) == 1


def test_an_order_without_an_effective_date_is_only_requested_and_has_no_expiry() -> None:
    order = _order(effective_on=None, expires_on=None)

    assert expiry.measure_status(order, datetime(2026, 1, 2, tzinfo=UTC)) == "requested"
    assert expiry.expiry_of(order) is None
    assert expiry.expires_at(order) is None


def test_a_lapsed_order_stays_open_until_lifted_or_replaced() -> None:
    order = _order()
    after = datetime(2026, 5, 1, tzinfo=UTC)

    assert expiry.is_open(order)
    order.lifted_at = after
    assert expiry.measure_status(order, after) == "lifted"
    assert not expiry.is_open(order)
