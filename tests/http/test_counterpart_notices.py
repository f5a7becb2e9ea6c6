"""Knowing what the counterpart did: each step one side records is told to the other side.

The other side's members get one notice each, with its kind and a link and no content
of the case; the actor's side and the other requested State get none. Each member
chooses per kind whether it also comes by e-mail at once, in a daily digest, or not.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from flask import Flask

from network.auth.models import User
from network.core import clock
from network.extensions import db
from network.notifications.models import Notification
from tests.conftest import Cast, csrf_from
from tests.stories import Story, open_story

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)

# Every piece of content carries this word: no subject or e-mail may show it.
MARKER = "Quillfeather"
TITLE = f"{MARKER} port authority embezzlement"
CONTENTS = {
    "requesting_authority": f"{MARKER} prosecutors, Abidjan",
    "subject_and_nature": f"{MARKER} embezzlement",
    "summary_of_facts": f"{MARKER} funds moved to Geneva.",
    "assistance_sought": f"{MARKER} freeze the account",
    "persons_concerned": f"{MARKER} K. Traoré",
    "purpose": f"{MARKER} confiscation",
}


@pytest.fixture
def story(cast: Cast) -> Story:
    return open_story(cast, summary=f"{MARKER} summary", title=TITLE)


class Watch:
    """Who got which notices since the last look."""

    def __init__(self, api_as: Any, people: list[User]) -> None:
        self.api_as = api_as
        self.people = people
        self.seen: dict[int, set[int]] = {user.id: set() for user in people}

    def new(self) -> dict[str, list[dict[str, Any]]]:
        fresh: dict[str, list[dict[str, Any]]] = {}
        for user in self.people:
            items = self.api_as(user).get("/notifications").get_json()["items"]
            news = [each for each in items if each["id"] not in self.seen[user.id]]
            self.seen[user.id].update(each["id"] for each in news)
            fresh[user.email] = news
        return fresh


def _told_once(news: dict[str, list[dict[str, Any]]], user: User, kind: str, link: str) -> str:
    """``user`` alone got exactly one notice, of ``kind`` linking to ``link``; its subject."""
    assert {email: len(items) for email, items in news.items() if items} == {user.email: 1}
    [notice] = news[user.email]
    assert (notice["kind"], notice["link"]) == (kind, link)
    assert MARKER not in notice["subject"]
    return str(notice["subject"])


def _mail_to(app: Flask, user: User) -> list[Any]:
    return [each for each in app.extensions["arnet"]["mailer"].sent if each["To"] == user.email]


def _request(api: Any, story: Story) -> int:
    created = api.post(
        f"/cases/{story.case.id}/requests",
        json={
            "kind": "mla",
            "requested_state": "CHE",
            "legal_basis": "uncac",
            "transmission_channel": "central_authority",
            "contents": CONTENTS,
        },
    )
    assert created.status_code == 201, created.get_json()
    return int(created.get_json()["id"])


def test_each_step_of_a_request_is_told_to_the_other_side_only(
    cast: Cast, story: Story, api_as: Any
) -> None:
    amina, lea = api_as(cast.amina), api_as(cast.lea)
    watch = Watch(api_as, [cast.amina, cast.lea, cast.camille])
    request = _request(amina, story)
    assert not any(watch.new().values())  # a draft is the requesting side's own
    link = f"/requests/{request}"

    assert amina.post(f"{link}/share-for-comment").status_code == 200
    subject = _told_once(watch.new(), cast.lea, "draft.shared", link)
    assert "CIV-PNF-2024-17" in subject

    assert amina.post(f"{link}/transitions", json={"to": "sent"}).status_code == 201
    _told_once(watch.new(), cast.lea, "request.status_changed", link)
    assert lea.post(f"{link}/transitions", json={"to": "received"}).status_code == 201
    subject = _told_once(watch.new(), cast.amina, "request.status_changed", link)
    assert "Received" in subject

    asked = amina.post(f"{link}/enquiries", json={"question": f"{MARKER} any news?"})
    assert asked.status_code == 201
    _told_once(watch.new(), cast.lea, "enquiry.received", link)
    enquiry = asked.get_json()["enquiries"][0]["id"]
    answered = lea.post(f"{link}/enquiries/{enquiry}/answer", json={"answer": f"{MARKER} soon"})
    assert answered.status_code == 200
    assert "answered" in _told_once(watch.new(), cast.amina, "enquiry.received", link)
    delayed = lea.post(
        f"{link}/delay-notices", json={"delay_days": 30, "reason": f"{MARKER} court recess"}
    )
    assert delayed.status_code == 201
    assert "delay" in _told_once(watch.new(), cast.amina, "enquiry.received", link)


def test_an_order_recorded_extended_and_lifted_is_told_to_the_other_side_only(
    cast: Cast, story: Story, api_as: Any
) -> None:
    amina, lea = api_as(cast.amina), api_as(cast.lea)
    asset = amina.post(
        f"/cases/{story.case.id}/assets",
        json={"kind": "bank_account", "location_state": "CHE", "description": f"{MARKER} acct"},
    )
    assert asset.status_code == 201
    watch = Watch(api_as, [cast.amina, cast.lea, cast.camille])
    today = clock.now().date()
    recorded = lea.post(
        f"/cases/{story.case.id}/measures",
        json={
            "kind": "freezing",
            "assets": [asset.get_json()["id"]],
            "issuing_state": "CHE",
            "issuing_authority": f"{MARKER} prosecutor",
            "legal_basis": "54_2_b",
            "effective_on": today.isoformat(),
            "expires_on": (today + timedelta(days=30)).isoformat(),
        },
    )
    assert recorded.status_code == 201, recorded.get_json()
    link = f"/measures/{recorded.get_json()['id']}"
    _told_once(watch.new(), cast.amina, "measure.recorded", link)

    extended = lea.post(
        f"{link}/extensions", json={"new_expires_on": (today + timedelta(days=90)).isoformat()}
    )
    assert extended.status_code == 201, extended.get_json()
    _told_once(watch.new(), cast.amina, "measure.extended", link)

    lifted = lea.post(f"{link}/lifting", json={"reason": f"{MARKER} funds returned"})
    assert lifted.status_code == 200
    _told_once(watch.new(), cast.amina, "measure.lifted", link)


def test_a_disclosure_is_told_to_the_receiving_state_and_its_acknowledgement_to_the_sender(
    cast: Cast, api_as: Any
) -> None:
    watch = Watch(api_as, [cast.amina, cast.yao, cast.lea, cast.camille])
    sent = api_as(cast.lea).post(
        "/disclosures",
        json={"kind": "spontaneous_56", "to_state": "CIV", "summary": f"{MARKER} accounts"},
    )
    assert sent.status_code == 201, sent.get_json()
    link = f"/disclosures/{sent.get_json()['id']}"
    news = watch.new()
    # Every practitioner and administrator of the receiving State, nobody else.
    assert {email for email, items in news.items() if items} == {
        cast.amina.email,
        cast.yao.email,
    }
    for user in (cast.amina, cast.yao):
        [notice] = news[user.email]
        assert (notice["kind"], notice["link"]) == ("disclosure.received", link)
        assert "Switzerland" in notice["subject"]
        assert MARKER not in notice["subject"]

    acknowledged = api_as(cast.amina).post(f"{link}/acknowledge", json={"note": MARKER})
    assert acknowledged.status_code == 200, acknowledged.get_json()
    _told_once(watch.new(), cast.lea, "disclosure.acknowledged", link)


def test_a_result_reported_on_a_notification_is_told_to_the_state_notified(
    cast: Cast, api_as: Any
) -> None:
    watch = Watch(api_as, [cast.amina, cast.yao, cast.lea, cast.camille])
    lea = api_as(cast.lea)
    sent = lea.post(
        "/disclosures",
        json={"kind": "notification_52_2_b", "to_state": "CIV", "summary": f"{MARKER} PEP"},
    )
    assert sent.status_code == 201, sent.get_json()
    link = f"/disclosures/{sent.get_json()['id']}"
    watch.new()
    reported = lea.post(
        f"{link}/results",
        json={"reported_on": "2026-03-20", "institution": f"{MARKER} bank", "summary": MARKER},
    )
    assert reported.status_code == 201, reported.get_json()
    news = watch.new()
    assert {email for email, items in news.items() if items} == {
        cast.amina.email,
        cast.yao.email,
    }
    for user in (cast.amina, cast.yao):
        [notice] = news[user.email]
        assert (notice["kind"], notice["link"]) == ("disclosure.result_reported", link)
        assert "Switzerland" in notice["subject"]
        assert MARKER not in notice["subject"]


def test_preferences_are_listed_with_their_defaults_and_changed_kind_by_kind(
    cast: Cast, api_as: Any
) -> None:
    amina = api_as(cast.amina)
    defaults = amina.get("/me/notification-preferences").get_json()["preferences"]
    assert defaults["measure.recorded"] == "immediate"
    assert defaults["draft.shared"] == "digest"
    assert defaults["disclosure.acknowledged"] == "in_app"
    assert "ask.received" in defaults
    assert "unread_messages" not in defaults

    changed = amina.put(
        "/me/notification-preferences", json={"preferences": {"measure.recorded": "in_app"}}
    )
    assert changed.status_code == 200
    assert changed.get_json()["preferences"] == {**defaults, "measure.recorded": "in_app"}
    for wrong in ({"unread_messages": "in_app"}, {"measure.recorded": "weekly"}):
        refused = amina.put("/me/notification-preferences", json={"preferences": wrong})
        assert refused.status_code == 422
    # Another user's choices are their own.
    lea = api_as(cast.lea).get("/me/notification-preferences").get_json()["preferences"]
    assert lea == defaults


def _run_job(app: Flask, moment: datetime) -> None:
    with time_machine.travel(moment, tick=False):
        result = app.test_cli_runner().invoke(args=["network", "send-reminders"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()


def test_each_kind_reaches_the_inbox_as_chosen_at_once_daily_or_in_the_app_only(
    app: Flask, cast: Cast, story: Story, api_as: Any
) -> None:
    amina, lea = api_as(cast.amina), api_as(cast.lea)
    chosen = {"measure.recorded": "digest", "measure.extended": "in_app"}
    saved = amina.put("/me/notification-preferences", json={"preferences": chosen})
    assert saved.status_code == 200
    asset = amina.post(
        f"/cases/{story.case.id}/assets", json={"kind": "bank_account", "location_state": "CHE"}
    ).get_json()
    today = clock.now().date()
    measure = lea.post(
        f"/cases/{story.case.id}/measures",
        json={
            "kind": "freezing",
            "assets": [asset["id"]],
            "issuing_state": "CHE",
            "issuing_authority": f"{MARKER} prosecutor",
            "legal_basis": "54_2_b",
            "effective_on": today.isoformat(),
            "expires_on": (today + timedelta(days=30)).isoformat(),
        },
    ).get_json()
    extended = lea.post(
        f"/measures/{measure['id']}/extensions",
        json={"new_expires_on": (today + timedelta(days=60)).isoformat()},
    )
    assert extended.status_code == 201
    assert _mail_to(app, cast.amina) == []  # a digest waits; in the app only never mails

    lifted = lea.post(f"/measures/{measure['id']}/lifting", json={"reason": "done"})
    assert lifted.status_code == 200
    [at_once] = _mail_to(app, cast.amina)  # measure.lifted: at once, by default
    assert "lifted" in at_once["Subject"]
    assert f"/measures/{measure['id']}" in at_once.get_content()
    assert MARKER not in at_once.get_content()
    kinds = [each["kind"] for each in amina.get("/notifications").get_json()["items"]]
    assert sorted(kinds) == ["measure.extended", "measure.lifted", "measure.recorded"]

    tomorrow = datetime.combine(today + timedelta(days=1), datetime.min.time(), UTC)
    _run_job(app, tomorrow + timedelta(hours=6))
    [_, digest] = _mail_to(app, cast.amina)
    body = digest.get_content()
    assert "digest" in digest["Subject"]
    [recorded] = db.session.scalars(
        db.select(Notification).filter_by(user_id=cast.amina.id, kind="measure.recorded")
    ).all()
    assert recorded.subject in body
    assert f"/measures/{measure['id']}" in body
    assert "extended" not in body
    assert MARKER not in body
    # Once a day: a second run sends no second digest, nor the same notices again.
    _run_job(app, tomorrow + timedelta(hours=7))
    assert len(_mail_to(app, cast.amina)) == 2


def test_the_account_page_shows_and_saves_the_choices(
    cast: Cast, api_as: Any, browser_as: Any
) -> None:
    browser = browser_as(cast.amina)
    page = browser.get("/account").text
    assert 'name="measure.recorded"' in page
    form = {"csrf_token": csrf_from(page)}
    form |= api_as(cast.amina).get("/me/notification-preferences").get_json()["preferences"]
    form["draft.shared"] = "immediate"
    saved = browser.post("/account/notices", data=form)
    assert saved.status_code == 302
    after = api_as(cast.amina).get("/me/notification-preferences").get_json()["preferences"]
    assert after["draft.shared"] == "immediate"
    refused = browser.post("/account/notices", data={**form, "draft.shared": "hourly"})
    assert refused.status_code == 422


def test_a_document_filed_with_a_request_is_told_to_the_other_side_only(
    cast: Cast, story: Story, api_as: Any
) -> None:
    amina, lea = api_as(cast.amina), api_as(cast.lea)
    watch = Watch(api_as, [cast.amina, cast.lea, cast.camille])
    request = _request(amina, story)
    link = f"/requests/{request}"
    watch.new()

    filed = amina.post(
        f"{link}/documents",
        data={"kind": "signed_request", "file": (io.BytesIO(b"%PDF signed"), f"{MARKER}.pdf")},
        content_type="multipart/form-data",
    )
    assert filed.status_code == 201, filed.get_json()
    subject = _told_once(watch.new(), cast.lea, "request.document_filed", link)
    assert "CIV-PNF-2024-17" in subject

    annex = lea.post(
        f"{link}/documents",
        data={"kind": "annex", "file": (io.BytesIO(b"statement"), "statement.txt")},
        content_type="multipart/form-data",
    )
    assert annex.status_code == 201, annex.get_json()
    _told_once(watch.new(), cast.amina, "request.document_filed", link)


def test_an_ask_is_told_to_the_side_asked_and_its_answer_to_the_side_that_asked(
    cast: Cast, story: Story, api_as: Any, browser_as: Any
) -> None:
    watch = Watch(api_as, [cast.amina, cast.lea, cast.camille])
    asked = api_as(cast.amina).post(
        f"/cases/{story.case.id}/asks",
        json={
            "kind": "information",
            "channel": story.che.id,
            "due_on": (clock.now().date() + timedelta(days=10)).isoformat(),
            "text": f"{MARKER} who holds the account?",
        },
    )
    assert asked.status_code == 201, asked.get_json()
    ask_id = asked.get_json()["id"]
    link = f"/cases/asks/{ask_id}"
    _told_once(watch.new(), cast.lea, "ask.received", link)

    answered = api_as(cast.lea).post(
        f"/asks/{ask_id}/answer", json={"outcome": "answered", "reason": f"{MARKER} see 4"}
    )
    assert answered.status_code == 200, answered.get_json()
    _told_once(watch.new(), cast.amina, "ask.answered", link)

    # The link opens the ask in its channel for a party, and is no way in for anyone else.
    opened = browser_as(cast.lea).get(link)
    assert opened.status_code == 303
    assert opened.headers["Location"].endswith(
        f"/cases/{story.case.id}?channel={story.che.id}#ask-{ask_id}"
    )
    assert browser_as(cast.camille).get(link).status_code == 404
