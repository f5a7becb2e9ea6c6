"""Court dates of a recognition proceeding: reminded to both sides at 7, 1 and 0 days, once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from network.extensions import db
from network.notifications import reminders
from network.recovery import recognition
from tests.conftest import Cast
from tests.stories import START, open_story, sent_request

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)

DAY = timedelta(days=1)
BOTH_SIDES = ("amina@civ.example", "lea@che.example")


def _run(now: datetime) -> set[tuple[str, str, str]]:
    made = reminders.send_reminders(now, unread_interval=timedelta(hours=24))
    db.session.commit()
    return {
        (each.rule, each.threshold, each.recipient)
        for each in made
        if each.rule == reminders.RULE_COURT_DATE
    }


def _noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC)


def _step(cast: Cast, request_id: int, step: str, on: date, **dates: date) -> None:
    extra = {"grounds": "Not final."} if step == "refused" else {}
    recognition.record_step(cast.lea, request_id, step=step, on=on, now=_noon(on), **dates, **extra)
    db.session.commit()


def _days_run(first: date, last: date) -> list[tuple[str, str, str]]:
    """Every reminder made from ``first`` to ``last``, the job running twice a day."""
    seen: list[tuple[str, str, str]] = []
    day = first
    while day <= last:
        for hour in (0, 3):
            seen.extend(_run(_noon(day) + timedelta(hours=hour)))
        day += DAY
    return seen


def test_a_hearing_and_the_time_to_appeal_are_reminded_once_each_to_both_sides(
    cast: Cast,
) -> None:
    request = sent_request(
        cast, open_story(cast), START, kind="recognition", conviction_based=False
    ).id
    today = START.date()
    for step in ("received", "filed", "third_parties_notified"):
        _step(cast, request, step, today)
    hearing = today + timedelta(days=20)
    _step(cast, request, "hearing_scheduled", today, hearing_on=hearing)

    seen = _days_run(today, hearing + DAY)
    assert sorted(seen) == sorted(
        ("court_date", f"{hearing.isoformat()}:{n}", who)
        for n in ("7", "1", "0")
        for who in BOTH_SIDES
    )

    appeal = hearing + timedelta(days=10)
    _step(cast, request, "refused", hearing, appeal_until=appeal)
    seen = _days_run(hearing, appeal + DAY)
    assert sorted(seen) == sorted(
        ("court_date", f"{appeal.isoformat()}:{n}", who)
        for n in ("7", "1", "0")
        for who in BOTH_SIDES
    )


def test_a_hearing_put_off_is_reminded_again_for_its_new_date(cast: Cast) -> None:
    request = sent_request(
        cast, open_story(cast), START, kind="recognition", conviction_based=True
    ).id
    today = START.date()
    for step in ("received", "filed", "third_parties_notified"):
        _step(cast, request, step, today)
    first = today + timedelta(days=5)
    _step(cast, request, "hearing_scheduled", today, hearing_on=first)
    assert _run(_noon(today)) == {
        ("court_date", f"{first.isoformat()}:7", who) for who in BOTH_SIDES
    }
    later = first + timedelta(days=1)
    _step(cast, request, "hearing_scheduled", today, hearing_on=later)
    assert _run(_noon(today)) == {
        ("court_date", f"{later.isoformat()}:7", who) for who in BOTH_SIDES
    }
    _step(cast, request, "recognised", later)
    assert _run(_noon(later)) == set()
