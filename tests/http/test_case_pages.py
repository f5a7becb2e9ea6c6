"""The case pages: my cases, opening a case, the workspace, and who may see them."""

from __future__ import annotations

import re

import pytest

from network.core import clock
from network.extensions import db
from tests.conftest import Cast, csrf_from
from tests.realtime.conftest import Story, socket_as, story  # noqa: F401 - shared fixtures


def test_my_cases_is_empty_at_first_and_says_so(cast: Cast, browser_as):
    page = browser_as(cast.lea).get("/cases")

    assert page.status_code == 200
    assert "You are not on any case yet" in page.text


def test_my_cases_lists_the_case_with_its_stage_and_unread_count(
    cast: Cast, story: Story, socket_as, browser_as  # noqa: F811
):
    amina = socket_as(cast.amina)
    for number in (1, 2):
        amina.emit("send", {"channel": story.che_channel, "client_id": f"m-{number}",
                            "body": "news", "handling_code": "H0"}, callback=True)

    page = browser_as(cast.lea).get("/cases")

    assert "Villa in Geneva" in page.text
    assert "Informal consultation" in page.text
    assert "2 unread messages" in page.text


def test_opening_a_case_offers_the_requested_states_counterparts(cast: Cast, browser_as):
    browser = browser_as(cast.amina)

    step_two = browser.get("/cases/new?requested_states=CHE")

    assert step_two.status_code == 200
    assert cast.lea.name in step_two.text
    assert cast.chen.name not in step_two.text


def test_opening_a_case_creates_it_and_shows_its_workspace(cast: Cast, browser_as):
    browser = browser_as(cast.amina)
    form = browser.get("/cases/new?requested_states=CHE")

    response = browser.post(
        "/cases/new",
        data={
            "csrf_token": csrf_from(form.text),
            "requested_states": "CHE",
            "counterparts": str(cast.lea.id),
            "title": "Shares in Zug",
            "summary": "A holding company",
            "reference": "CIV-9",
        },
    )

    assert response.status_code == 302
    workspace = browser.get(response.headers["Location"])
    assert "Shares in Zug" in workspace.text
    assert cast.lea.name in workspace.text


def test_opening_a_case_without_a_title_is_refused_with_the_field_named(cast: Cast, browser_as):
    browser = browser_as(cast.amina)
    form = browser.get("/cases/new?requested_states=CHE")

    response = browser.post(
        "/cases/new",
        data={"csrf_token": csrf_from(form.text), "requested_states": "CHE", "title": ""},
    )

    assert response.status_code == 422
    assert "field-error" in response.text


@pytest.mark.parametrize("who", ["chen", "observer", "yao", "secretariat", "camille"])
def test_outsiders_get_not_found_for_the_workspace_and_its_channel(
    cast: Cast, story: Story, browser_as, who: str  # noqa: F811
):
    browser = browser_as(getattr(cast, who))

    page = browser.get(f"/cases/{story.case_id}?channel={story.che_channel}")

    assert page.status_code == 404
    assert "Villa in Geneva" not in page.text


@pytest.mark.parametrize("who", ["chen", "observer", "yao", "secretariat"])
def test_outsiders_cannot_post_into_the_channel_from_the_page(
    cast: Cast, story: Story, browser_as, who: str  # noqa: F811
):
    browser = browser_as(getattr(cast, who))
    token = csrf_from(browser.get("/").text)

    response = browser.post(
        f"/cases/{story.case_id}/channels/{story.che_channel}/messages",
        data={"csrf_token": token, "message-client_id": "web-x", "message-body": "hi",
              "message-handling_code": "H0"},
    )

    assert response.status_code == 404


def test_a_member_sees_messages_as_text_never_as_markup(
    cast: Cast, story: Story, socket_as, browser_as  # noqa: F811
):
    socket_as(cast.amina).emit(
        "send",
        {"channel": story.che_channel, "client_id": "m-1",
         "body": '<script>alert("x")</script><img src=x onerror=alert(1)>', "handling_code": "H2"},
        callback=True,
    )

    page = browser_as(cast.lea).get(f"/cases/{story.case_id}")

    assert page.status_code == 200
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert" in page.text
    assert 'class="message-body" dir="auto"' in page.text
    assert "not to be passed beyond the receiving authority" in page.text


def test_the_workspace_has_no_inline_script_or_style(
    cast: Cast, story: Story, browser_as  # noqa: F811
):
    page = browser_as(cast.amina).get(f"/cases/{story.case_id}")

    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page.text) is None
    assert " style=" not in page.text
    assert "<style" not in page.text
    assert "/vendor/socket.io/socket.io.min.js" in page.text


def test_the_requested_state_sees_only_its_own_channel_tab(
    cast: Cast, story: Story, browser_as  # noqa: F811
):
    page = browser_as(cast.lea).get(f"/cases/{story.case_id}")

    assert f"channel={story.che_channel}" in page.text
    assert f"channel={story.fra_channel}" not in page.text


def test_sending_from_the_page_without_javascript_stores_once_per_client_id(
    cast: Cast, story: Story, browser_as, socket_as  # noqa: F811
):
    browser = browser_as(cast.lea)
    token = csrf_from(browser.get(f"/cases/{story.case_id}").text)
    data = {"csrf_token": token, "message-client_id": "web-abc", "message-body": "Received, thanks",
            "message-handling_code": "H1"}

    first = browser.post(f"/cases/{story.case_id}/channels/{story.che_channel}/messages", data=data)
    again = browser.post(f"/cases/{story.case_id}/channels/{story.che_channel}/messages", data=data)
    listed = socket_as(cast.lea).emit(
        "join", {"channel": story.che_channel, "after_seq": 0}, callback=True
    )

    assert first.status_code == again.status_code == 303
    assert [m["body"] for m in listed["messages"]] == ["Received, thanks"]


def test_removing_a_team_member_from_the_page_takes_their_access(
    cast: Cast, story: Story, browser_as  # noqa: F811
):
    from network.cases import team

    team.add_team_member(cast.amina, story.case_id, cast.yao.id, clock.now())
    db.session.commit()
    browser = browser_as(cast.amina)
    token = csrf_from(browser.get(f"/cases/{story.case_id}").text)

    response = browser.post(
        f"/cases/{story.case_id}/team/{cast.yao.id}/remove", data={"csrf_token": token}
    )

    assert response.status_code == 303
    assert browser_as(cast.yao).get(f"/cases/{story.case_id}").status_code == 404


def test_a_party_invites_an_observer_who_then_sees_the_channel(
    cast: Cast, story: Story, browser_as  # noqa: F811
):
    browser = browser_as(cast.lea)
    token = csrf_from(browser.get(f"/cases/{story.case_id}").text)

    response = browser.post(
        f"/cases/{story.case_id}/channels/{story.che_channel}/observers",
        data={"csrf_token": token, "observer-user_id": str(cast.observer.id)},
    )

    assert response.status_code == 303
    page = browser_as(cast.observer).get(f"/cases/{story.case_id}")
    assert page.status_code == 200
    assert "Observer, invited by CHE" in page.text


def test_a_bad_team_choice_is_refused_on_the_page(
    cast: Cast, story: Story, browser_as  # noqa: F811
):
    browser = browser_as(cast.amina)
    token = csrf_from(browser.get(f"/cases/{story.case_id}").text)

    response = browser.post(
        f"/cases/{story.case_id}/team", data={"csrf_token": token, "team-user_id": "not-a-number"}
    )

    assert response.status_code == 422
    assert "Some values are not valid." in response.text


def test_a_reply_posted_from_the_page_keeps_the_seq_it_answers(
    cast: Cast, story: Story, browser_as, socket_as  # noqa: F811
):
    browser = browser_as(cast.lea)
    token = csrf_from(browser.get(f"/cases/{story.case_id}").text)
    url = f"/cases/{story.case_id}/channels/{story.che_channel}/messages"
    blank_refs = {"message-reply_to_seq": "", "message-corrects_seq": ""}
    question = {"csrf_token": token, "message-client_id": "web-q", "message-body": "Frozen?",
                "message-handling_code": "H0", **blank_refs}
    answer = {**question, "message-client_id": "web-a", "message-body": "Yes, since Monday.",
              "message-reply_to_seq": "1"}

    assert browser.post(url, data=question).status_code == 303
    assert browser.post(url, data=answer).status_code == 303
    listed = socket_as(cast.lea).emit(
        "join", {"channel": story.che_channel, "after_seq": 0}, callback=True
    )

    assert [(m["body"], m["reply_to_seq"]) for m in listed["messages"]] == [
        ("Frozen?", None), ("Yes, since Monday.", 1)
    ]


def test_the_channel_list_shows_each_other_channels_unread_count(
    cast: Cast, story: Story, browser_as  # noqa: F811
):
    from network.messages import posting

    for number in range(3):
        posting.post_message(
            cast.camille, story.fra_channel, client_id=f"c-{number}", body="Bonjour",
            now=clock.now(),
        )
    db.session.commit()

    page = browser_as(cast.amina).get(f"/cases/{story.case_id}?channel={story.che_channel}")

    fra = re.search(rf'channel={story.fra_channel}"[^>]*>.*?</a>', page.text, re.S)
    assert fra is not None
    assert '<span class="badge badge-unread" aria-hidden="true">3</span>' in fra.group(0)
    assert "3 unread" in fra.group(0)


def test_each_side_sets_its_own_reference_from_the_case_page(
    cast: Cast, story: Story, browser_as  # noqa: F811
):
    lea = browser_as(cast.lea)
    page = lea.get(f"/cases/{story.case_id}")
    assert 'name="reference-reference"' in page.text

    saved = lea.post(
        f"/cases/{story.case_id}/reference",
        data={"csrf_token": csrf_from(page.text), "reference-reference": "OFJ-RH-2026-17"},
    )

    assert saved.status_code == 303
    assert "OFJ-RH-2026-17" in lea.get(f"/cases/{story.case_id}").text
    assert "OFJ-RH-2026-17" in browser_as(cast.amina).get(f"/cases/{story.case_id}").text
    assert "OFJ-RH-2026-17" not in browser_as(cast.camille).get(f"/cases/{story.case_id}").text


def test_a_blank_reference_clears_it_and_a_long_one_is_refused_beside_the_field(
    cast: Cast, story: Story, browser_as  # noqa: F811
):
    lea = browser_as(cast.lea)
    token = csrf_from(lea.get(f"/cases/{story.case_id}").text)
    url = f"/cases/{story.case_id}/reference"
    lea.post(url, data={"csrf_token": token, "reference-reference": "OFJ-1"})

    too_long = lea.post(url, data={"csrf_token": token, "reference-reference": "R" * 101})
    assert too_long.status_code == 422
    assert "field-error" in too_long.text
    assert "OFJ-1" in lea.get(f"/cases/{story.case_id}").text

    cleared = lea.post(url, data={"csrf_token": token, "reference-reference": ""})
    assert cleared.status_code == 303
    assert "OFJ-1" not in lea.get(f"/cases/{story.case_id}").text


def test_someone_outside_the_case_cannot_set_a_reference(
    cast: Cast, story: Story, browser_as  # noqa: F811
):
    chen = browser_as(cast.chen)
    token = csrf_from(chen.get("/cases").text)

    response = chen.post(
        f"/cases/{story.case_id}/reference",
        data={"csrf_token": token, "reference-reference": "X-1"},
    )

    assert response.status_code == 404
