"""Asks over REST: one side asks, only the other answers, both see the due date, once reminded."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from network.asks.models import Ask
from network.cases import team
from network.core import clock
from network.extensions import db
from network.notifications import reminders
from network.recovery import endings
from tests.conftest import Cast
from tests.http.test_plaintext_at_rest import _database_files, _in_clear, _values_of_every_row
from tests.stories import Freeze, Story, open_freeze, open_story, set_zone

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)

TEXT = "Please extend the Geneva freeze: Ferncastle-Lumen-4471"
REASON = "Our court sits only in June: Brackenmoor-Vell-2290"


def _in(days: int) -> str:
    return (clock.now().date() + timedelta(days=days)).isoformat()


def _ask(api: Any, story: Story, **values: Any) -> Any:
    body = {"kind": "call", "channel": story.che.id, "due_on": _in(5), "text": "A call?"}
    return api.post(f"/cases/{story.case.id}/asks", json={**body, **values})


def _freeze(cast: Cast) -> Freeze:
    today = clock.now().date()
    return open_freeze(
        cast, effective_on=today, expires_on=today + timedelta(days=20), now=clock.now()
    )


def test_an_extension_asked_by_the_requesting_side_is_granted_with_the_extension_linked(
    cast: Cast, api_as: Any
) -> None:
    freeze = _freeze(cast)
    amina, lea = api_as(cast.amina), api_as(cast.lea)

    asked = _ask(amina, freeze.story, kind="extension", measure=freeze.measure.id, text=TEXT)

    assert asked.status_code == 201, asked.json
    ask = asked.json
    assert (ask["asking_state"], ask["asked_state"], ask["requested_state"]) == (
        "CIV",
        "CHE",
        "CHE",
    )
    assert (ask["kind"], ask["measure"], ask["text"], ask["outcome"]) == (
        "extension",
        freeze.measure.id,
        TEXT,
        None,
    )
    assert ask["may_answer"] is False
    assert lea.get(f"/asks/{ask['id']}").json["may_answer"] is True
    extension = endings.extend_measure(
        cast.lea,
        freeze.measure.id,
        new_expires_on=clock.now().date() + timedelta(days=110),
        now=clock.now(),
    )
    db.session.commit()

    answered = lea.post(
        f"/asks/{ask['id']}/answer", json={"outcome": "granted", "extension": extension.id}
    )

    assert answered.status_code == 200, answered.json
    assert answered.json["outcome"] == "granted"
    assert answered.json["extension"] == extension.id
    assert answered.json["answered_by"]["name"] == cast.lea.name
    assert amina.get(f"/asks/{ask['id']}").json["outcome"] == "granted"


def test_a_refusal_needs_a_reason_and_keeps_it(cast: Cast, api_as: Any) -> None:
    story = open_story(cast)
    amina, lea = api_as(cast.amina), api_as(cast.lea)
    ask = _ask(lea, story, kind="consent", text="May we pass it to our tax office?").json
    assert (ask["asking_state"], ask["asked_state"]) == ("CHE", "CIV")

    bare = amina.post(f"/asks/{ask['id']}/answer", json={"outcome": "refused"})
    assert bare.status_code == 422
    assert "reason" in bare.json["errors"]

    refused = amina.post(f"/asks/{ask['id']}/answer", json={"outcome": "refused", "reason": REASON})
    assert refused.status_code == 200, refused.json
    assert (refused.json["outcome"], refused.json["reason"]) == ("refused", REASON)


def test_more_information_on_a_request_is_answered(cast: Cast, api_as: Any) -> None:
    story = open_story(cast)
    amina, lea = api_as(cast.amina), api_as(cast.lea)
    request = amina.post(
        f"/cases/{story.case.id}/requests",
        json={
            "kind": "mla",
            "requested_state": "CHE",
            "legal_basis": "uncac",
            "transmission_channel": "central_authority",
        },
    ).json
    ask = _ask(lea, story, kind="information", request=request["id"], text="Which accounts?")
    assert ask.status_code == 201, ask.json
    assert ask.json["request"] == request["id"]

    answered = amina.post(
        f"/asks/{ask.json['id']}/answer", json={"outcome": "answered", "reason": "See message 4."}
    )

    assert answered.status_code == 200, answered.json
    assert answered.json["outcome"] == "answered"
    again = amina.post(f"/asks/{ask.json['id']}/answer", json={"outcome": "granted"})
    assert again.status_code == 409
    assert again.json["errors"] == {"current": ["answered"], "allowed": []}


def test_an_ask_may_concern_only_records_of_its_own_channel(cast: Cast, api_as: Any) -> None:
    freeze = _freeze(cast)
    camille = api_as(cast.camille)
    story = freeze.story

    wrong = camille.post(
        f"/cases/{story.case.id}/asks",
        json={
            "kind": "extension",
            "channel": story.fra.id,
            "due_on": _in(3),
            "text": "Extend?",
            "measure": freeze.measure.id,
        },
    )
    unnamed = _ask(api_as(cast.amina), story, kind="extension")
    past = _ask(api_as(cast.amina), story, due_on=_in(-1))
    far = _ask(api_as(cast.amina), story, due_on="9999-12-31")

    assert wrong.status_code == 422
    assert "measure" in wrong.json["errors"]
    assert unnamed.status_code == 422
    assert "measure" in unnamed.json["errors"]
    assert past.status_code == 422
    assert "due_on" in past.json["errors"]
    assert far.status_code == 422
    assert "due_on" in far.json["errors"]


def test_the_asking_side_and_observers_cannot_answer_and_outsiders_are_told_nothing(
    cast: Cast, api_as: Any
) -> None:
    story = open_story(cast)
    team.invite_observer(cast.amina, story.che.id, cast.observer.id, clock.now())
    db.session.commit()
    ask = _ask(api_as(cast.amina), story, text=TEXT).json
    answer = {"outcome": "granted"}

    assert api_as(cast.amina).post(f"/asks/{ask['id']}/answer", json=answer).status_code == 403
    observer = api_as(cast.observer)
    assert observer.get(f"/asks/{ask['id']}").status_code == 200
    assert observer.post(f"/asks/{ask['id']}/answer", json=answer).status_code == 403
    assert _ask(observer, story).status_code == 403
    for outsider in (cast.chen, cast.camille):
        api = api_as(outsider)
        for response in (
            api.get(f"/asks/{ask['id']}"),
            api.post(f"/asks/{ask['id']}/answer", json=answer),
        ):
            assert response.status_code == 404
            assert response.json["reason"] == "ask_not_found"
            assert "Ferncastle" not in response.text
        assert api.get("/asks").json["total"] == 0
    assert _ask(api_as(cast.chen), story).status_code == 404
    # Camille sits in the case, but not in Switzerland's channel.
    assert _ask(api_as(cast.camille), story).status_code == 422
    assert db.session.scalar(select(Ask.outcome).where(Ask.id == ask["id"])) is None


def test_an_open_ask_is_in_both_sides_deadlines_in_the_asked_states_zone(
    cast: Cast, api_as: Any
) -> None:
    story = open_story(cast)
    set_zone("CHE", "Pacific/Auckland")
    ask = _ask(api_as(cast.amina), story, due_on=_in(4)).json

    for user in (cast.amina, cast.lea):
        deadlines = api_as(user).get("/deadlines").json["items"]
        mine = [each for each in deadlines if each["kind"] == "ask_due"]
        assert [(each["id"], each["detail"]) for each in mine] == [(ask["id"], "call")]
        assert mine[0]["time_zone"] == "Pacific/Auckland"
        assert mine[0]["issuing_state"] == "CHE"
    assert ask["time_zone"] == "Pacific/Auckland"
    camille = api_as(cast.camille).get("/deadlines").json["items"]
    assert not [each for each in camille if each["kind"] == "ask_due"]

    api_as(cast.lea).post(f"/asks/{ask['id']}/answer", json={"outcome": "granted"})

    deadlines = api_as(cast.amina).get("/deadlines").json["items"]
    assert not [each for each in deadlines if each["kind"] == "ask_due"]


def test_the_list_holds_the_callers_asks_open_first(cast: Cast, api_as: Any) -> None:
    story = open_story(cast)
    amina, lea = api_as(cast.amina), api_as(cast.lea)
    first = _ask(amina, story, due_on=_in(9)).json
    second = _ask(amina, story, due_on=_in(2)).json
    lea.post(f"/asks/{second['id']}/answer", json={"outcome": "granted"})

    listed = lea.get("/asks").json
    open_only = lea.get("/asks?open=true").json
    of_case = amina.get(f"/cases/{story.case.id}/asks").json

    assert [each["id"] for each in listed["items"]] == [first["id"], second["id"]]
    assert [each["id"] for each in open_only["items"]] == [first["id"]]
    assert of_case["total"] == 2


def _noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC)


def test_an_open_ask_is_reminded_three_days_one_day_and_past_due_once_each(
    cast: Cast, api_as: Any
) -> None:
    story = open_story(cast)
    due = clock.now().date() + timedelta(days=6)
    _ask(api_as(cast.amina), story, due_on=due.isoformat())
    seen: list[tuple[str, str]] = []
    day = due - timedelta(days=6)
    while day <= due + timedelta(days=3):
        for now in (_noon(day), _noon(day) + timedelta(hours=3)):
            made = reminders.send_reminders(now, unread_interval=timedelta(days=1))
            db.session.commit()
            seen.extend((each.threshold, each.recipient) for each in made if each.rule == "ask_due")
        day += timedelta(days=1)

    expected = {
        (f"{due.isoformat()}:{step}", who)
        for step in ("3", "1", "passed")
        for who in (cast.amina.email, cast.lea.email)
    }
    assert set(seen) == expected
    assert len(seen) == len(expected), "a reminder went out twice"


def test_the_text_and_the_reason_are_sealed_at_rest(app: Any, cast: Cast, api_as: Any) -> None:
    story = open_story(cast)
    ask = _ask(api_as(cast.amina), story, text=TEXT).json
    api_as(cast.lea).post(
        f"/asks/{ask['id']}/answer", json={"outcome": "refused", "reason": REASON}
    )
    db.session.expire_all()

    values = _values_of_every_row()
    files = _database_files(app)
    for secret in (TEXT, REASON):
        assert not _in_clear(secret, values)
        assert secret.encode() not in files
    assert api_as(cast.amina).get(f"/asks/{ask['id']}").json["reason"] == REASON
