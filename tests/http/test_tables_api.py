"""Multilateral channels over REST and pages: a declined or pending State reads nothing of them."""

from __future__ import annotations

from typing import Any

import pytest

from network.core import clock
from network.extensions import db
from network.messages import posting
from tests.conftest import Cast, csrf_from
from tests.stories import TableStory, table_story

MISSING = 987_654
SECRET = "Quillfeather table talk"


@pytest.fixture
def story(cast: Cast) -> TableStory:
    told = table_story(cast)
    posting.post_message(cast.amina, told.table.id, client_id="t-1", body=SECRET, now=clock.now())
    db.session.commit()
    return told


def test_the_requesting_side_opens_a_table_and_the_case_lists_it(cast: Cast, api_as: Any) -> None:
    told = table_story(cast, answer=False)
    amina = api_as(cast.amina)

    opened = amina.post(
        f"/cases/{told.case.id}/channels", json={"requested_states": ["che", "FRA"]}
    )

    assert opened.status_code == 201, opened.text
    body = opened.get_json()
    assert body["kind"] == "multilateral"
    assert body["requested_state"] is None
    assert [(p["state"], p["answer"]) for p in body["parties"]] == [
        ("CHE", "pending"),
        ("FRA", "pending"),
    ]
    case = amina.get(f"/cases/{told.case.id}").get_json()
    assert [c["kind"] for c in case["channels"]] == [
        "bilateral",
        "bilateral",
        "bilateral",
        "multilateral",
        "multilateral",
    ]
    assert case["requested_states"] == ["CHE", "FRA", "CHN"]


@pytest.mark.parametrize(
    ("states", "why"),
    [
        (["CHE"], "two or more"),
        (["CHE", "CHE"], "once"),
        (["CHE", "RUS"], "already requested States"),
    ],
)
def test_a_bad_choice_of_states_is_422_with_a_clear_message(
    cast: Cast, story: TableStory, api_as: Any, states: list[str], why: str
) -> None:
    answer = api_as(cast.amina).post(
        f"/cases/{story.case.id}/channels", json={"requested_states": states}
    )

    assert answer.status_code == 422
    assert why in answer.get_json()["errors"]["requested_states"][0]


def test_an_identical_open_table_is_409(cast: Cast, api_as: Any) -> None:
    told = table_story(cast, answer=False)
    again = api_as(cast.amina).post(
        f"/cases/{told.case.id}/channels", json={"requested_states": ["CHN", "FRA", "CHE"]}
    )

    assert again.status_code == 409


def test_a_requested_state_may_not_open_a_table(cast: Cast, story: TableStory, api_as: Any):
    answer = api_as(cast.lea).post(
        f"/cases/{story.case.id}/channels", json={"requested_states": ["CHE", "FRA"]}
    )

    assert answer.status_code == 403


def test_outsiders_get_the_case_s_404_when_opening(cast: Cast, story: TableStory, api_as: Any):
    answer = api_as(cast.olga).post(
        f"/cases/{story.case.id}/channels", json={"requested_states": ["CHE", "FRA"]}
    )
    missing = api_as(cast.olga).post(
        f"/cases/{MISSING}/channels", json={"requested_states": ["CHE", "FRA"]}
    )

    assert answer.status_code == 404
    assert answer.get_json() == missing.get_json()


def test_accepting_over_rest_seats_the_state_and_answering_twice_is_409(
    cast: Cast, story: TableStory, api_as: Any
) -> None:
    chen = api_as(cast.chen)

    accepted = chen.post(f"/channels/{story.table.id}/accept")
    again = chen.post(f"/channels/{story.table.id}/decline")
    messages = chen.get(f"/channels/{story.table.id}/messages")

    assert accepted.status_code == 200, accepted.text
    assert accepted.get_json()["answer"] == "accepted"
    assert again.status_code == 409
    assert [m["body"] for m in messages.get_json()["items"]] == [SECRET]


@pytest.mark.parametrize("who", ["camille", "chen"])
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/channels/{table}", None),
        ("get", "/channels/{table}/messages", None),
        ("post", "/channels/{table}/messages", {"client_id": "x-1", "body": "hi"}),
        ("get", "/channels/{table}/read", None),
        ("post", "/channels/{table}/read", {"seq": 1}),
    ],
)
def test_a_declined_or_pending_state_gets_the_404_of_a_missing_channel(
    cast: Cast, story: TableStory, api_as: Any, who: str, method: str, path: str, body: Any
) -> None:
    client = api_as(getattr(cast, who))

    def call(table: int) -> Any:
        url = path.format(table=table)
        return getattr(client, method)(url, json=body) if body else getattr(client, method)(url)

    hidden, missing = call(story.table.id), call(MISSING)

    assert hidden.status_code == 404
    assert hidden.get_json() == missing.get_json()
    assert SECRET not in hidden.text


@pytest.mark.parametrize("who", ["camille", "chen"])
def test_the_case_shows_a_non_member_no_table_content(
    cast: Cast, story: TableStory, api_as: Any, who: str
) -> None:
    case = api_as(getattr(cast, who)).get(f"/cases/{story.case.id}")

    body = case.get_json()
    assert [c["kind"] for c in body["channels"]] == ["bilateral"]
    assert len(body["requested_states"]) == 1
    assert SECRET not in case.text
    # An invitation says only that the table exists and the State's own answer.
    assert [set(each) for each in body["invitations"]] == [
        {"channel", "case", "state", "answer", "answered_at"}
    ]


def test_the_decliner_and_outsiders_cannot_answer_again_or_at_all(
    cast: Cast, story: TableStory, api_as: Any
) -> None:
    assert api_as(cast.camille).post(f"/channels/{story.table.id}/accept").status_code == 409
    for who in (cast.olga, cast.amina, cast.secretariat):
        hidden = api_as(who).post(f"/channels/{story.table.id}/accept")
        missing = api_as(who).post(f"/channels/{MISSING}/accept")
        assert hidden.status_code == 404
        assert hidden.get_json() == missing.get_json()


def test_bilateral_channels_stay_private_to_their_two_states(
    cast: Cast, story: TableStory, api_as: Any
) -> None:
    lea = api_as(cast.lea)

    assert lea.get(f"/channels/{story.bilateral['CHE'].id}/messages").status_code == 200
    assert lea.get(f"/channels/{story.bilateral['FRA'].id}/messages").status_code == 404
    assert lea.get(f"/channels/{story.bilateral['CHN'].id}/messages").status_code == 404


# --- pages -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["camille", "chen"])
def test_a_declined_or_pending_state_gets_404_for_the_table_page(
    cast: Cast, story: TableStory, browser_as: Any, who: str
) -> None:
    browser = browser_as(getattr(cast, who))

    page = browser.get(f"/cases/{story.case.id}?channel={story.table.id}")
    workspace = browser.get(f"/cases/{story.case.id}")

    assert page.status_code == 404
    assert SECRET not in page.text
    assert workspace.status_code == 200
    assert SECRET not in workspace.text
    assert "CHE, CHN" not in workspace.text


def test_the_pending_state_sees_an_invitation_and_accepts_from_the_page(
    cast: Cast, story: TableStory, browser_as: Any
) -> None:
    browser = browser_as(cast.chen)
    workspace = browser.get(f"/cases/{story.case.id}")
    assert f"/cases/{story.case.id}/channels/{story.table.id}/accept" in workspace.text

    answer = browser.post(
        f"/cases/{story.case.id}/channels/{story.table.id}/accept",
        data={"csrf_token": csrf_from(workspace.text)},
    )
    page = browser.get(f"/cases/{story.case.id}?channel={story.table.id}")

    assert answer.status_code == 303
    assert page.status_code == 200
    assert SECRET in page.text


def test_the_requesting_side_opens_a_table_from_the_page(cast: Cast, browser_as: Any) -> None:
    told = table_story(cast, answer=False)
    browser = browser_as(cast.amina)
    workspace = browser.get(f"/cases/{told.case.id}")
    token = csrf_from(workspace.text)

    refused = browser.post(
        f"/cases/{told.case.id}/tables",
        data={"csrf_token": token, "table-requested_states": ["CHE"]},
    )
    opened = browser.post(
        f"/cases/{told.case.id}/tables",
        data={"csrf_token": token, "table-requested_states": ["CHE", "FRA"]},
    )

    assert refused.status_code == 422
    assert opened.status_code == 303
    page = browser.get(opened.headers["Location"])
    assert "Several States" in page.text


@pytest.mark.parametrize("who", ["camille", "chen"])
def test_searching_the_case_finds_nothing_said_at_the_table(
    cast: Cast, story: TableStory, api_as: Any, who: str
) -> None:
    found = api_as(getattr(cast, who)).get(f"/cases/{story.case.id}/search?q=Quillfeather")
    seated = api_as(cast.lea).get(f"/cases/{story.case.id}/search?q=Quillfeather")

    assert found.status_code == 200
    assert found.get_json()["items"] == []
    assert [each["body"] for each in seated.get_json()["items"]] == [SECRET]
