"""Issue 11, item 1, walked end to end: the secretariat no longer reaches a State's case unseen.

The attack was: make a national administrator for a State with an address the
secretariat controls, enrol it from the e-mail, seat it in one of that State's
cases and read everything. Now the secretariat may only make a State's first
national administrator, and the seat it then takes needs a reason that every
member of that State's side reads at once: in the app, live, and by e-mail.
"""

from __future__ import annotations

import re
from typing import Any

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from network.audit.models import AuditRecord
from network.auth.models import User
from network.extensions import db
from tests.conftest import Cast, csrf_from
from tests.realtime.conftest import received
from tests.stories import open_story

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)

TITLE = "Port authority embezzlement"
SUMMARY = "Embezzled funds moved through Geneva and Paris."
REASON = "Checking the Swiss side's access after a reported leak"


def _create_national_admin(secretariat: FlaskClient, email: str, state: str) -> Any:
    page = secretariat.get("/admin/users/new")
    return secretariat.post(
        "/admin/users/new",
        data={
            "email": email,
            "name": "Mallory Proxy",
            "role": "national_admin",
            "state": state,
            "body": "",
            "csrf_token": csrf_from(page.text),
        },
    )


def _enrol_from_the_email(app: Flask, email: str) -> FlaskClient:
    """The new administrator redeems the e-mailed code, sets up TOTP, and is signed in."""
    mail = next(m for m in reversed(app.extensions["arnet"]["mailer"].sent) if m["To"] == email)
    found = re.search(r"Enrolment code: (\S+)", mail.get_content())
    assert found is not None
    browser = app.test_client()
    page = browser.get("/auth/enrol")
    enrolled = browser.post(
        "/auth/enrol",
        data={
            "email": email,
            "code": found.group(1),
            "password": "Mallory-Passphrase-2026",
            "csrf_token": csrf_from(page.text),
        },
    )
    assert enrolled.headers["Location"].endswith("/auth/set-up-second-factor")
    page = browser.get("/auth/set-up-second-factor")
    secret = re.search(r'<code class="secret" dir="ltr">([A-Z2-7]+)</code>', page.text)
    assert secret is not None
    done = browser.post(
        "/auth/set-up-second-factor",
        data={"code": pyotp.TOTP(secret.group(1)).now(), "csrf_token": csrf_from(page.text)},
    )
    assert done.status_code == 200
    assert browser.get("/account").status_code == 200
    return browser


def test_the_secretariat_no_longer_reaches_a_states_case_unseen(
    app: Flask, cast: Cast, browser_as: Any, api_as: Any, socket_as: Any
) -> None:
    story = open_story(cast, summary=SUMMARY)
    secretariat = browser_as(cast.secretariat)

    # Côte d'Ivoire has a national administrator (Yao): the secretariat may not add another.
    refused = _create_national_admin(secretariat, "mallory-civ@proxy.example", "CIV")
    assert refused.status_code == 403
    assert "national administrator" in refused.text
    assert db.session.scalar(select(User).where(User.email == "mallory-civ@proxy.example")) is None

    # Switzerland has none: the secretariat makes its first one, who enrols from the e-mail.
    made = _create_national_admin(secretariat, "mallory@proxy.example", "CHE")
    assert made.status_code == 302, made.text
    mallory = _enrol_from_the_email(app, "mallory@proxy.example")
    mallory_id = db.session.scalar(select(User.id).where(User.email == "mallory@proxy.example"))
    # A second first administrator for Switzerland is refused now.
    assert _create_national_admin(secretariat, "eve@proxy.example", "CHE").status_code == 403

    lea, amina, camille = socket_as(cast.lea), socket_as(cast.amina), socket_as(cast.camille)
    for each in (lea, amina, camille):
        each.get_received()
    sent_before = len(app.extensions["arnet"]["mailer"].sent)
    token = csrf_from(mallory.get("/account").text)

    # Seating itself needs a reason.
    silent = mallory.post(
        f"/api/v1/cases/{story.case.id}/team",
        json={"user": mallory_id},
        headers={"X-CSRFToken": token},
    )
    assert silent.status_code == 422
    assert "reason" in silent.get_json()["errors"]
    assert received(lea, "notification") == []

    seated = mallory.post(
        f"/api/v1/cases/{story.case.id}/team",
        json={"user": mallory_id, "reason": REASON},
        headers={"X-CSRFToken": token},
    )
    assert seated.status_code == 201, seated.text

    # Léa, the whole of Switzerland's side, is told in the app, quoting the reason ...
    notices = api_as(cast.lea).get("/notifications").get_json()["items"]
    assert [n["kind"] for n in notices] == ["case.member_joined"]
    assert REASON in notices[0]["subject"]
    assert "Mallory Proxy" in notices[0]["subject"]
    assert TITLE not in notices[0]["subject"]
    assert notices[0]["case"] == story.case.id
    # ... live, on her open socket ...
    pushed = received(lea, "notification")
    assert [p["kind"] for p in pushed] == ["case.member_joined"]
    assert REASON in pushed[0]["subject"]
    # ... and by e-mail at once, without the case's title or summary.
    mails = app.extensions["arnet"]["mailer"].sent[sent_before:]
    to_lea = [m for m in mails if m["To"] == cast.lea.email]
    assert len(to_lea) == 1
    text = to_lea[0]["Subject"] + to_lea[0].get_content()
    assert REASON in text
    assert f"/cases/{story.case.id}" in text
    assert TITLE not in text
    assert SUMMARY not in text

    # Aminata shares the Swiss channel: she is told too; Camille (France's channel) is not.
    assert [p["kind"] for p in received(amina, "notification")] == ["channel.member_joined"]
    assert received(camille, "notification") == []
    for bystander in (cast.camille, cast.chen, cast.olga, cast.yao):
        assert api_as(bystander).get("/notifications").get_json()["total"] == 0

    # The case history shows the seat, who took it and why; so does the audit trail.
    history = api_as(cast.lea).get(f"/cases/{story.case.id}/history").get_json()
    newest = history["items"][0]
    assert newest["user"]["id"] == newest["by"]["id"] == mallory_id
    assert (newest["move"], newest["seat"], newest["state"]) == ("joined", "team", "CHE")
    assert newest["break_glass"] is True
    assert newest["reason"] == REASON
    added = db.session.scalars(
        select(AuditRecord).where(AuditRecord.action == "case.team_member_added")
    ).all()
    assert added[-1].details == {
        "user": mallory_id,
        "state": "CHE",
        "break_glass": True,
        "reason": REASON,
    }
