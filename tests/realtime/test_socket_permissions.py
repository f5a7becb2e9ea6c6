"""Each Socket.IO event refuses outsiders as if the channel did not exist, and serves members."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Cast
from tests.realtime.conftest import Story

OUTSIDERS = {
    "uninvolved State": "chen",
    "uninvited observer": "observer",
    "removed member": "yao",
    "network administrator": "secretariat",
    "other requested State": "camille",
}


def event_payload(event: str, channel: int) -> dict[str, Any]:
    return {
        "join": {"channel": channel, "after_seq": 0},
        "send": {"channel": channel, "client_id": "c-1", "body": "hello", "handling_code": "H0"},
        "read": {"channel": channel, "seq": 0},
    }[event]


@pytest.mark.parametrize("event", ["join", "send", "read"])
@pytest.mark.parametrize("who", list(OUTSIDERS))
def test_outsiders_are_refused_on_the_channel_as_if_it_did_not_exist(
    cast: Cast, story: Story, socket_as, event: str, who: str
):
    client = socket_as(getattr(cast, OUTSIDERS[who]))

    refused = client.emit(event, event_payload(event, story.che_channel), callback=True)
    unknown = client.emit(event, event_payload(event, 999_999), callback=True)

    assert refused["error"]["code"] == 404
    assert refused == unknown


@pytest.mark.parametrize("event", ["join", "send", "read"])
@pytest.mark.parametrize("who", ["amina", "lea"])
def test_members_of_both_sides_are_served(
    cast: Cast, story: Story, socket_as, event: str, who: str
):
    client = socket_as(getattr(cast, who))

    answer = client.emit(event, event_payload(event, story.che_channel), callback=True)

    assert "error" not in answer


def test_an_outsider_gets_no_live_message_from_the_channel(cast: Cast, story: Story, socket_as):
    chen = socket_as(cast.chen)
    chen.emit("join", {"channel": story.che_channel, "after_seq": 0}, callback=True)
    amina = socket_as(cast.amina)

    amina.emit("send", event_payload("send", story.che_channel), callback=True)

    assert [e for e in chen.get_received() if e["name"] == "message"] == []


def test_the_other_requested_state_never_hears_this_channel(cast: Cast, story: Story, socket_as):
    camille = socket_as(cast.camille)
    camille.emit("join", {"channel": story.fra_channel, "after_seq": 0}, callback=True)
    camille.get_received()
    amina = socket_as(cast.amina)

    amina.emit("send", event_payload("send", story.che_channel), callback=True)

    assert [e for e in camille.get_received() if e["name"] == "message"] == []


def test_a_connection_without_credentials_is_refused(app):
    from network.extensions import socketio

    client = socketio.test_client(app)

    assert not client.is_connected()


def test_a_connection_with_an_unknown_token_is_refused(app):
    from network.extensions import socketio

    client = socketio.test_client(app, auth={"token": "arnet_forged"})

    assert not client.is_connected()


def test_a_signed_in_browser_connects_with_its_session_cookie(
    cast: Cast, story: Story, browser_as, socket_of
):
    client = socket_of(browser_as(cast.lea))

    answer = client.emit("join", {"channel": story.che_channel, "after_seq": 0}, callback=True)

    assert client.is_connected()
    assert answer["messages"] == []
