"""join, send and read over Socket.IO: order, idempotency, receipts, bad input, revocation."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from network.auth.enrolment import reset_sign_in
from network.auth.tokens import active_tokens, revoke_token
from network.cases import service as cases
from network.core import clock
from network.extensions import db
from network.realtime.sweeper import sweep_once
from tests.conftest import Cast, csrf_from
from tests.realtime.conftest import Story, received


def send(client: Any, channel: int, client_id: str, body: str, code: str | None = "H0") -> Any:
    payload: dict[str, Any] = {"channel": channel, "client_id": client_id, "body": body}
    if code is not None:
        payload["handling_code"] = code
    return client.emit("send", payload, callback=True)


def test_send_is_acknowledged_with_consecutive_seqs(cast: Cast, story: Story, socket_as):
    amina = socket_as(cast.amina)

    first = send(amina, story.che_channel, "m-1", "Is dual criminality required?")
    second = send(amina, story.che_channel, "m-2", "And for NCB forfeiture?")

    assert (first["seq"], second["seq"]) == (1, 2)
    assert first["created"] is True


def test_a_retried_send_returns_the_same_seq_and_stores_once(cast: Cast, story: Story, socket_as):
    amina = socket_as(cast.amina)

    first = send(amina, story.che_channel, "m-1", "Once only")
    again = send(amina, story.che_channel, "m-1", "Once only")
    listed = amina.emit("join", {"channel": story.che_channel, "after_seq": 0}, callback=True)

    assert again["seq"] == first["seq"]
    assert again["created"] is False
    assert [m["body"] for m in listed["messages"]] == ["Once only"]


def test_a_client_id_reused_for_other_content_is_a_conflict(cast: Cast, story: Story, socket_as):
    amina = socket_as(cast.amina)
    send(amina, story.che_channel, "m-1", "Original")

    clash = send(amina, story.che_channel, "m-1", "Something else")

    assert clash["error"]["code"] == 409


def test_members_receive_new_messages_live_with_their_handling_code(
    cast: Cast, story: Story, socket_as
):
    lea = socket_as(cast.lea)
    lea.emit("join", {"channel": story.che_channel, "after_seq": 0}, callback=True)
    amina = socket_as(cast.amina)

    send(amina, story.che_channel, "m-1", "Freeze before Friday", "H2")

    (message,) = received(lea, "message")
    assert message["body"] == "Freeze before Friday"
    assert message["handling_code"] == "H2"
    assert message["seq"] == 1
    assert message["sender"]["name"] == cast.amina.name


def test_join_returns_what_was_missed_in_order_after_the_given_seq(
    cast: Cast, story: Story, socket_as
):
    amina = socket_as(cast.amina)
    for number in range(1, 6):
        send(amina, story.che_channel, f"m-{number}", f"message {number}")
    lea = socket_as(cast.lea)

    answer = lea.emit("join", {"channel": story.che_channel, "after_seq": 2}, callback=True)

    assert [m["seq"] for m in answer["messages"]] == [3, 4, 5]
    assert answer["more"] is False


def test_reading_moves_the_position_and_tells_the_others(cast: Cast, story: Story, socket_as):
    amina = socket_as(cast.amina)
    amina.emit("join", {"channel": story.che_channel, "after_seq": 0}, callback=True)
    send(amina, story.che_channel, "m-1", "Please confirm")
    amina.get_received()
    lea = socket_as(cast.lea)

    answer = lea.emit("read", {"channel": story.che_channel, "seq": 1}, callback=True)

    assert answer == {"channel": story.che_channel, "seq": 1}
    (receipt,) = received(amina, "receipt")
    assert receipt["user"]["name"] == cast.lea.name
    assert receipt["seq"] == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"client_id": "x-1", "body": "no code"}, "handling_code"),
        ({"client_id": "x-1", "body": "bad code", "handling_code": "H9"}, "handling_code"),
        ({"client_id": "x-1", "body": "   ", "handling_code": "H0"}, "body"),
        ({"client_id": "x-1", "body": "x" * (64 * 1024 + 1), "handling_code": "H0"}, "body"),
        ({"client_id": "", "body": "no id", "handling_code": "H0"}, "client_id"),
        ({"client_id": "x-1", "body": "extra", "handling_code": "H0", "room": "x"}, "room"),
    ],
)
def test_bad_messages_are_refused_with_the_field_named_and_nothing_stored(
    cast: Cast, story: Story, socket_as, payload: dict[str, Any], field: str
):
    amina = socket_as(cast.amina)

    answer = amina.emit("send", {"channel": story.che_channel, **payload}, callback=True)
    listed = amina.emit("join", {"channel": story.che_channel, "after_seq": 0}, callback=True)

    assert answer["error"]["code"] == 422
    assert field in answer["error"]["errors"]
    assert listed["messages"] == []


@pytest.mark.parametrize("payload", [None, "text", [1, 2], {"channel": "7"}, {"channel": -1}])
def test_malformed_event_arguments_are_refused_not_crashed_on(
    cast: Cast, story: Story, socket_as, payload: Any
):
    amina = socket_as(cast.amina)

    answer = amina.emit("join", payload, callback=True)

    assert answer["error"]["code"] == 422


def test_removal_from_the_team_stops_live_delivery_at_once(cast: Cast, story: Story, socket_as):
    cases.add_team_member(cast.amina, story.case_id, cast.yao.id, clock.now())
    db.session.commit()
    yao = socket_as(cast.yao)
    yao.emit("join", {"channel": story.che_channel, "after_seq": 0}, callback=True)
    cases.remove_team_member(cast.amina, story.case_id, cast.yao.id, clock.now())
    db.session.commit()
    amina = socket_as(cast.amina)

    send(amina, story.che_channel, "m-1", "Not for Yao any more")
    events = [each["name"] for each in yao.get_received()]
    refused = yao.emit("read", {"channel": story.che_channel, "seq": 1}, callback=True)

    assert "message" not in events
    assert "removed" in events
    assert refused["error"]["code"] == 404


def test_removal_made_by_another_process_is_applied_by_the_sweeper(
    app: Flask, cast: Cast, story: Story, socket_as
):
    lea = socket_as(cast.lea)
    lea.emit("join", {"channel": story.che_channel, "after_seq": 0}, callback=True)
    # Another process ended the seat: this one learns it only from the database.
    from network.cases.access import current_membership

    seat = current_membership(cast.lea.id, story.che_channel)
    seat.removed_at = clock.now()
    db.session.commit()

    sweep_once(app)
    send(socket_as(cast.amina), story.che_channel, "m-1", "After the removal")

    names = [each["name"] for each in lea.get_received()]
    assert "removed" in names
    assert "message" not in names


def test_signing_out_disconnects_that_browsers_sockets(
    app: Flask, cast: Cast, story: Story, browser_as, socket_of
):
    browser = browser_as(cast.lea)
    socket = socket_of(browser)
    assert socket.is_connected()
    page = browser.get("/")

    browser.post("/auth/sign-out", data={"csrf_token": csrf_from(page.text)})
    sweep_once(app)

    assert not socket.is_connected()


def test_a_signed_out_session_cannot_send_even_before_the_sweep(
    cast: Cast, story: Story, browser_as, socket_of
):
    browser = browser_as(cast.amina)
    socket = socket_of(browser)
    page = browser.get("/")
    browser.post("/auth/sign-out", data={"csrf_token": csrf_from(page.text)})

    answer = send(socket, story.che_channel, "m-1", "after sign-out")

    assert answer["error"]["code"] == 401
    assert not socket.is_connected()


def test_deactivating_a_user_disconnects_their_sockets(
    app: Flask, cast: Cast, story: Story, socket_as
):
    lea = socket_as(cast.lea)
    cast.lea.active = False
    db.session.commit()

    sweep_once(app)

    assert not lea.is_connected()


def test_revoking_the_token_disconnects_the_socket_opened_with_it(
    app: Flask, cast: Cast, story: Story, socket_as
):
    lea = socket_as(cast.lea)
    for token in active_tokens(cast.lea, now=clock.now()):
        revoke_token(cast.lea, token.id, now=clock.now())
    db.session.commit()

    sweep_once(app)

    assert not lea.is_connected()


def test_a_sign_in_reset_disconnects_every_socket_of_the_user(
    app: Flask, cast: Cast, story: Story, socket_as, browser_as, socket_of
):
    by_token = socket_as(cast.amina)
    by_cookie = socket_of(browser_as(cast.amina))
    reset_sign_in(cast.yao, cast.amina.id, now=clock.now(), valid_hours=72)
    db.session.commit()

    sweep_once(app)

    assert not by_token.is_connected()
    assert not by_cookie.is_connected()
