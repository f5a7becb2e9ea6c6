"""Specifications for the deadline engine: each reminder once, to both sides, at the right time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from flask import Flask
from sqlalchemy import select

from network.cases import team
from network.core.errors import NotFound
from network.directory.authorities import create_authority
from network.directory.focal_points import create_focal_point
from network.directory.freshness import confirm_authority
from network.extensions import db
from network.http.notices import notice_path, notice_urls
from network.messages import posting
from network.notifications import reminders, render
from network.notifications import service as notifications
from network.notifications.models import Notification, ReminderSent
from network.recovery import endings, expiry
from network.wiring import mailer
from tests.conftest import Cast
from tests.stories import START, open_freeze, sent_request, set_zone

DAY = timedelta(days=1)
INTERVAL = timedelta(hours=24)


def run(now: datetime) -> list[reminders.SentReminder]:
    made = reminders.send_reminders(now, unread_interval=INTERVAL)
    db.session.commit()
    return made


def keys(made: list[reminders.SentReminder]) -> set[tuple[str, str, str]]:
    return {(each.rule, each.threshold, each.recipient) for each in made}


def at_noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC)


def test_an_order_is_reminded_at_30_14_7_1_days_today_and_lapse_once_each_to_both_sides(
    cast: Cast,
) -> None:
    freeze = open_freeze(cast, expires_on=date(2026, 3, 31))
    seen: list[tuple[str, str, str]] = []
    day = date(2026, 2, 20)
    while day <= date(2026, 4, 3):
        for made in (run(at_noon(day)), run(at_noon(day) + timedelta(hours=3))):
            seen.extend(keys(made))
        day += DAY
    thresholds = ["30", "14", "7", "1", "0", "lapsed"]
    expected = {
        ("measure_expiry", f"2026-03-31:{step}", who)
        for step in thresholds
        for who in ("amina@civ.example", "lea@che.example")
    }
    assert set(seen) == expected
    assert len(seen) == len(expected), "a reminder went out twice"
    # France's team never hears of Switzerland's order.
    assert not any(who == "camille@fra.example" for _rule, _step, who in seen)
    assert freeze.measure.id


def test_a_missed_day_catches_up_with_the_step_due_now_and_never_an_earlier_one(cast: Cast) -> None:
    open_freeze(cast, expires_on=date(2026, 3, 31))
    # The job did not run on 17 March (14 days) nor 24 March (7 days); it runs on 26 March.
    assert keys(run(at_noon(date(2026, 3, 1)))) == {
        ("measure_expiry", "2026-03-31:30", "amina@civ.example"),
        ("measure_expiry", "2026-03-31:30", "lea@che.example"),
    }
    assert {step for _r, step, _w in keys(run(at_noon(date(2026, 3, 26))))} == {"2026-03-31:7"}
    assert run(at_noon(date(2026, 3, 27))) == []
    steps = set(db.session.scalars(select(ReminderSent.threshold)))
    assert "2026-03-31:14" not in steps


def test_an_extension_is_reminded_afresh_for_its_new_expiry(cast: Cast) -> None:
    freeze = open_freeze(cast, expires_on=date(2026, 3, 31))
    run(at_noon(date(2026, 3, 25)))
    endings.extend_measure(
        cast.lea,
        freeze.measure.id,
        new_expires_on=date(2026, 6, 30),
        asked_by_state="CIV",
        now=at_noon(date(2026, 3, 26)),
    )
    db.session.commit()
    assert run(at_noon(date(2026, 3, 31))) == []  # no "today" for the old expiry
    assert {step for _r, step, _w in keys(run(at_noon(date(2026, 6, 1))))} == {"2026-06-30:30"}


def test_an_order_expiring_31_march_at_utc_minus_5_is_in_force_at_2330_and_lapsed_an_hour_later(
    cast: Cast,
) -> None:
    set_zone("CHE", "America/Lima")  # UTC-5, no daylight saving
    freeze = open_freeze(cast, expires_on=date(2026, 3, 31))
    late_evening = datetime(2026, 4, 1, 4, 30, tzinfo=UTC)  # 31 March 23:30 in Lima
    assert expiry.measure_status(freeze.measure, late_evening) == "in_force"
    made = keys(run(late_evening))
    assert {step for _r, step, _w in made} == {"2026-03-31:0"}  # still "today" in Lima
    an_hour_later = late_evening + timedelta(hours=1)
    assert expiry.measure_status(freeze.measure, an_hour_later) == "lapsed"
    assert {step for _r, step, _w in keys(run(an_hour_later))} == {"2026-03-31:lapsed"}


def test_days_are_counted_in_the_issuing_states_zone_across_a_daylight_saving_change(
    cast: Cast,
) -> None:
    # Zurich moves to summer time on Sunday 29 March 2026; the order expires that day.
    set_zone("CHE", "Europe/Zurich")
    open_freeze(cast, expires_on=date(2026, 3, 29))
    # 22 March 23:30 UTC is already 23 March 00:30 in Zurich: 6 days left, the 7-day step.
    made = keys(run(datetime(2026, 3, 22, 23, 30, tzinfo=UTC)))
    assert {step for _r, step, _w in made} == {"2026-03-29:7"}
    # The order ends at midnight summer time (22:00 UTC), not at 23:00 UTC.
    assert keys(run(datetime(2026, 3, 29, 21, 59, tzinfo=UTC)))
    lapsed = keys(run(datetime(2026, 3, 29, 22, 0, tzinfo=UTC)))
    assert {step for _r, step, _w in lapsed} == {"2026-03-29:lapsed"}


def test_request_deadline_near_and_passed_and_a_request_waiting_30_days_are_reminded_once(
    cast: Cast,
) -> None:
    freeze = open_freeze(cast)
    request = sent_request(cast, freeze.story, START, deadline_on=date(2026, 2, 20))
    made = keys(run(START + timedelta(days=20)))  # 25 January: nothing due yet
    assert not any(rule.startswith("request") for rule, _s, _w in made)
    # 13 February: 7 days before the deadline, and received 39 days ago without a change.
    assert {(r, s.split("@")[0]) for r, s, _w in keys(run(at_noon(date(2026, 2, 13))))} == {
        ("request_deadline", "2026-02-20:7"),
        ("request_waiting", "received"),
    }
    assert {(r, s) for r, s, _w in keys(run(at_noon(date(2026, 2, 19))))} == {
        ("request_deadline", "2026-02-20:1")
    }
    assert {s for r, s, _w in keys(run(at_noon(date(2026, 2, 21)))) if r == "request_deadline"} == {
        "2026-02-20:passed"
    }
    assert run(at_noon(date(2026, 2, 22))) == []
    recipients = set(
        db.session.scalars(
            select(ReminderSent.recipient_id).where(ReminderSent.object_id == request.id)
        )
    )
    assert recipients == {cast.amina.id, cast.lea.id}


def test_reminders_reach_the_app_live_and_by_email_in_the_recipients_language(
    cast: Cast, app
) -> None:
    cast.lea.locale = "fr"
    db.session.commit()
    open_freeze(cast, expires_on=date(2026, 3, 31))
    run(at_noon(date(2026, 3, 24)))
    pending = notifications.pending_emails()
    assert {each.user.email for each in pending} == {"amina@civ.example", "lea@che.example"}
    for each in pending:
        moment = at_noon(date(2026, 3, 24))
        notifications.send_email(mailer(), each, notice_urls("https://arnet.example"), moment)
        db.session.commit()
    assert notifications.pending_emails() == []
    sent = {message["To"]: message for message in mailer().sent}
    assert "CIV-PNF-2024-17" in sent["amina@civ.example"]["Subject"]
    body = sent["lea@che.example"].get_content()
    assert "https://arnet.example/cases/" in body
    items, _total = notifications.notifications_for(cast.lea)
    assert len(items) == 1
    assert items[0].case_id is not None


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_a_member_taken_off_the_team_no_longer_sees_the_cases_notices(cast: Cast) -> None:
    freeze = open_freeze(cast, expires_on=date(2026, 3, 31))
    case_id = freeze.story.case.id
    team.add_team_member(cast.amina, case_id, cast.yao.id, START)
    db.session.commit()
    run(at_noon(date(2026, 3, 24)))
    items, _total = notifications.notifications_for(cast.yao)
    assert [each.kind for each in items] == ["measure_expiring", "case.member_joined"]
    assert "CIV-PNF-2024-17" in items[0].subject

    team.remove_team_member(cast.amina, case_id, cast.yao.id, START)
    db.session.commit()

    assert notifications.notifications_for(cast.yao) == ([], 0)
    assert notifications.unread_count(cast.yao) == 0
    with pytest.raises(NotFound):
        notifications.mark_read(cast.yao, items[0].id, START)
    # Aminata keeps hers: the reminder, and Léa's order recorded (Switzerland's step).
    kept, _total = notifications.notifications_for(cast.amina)
    assert [each.kind for each in kept] == ["measure_expiring", "measure.recorded"]


def test_an_offline_member_is_told_of_unread_messages_once_per_interval_without_content(
    cast: Cast,
) -> None:
    freeze = open_freeze(cast)
    secret = "Account 7731 moved to Jersey"
    posting.post_message(
        cast.amina, freeze.story.che.id, client_id="m1", body=secret, now=START + timedelta(hours=1)
    )
    db.session.commit()
    first = [each for each in run(START + timedelta(hours=2)) if each.rule == "unread_messages"]
    assert [each.recipient for each in first] == ["lea@che.example"]
    notice = db.session.scalar(select(Notification).where(Notification.kind == "unread_messages"))
    assert notice is not None
    assert not notice.in_app
    assert secret not in notice.subject
    assert "CIV-PNF-2024-17" in notice.subject
    assert notice_path(notice) == f"/cases/{freeze.story.case.id}"
    body = render.email_body(notice, notice_urls("https://arnet.example")(notice))
    assert secret not in body
    posting.post_message(
        cast.amina, freeze.story.che.id, client_id="m2", body="more", now=START + timedelta(hours=3)
    )
    db.session.commit()
    assert [e for e in run(START + timedelta(hours=4)) if e.rule == "unread_messages"] == []
    later = run(START + timedelta(hours=27))
    assert [e.recipient for e in later if e.rule == "unread_messages"] == ["lea@che.example"]
    assert [e for e in run(START + timedelta(hours=28)) if e.rule == "unread_messages"] == []


def test_a_member_seen_online_after_the_message_gets_no_email(cast: Cast) -> None:
    from network.auth.models import UserSession

    freeze = open_freeze(cast)
    posting.post_message(
        cast.amina, freeze.story.che.id, client_id="m1", body="hi", now=START + timedelta(hours=1)
    )
    db.session.add(
        UserSession(
            token_hash="x" * 64,
            user_id=cast.lea.id,
            created_at=START,
            last_seen_at=START + timedelta(hours=2),
            expires_at=START + timedelta(hours=12),
        )
    )
    db.session.commit()
    assert [e for e in run(START + timedelta(hours=3)) if e.rule == "unread_messages"] == []


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_the_reminder_key_holds_on_postgresql(cast: Cast) -> None:
    open_freeze(cast, expires_on=date(2026, 3, 31))
    assert len(run(at_noon(date(2026, 3, 24)))) == 2
    assert run(at_noon(date(2026, 3, 24))) == []


def run_job(app: Flask, moment: datetime) -> list[str]:
    """Run ``flask network send-reminders`` at ``moment``; its stale-directory lines."""
    with time_machine.travel(moment, tick=False):
        result = app.test_cli_runner().invoke(args=["network", "send-reminders"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return [line for line in result.output.splitlines() if line.startswith("directory_stale")]


def test_national_administrators_are_reminded_of_stale_entries_once_per_30_days(
    app: Flask, cast: Cast
) -> None:
    cast.olga.locale = "ru"
    confirmed = at_noon(date(2025, 3, 1))
    civ_office = create_authority(
        None, "CIV", {"kind": "fiu", "name": "CENTIF"}, now=confirmed
    )
    create_focal_point(
        None, {"authority_id": civ_office.id, "name": "Awa Diallo"}, now=confirmed
    )
    rus_office = create_authority(
        None, "RUS", {"kind": "fiu", "name": "Росфинмониторинг"}, now=confirmed
    )
    # Switzerland has no national administrator: nobody to remind.
    create_authority(None, "CHE", {"kind": "fiu", "name": "MROS"}, now=confirmed)
    db.session.commit()
    assert run_job(app, confirmed + timedelta(days=364)) == []

    first = run_job(app, at_noon(date(2026, 3, 2)))
    assert sorted(line.split(": ")[0].split(" ", 2)[2] for line in first) == [
        "[CIV:2026-03-02] -> yao@civ.example",
        "[RUS:2026-03-02] -> olga@rus.example",
    ]
    assert any("(2)" in line and "yao@civ.example" in line for line in first)
    assert run_job(app, at_noon(date(2026, 3, 2)) + timedelta(hours=6)) == []  # run twice
    assert run_job(app, at_noon(date(2026, 3, 31))) == []  # 29 days on

    confirm_authority(cast.olga, rus_office.id, now=at_noon(date(2026, 3, 10)))
    db.session.commit()
    later = run_job(app, at_noon(date(2026, 4, 1)))  # 30 days on: Russia's entry is current
    assert [line.split(": ")[0].split(" -> ")[1] for line in later] == ["yao@civ.example"]

    emails = sorted((m["To"], m["Subject"]) for m in mailer().sent)
    assert [to for to, _subject in emails] == [
        "olga@rus.example",
        "yao@civ.example",
        "yao@civ.example",
    ]
    assert "Россия" in emails[0][1]  # the State named in Olga's language
    items, total = notifications.notifications_for(cast.olga)
    assert total == 1
    assert notice_path(items[0]) == "/directory/states/RUS"
    assert items[0].case_id is None
    for bystander in (cast.amina, cast.lea):
        assert notifications.notifications_for(bystander)[1] == 0
