"""Nobody takes a seat in a case unseen: history, notices and break-glass over the API and pages."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import delete, select

from network.cases import opening
from network.cases.models import SeatChange
from network.core import clock
from network.extensions import db
from tests.conftest import Cast, csrf_from, make_user
from tests.stories import Story, open_story

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)

TITLE = "Port authority embezzlement"


@pytest.fixture
def story(cast: Cast) -> Story:
    return open_story(cast)


def _kinds(api: Any) -> list[str]:
    return [each["kind"] for each in api.get("/notifications").get_json()["items"]]


def _mail_to(app: Flask, email: str) -> list[Any]:
    return [m for m in app.extensions["arnet"]["mailer"].sent if m["To"] == email]


def test_a_national_administrator_seating_themself_without_a_reason_is_refused_naming_it(
    cast: Cast, story: Story, api_as: Any
) -> None:
    yao = api_as(cast.yao)
    for body in ({"user": cast.yao.id}, {"user": cast.yao.id, "reason": "   "}):
        refused = yao.post(f"/cases/{story.case.id}/team", json=body)
        assert refused.status_code == 422
        assert list(refused.get_json()["errors"]) == ["reason"]
    too_long = yao.post(
        f"/cases/{story.case.id}/team", json={"user": cast.yao.id, "reason": "x" * 501}
    )
    assert too_long.status_code == 422
    assert yao.get(f"/cases/{story.case.id}").status_code == 404
    assert _kinds(api_as(cast.amina)) == []
    seated = yao.post(
        f"/cases/{story.case.id}/team", json={"user": cast.yao.id, "reason": "Aminata is ill"}
    )
    assert seated.status_code == 201


def test_seating_a_colleague_needs_no_reason_and_tells_both_sides_at_once(
    app: Flask, cast: Cast, story: Story, api_as: Any
) -> None:
    added = api_as(cast.amina).post(f"/cases/{story.case.id}/team", json={"user": cast.yao.id})
    assert added.status_code == 201

    # Yao was added by someone else: he is told, as Côte d'Ivoire's side; Aminata did it.
    assert _kinds(api_as(cast.yao)) == ["case.member_joined"]
    assert _kinds(api_as(cast.amina)) == []
    # Yao now sits in both channels: Switzerland's and France's sides are told.
    for counterpart in (cast.lea, cast.camille):
        notice = api_as(counterpart).get("/notifications").get_json()["items"]
        assert [n["kind"] for n in notice] == ["channel.member_joined"]
        assert "Yao Kouassi" in notice[0]["subject"]
        assert "Aminata Koné" in notice[0]["subject"]
        assert "CIV-PNF-2024-17" in notice[0]["subject"]
        assert len(_mail_to(app, counterpart.email)) == 1
    assert TITLE not in _mail_to(app, cast.lea.email)[0].get_content()


def test_a_channel_seat_tells_the_counterpart_side_and_nobody_else(
    app: Flask, cast: Cast, story: Story, api_as: Any
) -> None:
    invited = api_as(cast.lea).post(
        f"/channels/{story.che.id}/observers", json={"user": cast.observer.id}
    )
    assert invited.status_code == 201

    amina = api_as(cast.amina).get("/notifications").get_json()["items"]
    assert [n["kind"] for n in amina] == ["channel.member_joined"]
    assert "Obi Server" in amina[0]["subject"]
    assert "ARIN-T" in amina[0]["subject"]
    assert _kinds(api_as(cast.observer)) == ["channel.member_joined"]
    assert _kinds(api_as(cast.lea)) == []
    assert _kinds(api_as(cast.camille)) == []  # France's channel is another one
    assert len(_mail_to(app, cast.amina.email)) == 1


def test_removal_from_a_channel_tells_those_who_stay_not_the_one_removed(
    cast: Cast, story: Story, api_as: Any
) -> None:
    lea, amina = api_as(cast.lea), api_as(cast.amina)
    lea.post(f"/channels/{story.che.id}/observers", json={"user": cast.observer.id})
    amina.post(f"/cases/{story.case.id}/team", json={"user": cast.yao.id})
    for each in (cast.amina, cast.lea, cast.camille, cast.observer):
        api_as(each).post("/notifications/read-all")

    assert lea.delete(f"/channels/{story.che.id}/observers/{cast.observer.id}").status_code == 204
    left = amina.get("/notifications?unread=true").get_json()["items"]
    assert [n["kind"] for n in left] == ["channel.member_left"]
    assert "Obi Server" in left[0]["subject"]
    # Off the case, the observer sees none of its notices, the one of their removal included.
    assert api_as(cast.observer).get("/notifications").get_json()["total"] == 0

    assert amina.delete(f"/cases/{story.case.id}/team/{cast.yao.id}").status_code == 204
    for told in (cast.lea, cast.camille):
        newest = api_as(told).get("/notifications").get_json()["items"][0]
        assert newest["kind"] == "channel.member_left"
        assert "Yao Kouassi" in newest["subject"]
    assert api_as(cast.yao).get("/notifications").get_json()["total"] == 0

    assert lea.post(f"/cases/{story.case.id}/leave").status_code == 204
    assert _kinds(amina)[0] == "channel.member_left"
    assert "Léa Müller" in amina.get("/notifications").get_json()["items"][0]["subject"]


def test_nobody_is_notified_of_other_cases(cast: Cast, story: Story, api_as: Any) -> None:
    other = opening.open_case(
        cast.chen,
        title="Another matter",
        summary="",
        reference="CHN-9",
        requested_states=["RUS"],
        counterparts=[],
        now=clock.now(),
    )
    db.session.commit()
    olga = api_as(cast.olga)
    olga.post(f"/cases/{other.id}/team", json={"user": cast.olga.id, "reason": "Nobody on it"})
    api_as(cast.amina).post(f"/cases/{story.case.id}/team", json={"user": cast.yao.id})

    def told(user: Any) -> list[tuple[int, str]]:
        items = api_as(user).get("/notifications").get_json()["items"]
        return [(each["case"], each["kind"]) for each in items]

    assert told(cast.chen) == [(other.id, "channel.member_joined")]
    assert told(cast.olga) == []
    assert told(cast.secretariat) == []
    assert told(cast.observer) == []
    for person in (cast.yao, cast.lea, cast.camille):
        assert [case for case, _kind in told(person)] == [story.case.id]


def test_the_case_history_shows_each_side_its_own_lines_only(
    cast: Cast, story: Story, api_as: Any
) -> None:
    amina, lea, camille = api_as(cast.amina), api_as(cast.lea), api_as(cast.camille)
    camille.post(f"/channels/{story.fra.id}/observers", json={"user": cast.observer.id})
    amina.post(f"/cases/{story.case.id}/team", json={"user": cast.yao.id})
    amina.delete(f"/cases/{story.case.id}/team/{cast.yao.id}")

    everything = amina.get(f"/cases/{story.case.id}/history").get_json()
    assert everything["total"] == 6  # three opening seats, the observer, Yao in and out
    newest = everything["items"][0]
    assert (newest["move"], newest["seat"]) == ("left", "team")
    assert newest["user"]["name"] == "Yao Kouassi"
    assert newest["by"]["name"] == "Aminata Koné"
    assert newest["reason"] is None
    assert newest["break_glass"] is False
    assert {(i["seat"], i["state"], i["channel"]) for i in everything["items"]} == {
        ("team", "CIV", None),
        ("team", "CHE", None),
        ("team", "FRA", None),
        ("observer", "FRA", story.fra.id),
    }

    swiss = lea.get(f"/cases/{story.case.id}/history").get_json()
    assert {i["state"] for i in swiss["items"]} == {"CIV", "CHE"}  # never France's lines
    assert swiss["total"] == 4
    page = amina.get(f"/cases/{story.case.id}/history?per_page=4&page=2").get_json()
    assert (page["page"], page["total"], len(page["items"])) == (2, 6, 2)
    assert api_as(cast.observer).get(f"/cases/{story.case.id}/history").status_code == 403
    assert api_as(cast.chen).get(f"/cases/{story.case.id}/history").status_code == 404
    assert api_as(cast.yao).get(f"/cases/{story.case.id}/history").status_code == 404


def test_the_break_glass_reason_is_sealed_in_the_database(
    cast: Cast, story: Story, api_as: Any
) -> None:
    reason = "Zebra-Quokka break-glass 7731"
    yao = api_as(cast.yao)
    yao.post(f"/cases/{story.case.id}/team", json={"user": cast.yao.id, "reason": reason})

    stored = db.session.scalars(
        select(SeatChange.reason_sealed).where(SeatChange.reason_sealed.is_not(None))
    ).all()
    assert len(stored) == 1
    assert reason.encode() not in stored[0]
    history = api_as(cast.amina).get(f"/cases/{story.case.id}/history").get_json()
    assert history["items"][0]["reason"] == reason
    assert history["items"][0]["break_glass"] is True


def test_the_workspace_shows_the_case_history_and_takes_a_reason(
    cast: Cast, story: Story, browser_as: Any
) -> None:
    kofi = make_user("kofi@civ.example", "Kofi <b>Yeboah</b>", "practitioner", "CIV")
    db.session.commit()
    amina = browser_as(cast.amina)
    page = amina.get(f"/cases/{story.case.id}")
    assert "Case history" in page.text
    assert "Léa Müller joined the team of CHE, added by Aminata Koné" in page.text
    added = amina.post(
        f"/cases/{story.case.id}/team",
        data={
            "team-user_id": kofi.id,
            "team-reason": "Speaks the Swiss counterpart's language",
            "csrf_token": csrf_from(page.text),
        },
        follow_redirects=True,
    )
    assert added.status_code == 200
    assert "Speaks the Swiss counterpart&#39;s language" in added.text
    assert "Kofi &lt;b&gt;Yeboah&lt;/b&gt; joined the team of CIV" in added.text
    assert "<b>Yeboah</b>" not in added.text

    # A party's page with no recorded seats (a case from before the history) says so.
    db.session.execute(delete(SeatChange).where(SeatChange.case_id == story.case.id))
    db.session.commit()
    empty = browser_as(cast.lea).get(f"/cases/{story.case.id}")
    assert "Nobody has joined or left this case yet." in empty.text


def test_an_invited_observers_page_has_no_case_history(
    cast: Cast, story: Story, api_as: Any, browser_as: Any
) -> None:
    api_as(cast.lea).post(f"/channels/{story.che.id}/observers", json={"user": cast.observer.id})
    page = browser_as(cast.observer).get(f"/cases/{story.case.id}")
    assert page.status_code == 200
    assert "Case history" not in page.text


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("en", "seated themself on the team of Switzerland (break-glass)"),
        ("fr", "administrateur national, s'est ajouté(e) à l'équipe (Suisse)"),
        ("es", "mediante acceso de emergencia. Motivo indicado"),
        ("ru", "в порядке экстренного доступа. Указанная причина"),
        ("zh", "以紧急访问方式将自己加入Switzerland团队"),
        ("ar", "بموجب الوصول الطارئ. السبب المذكور"),
    ],
)
def test_a_break_glass_notice_reads_in_the_recipients_language(
    cast: Cast, story: Story, api_as: Any, browser_as: Any, locale: str, words: str
) -> None:
    cast.lea.locale = locale
    db.session.commit()
    swiss_admin = make_user("anna@che.example", "Anna Keller", "national_admin", "CHE")
    db.session.commit()
    seated = api_as(swiss_admin).post(
        f"/cases/{story.case.id}/team", json={"user": swiss_admin.id, "reason": "Léa is away"}
    )
    assert seated.status_code == 201

    subject = api_as(cast.lea).get("/notifications").get_json()["items"][0]["subject"]
    assert words in subject
    assert "Anna Keller" in subject
    assert "Léa is away" in subject
    page = browser_as(cast.lea).get("/notifications")
    assert subject.replace("'", "&#39;") in page.text
