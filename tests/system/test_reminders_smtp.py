"""The reminder job end to end: a real SMTP server (aiosmtpd), the clock set with time-machine.

The acceptance walk of issue 5: a case from informal consultation through a
freezing order, two extensions, confiscation and return, with the job run every
day; every reminder is sent once, to both sides, by e-mail and in the app, and
the statistics follow.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
import time_machine
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from network.assistance import requests
from network.cases import opening
from network.core import clock
from network.extensions import db
from network.messages import posting, reading
from network.notifications.models import Notification
from network.recovery import assets, endings, measures, returns
from network.reporting import statistics
from tests.conftest import Cast
from tests.stories import CONTENTS_FOR, open_story, set_zone


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def inbox(smtp_port: int) -> Iterator[Inbox]:
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield handler
    controller.stop()


@pytest.fixture
def app_overrides(smtp_port: int) -> dict[str, Any]:
    return {
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_port,
        "BASE_URL": "https://arnet.example",
    }


def run_job(app: Any, moment: datetime) -> list[str]:
    """Run ``flask network send-reminders`` at ``moment``; the reminder lines it printed."""
    with time_machine.travel(moment, tick=False):
        result = app.test_cli_runner().invoke(args=["network", "send-reminders"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return [line for line in result.output.splitlines() if " -> " in line]


def at(day: date, hour: int = 6) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def test_the_job_sends_through_a_real_smtp_server_once_across_two_runs(
    app: Any, cast: Cast, inbox: Inbox
) -> None:
    set_zone("CHE", "America/Lima")
    with time_machine.travel(at(date(2026, 1, 5)), tick=False):
        story = open_story(cast)
        asset = assets.record_asset(
            cast.lea, story.case.id, kind="bank_account", location_state="CHE",
            estimated_value="100.00", currency="CHF", now=clock.now(),
        )
        measures.record_measure(
            cast.lea, story.case.id, kind="freezing", asset_ids=[asset.id],
            issuing_authority="MPC", issuing_state="CHE", legal_basis="54_2_b",
            effective_on=date(2026, 1, 5), expires_on=date(2026, 3, 31), now=clock.now(),
        )
        db.session.commit()
    # 31 March 23:30 in Lima is 1 April 04:30 UTC: still "today" there.
    lines = run_job(app, datetime(2026, 4, 1, 4, 30, tzinfo=UTC))
    assert len(lines) == 2
    assert all("2026-03-31:0" in line for line in lines)
    assert run_job(app, datetime(2026, 4, 1, 4, 45, tzinfo=UTC)) == []
    # Both sides reminded of the expiry, and Côte d'Ivoire told once that the order was
    # recorded (a counterpart notice, e-mailed at once by default and sent by the job).
    assert sorted(m["To"] for m in inbox.messages) == [
        "amina@civ.example",
        "amina@civ.example",
        "lea@che.example",
    ]
    assert all("CIV-PNF-2024-17" in m["Subject"] for m in inbox.messages)
    lapsed = run_job(app, datetime(2026, 4, 1, 5, 30, tzinfo=UTC))
    assert len(lapsed) == 2
    assert all("2026-03-31:lapsed" in line for line in lapsed)
    assert len(inbox.messages) == 5


def test_acceptance_walk_from_consultation_to_return_with_every_reminder_once(
    app: Any, cast: Cast, inbox: Inbox
) -> None:
    set_zone("CHE", "Europe/Zurich")
    lines: list[str] = []
    day = date(2026, 1, 5)

    def advance_to(target: date) -> None:
        nonlocal day
        while day <= target:
            made = run_job(app, at(day))
            if made:  # a second run the same day sends nothing twice
                assert run_job(app, at(day, 18)) == []
            lines.extend(made)
            day += timedelta(days=1)

    def act(when: date) -> Any:
        advance_to(when - timedelta(days=1))
        return time_machine.travel(at(when, 10), tick=False)

    # Informal consultation: Aminata asks Léa in the channel; Léa reads and answers.
    with act(date(2026, 1, 5)):
        story = open_story(cast)
        posting.post_message(cast.amina, story.che.id, client_id="q1",
                              body="Would a freeze on 54(2)(b) be admissible?", now=clock.now())
        reading.mark_read(cast.lea, story.che.id, 1, clock.now())
        posting.post_message(cast.lea, story.che.id, client_id="a1",
                              body="Yes, send the draft first.", now=clock.now())
        reading.mark_read(cast.amina, story.che.id, 2, clock.now())
        db.session.commit()
    # The formal request: drafted, shared for comment, sent with a deadline, received.
    with act(date(2026, 1, 6)):
        request = requests.create_request(
            cast.amina, story.case.id, kind="freezing", requested_state="CHE",
            legal_basis="uncac", transmission_channel="central_authority",
            contents=CONTENTS_FOR["freezing"],
            deadline_on=date(2026, 2, 15), deadline_reason="Hearing in Abidjan", urgent=True,
            now=clock.now(),
        )
        requests.share_draft_for_comment(cast.amina, request.id, clock.now())
        reading.mark_read(cast.lea, story.che.id, 3, clock.now())
        requests.transition(cast.amina, request.id, to="sent", now=clock.now())
        opening.change_stage(cast.amina, story.case.id, "formal_request", "", clock.now())
        db.session.commit()
    with act(date(2026, 1, 7)):
        requests.transition(cast.lea, request.id, to="received", now=clock.now())
        db.session.commit()
    # Switzerland freezes the account until 31 March.
    with act(date(2026, 1, 10)):
        asset = assets.record_asset(
            cast.lea, story.case.id, kind="bank_account", location_state="CHE",
            estimated_value="2500000.00", currency="CHF", now=clock.now(),
        )
        measure = measures.record_measure(
            cast.lea, story.case.id, kind="freezing", asset_ids=[asset.id],
            issuing_authority="Ministère public de la Confédération", issuing_state="CHE",
            legal_basis="54_2_b", effective_on=date(2026, 1, 10), expires_on=date(2026, 3, 31),
            request_id=request.id, now=clock.now(),
        )
        opening.change_stage(cast.amina, story.case.id, "provisional_measures", "", clock.now())
        db.session.commit()
    with act(date(2026, 2, 10)):
        requests.transition(cast.lea, request.id, to="executed", now=clock.now())
        db.session.commit()
    with act(date(2026, 3, 20)):  # first extension, asked by Côte d'Ivoire
        endings.extend_measure(cast.lea, measure.id, new_expires_on=date(2026, 6, 30),
                                asked_by_state="CIV", now=clock.now())
        db.session.commit()
    with act(date(2026, 6, 25)):  # second extension
        endings.extend_measure(cast.lea, measure.id, new_expires_on=date(2026, 9, 30),
                                asked_by_state="CIV", now=clock.now())
        db.session.commit()
    with act(date(2026, 9, 10)):  # confiscation replaces the freeze
        endings.replace_with_confiscation(
            cast.lea, measure.id, confiscation_reference="TPF-2026-9",
            confiscated_on=date(2026, 9, 10), now=clock.now(),
        )
        opening.change_stage(cast.amina, story.case.id, "confiscation", "", clock.now())
        db.session.commit()
    with act(date(2026, 10, 1)):  # and the funds go back to Côte d'Ivoire (57(3)(a))
        returns.record_return(cast.lea, asset.id, basis="57_3_a", amount="2400000.00",
                               currency="CHF", expenses_deducted="100000.00",
                               disbursed_on=date(2026, 10, 1), now=clock.now())
        opening.change_stage(cast.amina, story.case.id, "return", "", clock.now())
        db.session.commit()
    advance_to(date(2026, 10, 15))

    measure_steps = ["2026-03-31:30", "2026-03-31:14", "2026-06-30:30", "2026-06-30:14",
                     "2026-06-30:7", "2026-09-30:30"]
    expected = {
        f"measure_expiry {measure.id} [{step}] -> {who}"
        for step in measure_steps for who in ("amina@civ.example", "lea@che.example")
    } | {
        f"request_deadline {request.id} [2026-02-15:7] -> {who}"
        for who in ("amina@civ.example", "lea@che.example")
    }
    # Each line reads "<rule> <id> [<step>] -> <recipient>: <subject>".
    heads = [line.split(": ")[0] for line in lines]
    assert len(heads) == len(set(heads)), "a reminder was made twice"
    assert {head for head in heads if not head.startswith("request_waiting")} == expected
    waiting = [head for head in heads if head.startswith("request_waiting")]
    assert sorted(head.split(" -> ")[1] for head in waiting) == [
        "amina@civ.example", "lea@che.example"
    ]
    # Every reminder went out by e-mail (once) and into the app, to both sides only. The
    # counterpart notices of each side's steps (an order recorded, extended ...: kinds
    # with a dot) went out too, by e-mail at once, to the other side only.
    subjects = [" ".join(str(m["Subject"]).split()) for m in inbox.messages]  # unfolded
    for line in lines:
        assert f"[ARNet] {' '.join(line.split(': ', 1)[1].split())}" in subjects, line
    recipients = sorted(m["To"] for m in inbox.messages)
    assert set(recipients) == {"amina@civ.example", "lea@che.example"}
    for message in inbox.messages:
        assert "Would a freeze" not in message.get_payload(decode=True).decode()
    reminders_in_app = db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.in_app.is_(True), Notification.kind.not_like("%.%")
        )
    )
    assert reminders_in_app == len(lines)
    assert db.session.scalar(
        select(func.count(Notification.id)).where(Notification.user_id == cast.camille.id)
    ) == 0

    # The statistics that follow, for each side.
    now = at(date(2026, 10, 15))
    civ = statistics.state_statistics(cast.amina, now)
    assert [(r.state, r.sent, r.sent_urgent, r.sent_answered) for r in civ.counterparts] == [
        ("CHE", 1, 1, 1)
    ]
    assert civ.response_sent.count == 1
    assert civ.response_sent.median == pytest.approx(35.0)  # sent 6 January, executed 10 February
    assert civ.measures["replaced"] == 1
    assert civ.measures["lapsed"] == 0
    assert civ.measures_extended_once_or_more == 1
    assert [(r.status, r.currency, r.count) for r in civ.assets] == [("returned", "CHF", 1)]
    assert [(r.currency, str(r.total)) for r in civ.returned] == [("CHF", "2400000.0000")]
    che = statistics.state_statistics(cast.lea, now)
    assert [(r.state, r.received, r.received_answered) for r in che.counterparts] == [
        ("CIV", 1, 1)
    ]
    assert che.response_received.median == pytest.approx(35.0)
