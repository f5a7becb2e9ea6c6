"""A socket opened by a browser follows its session: idle limit, absolute lifetime, sign-out.

Activity is what the user does over the socket (join, send, read); what the server pushes
to it is not. The clock is frozen and moved by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from flask import Flask

from network.auth.models import UserSession
from network.core import clock
from network.extensions import db
from network.realtime.sweeper import sweep_once
from tests.conftest import Cast, csrf_from
from tests.realtime.conftest import Story
from tests.realtime.test_socket_events import send

# The sweeper's rule is a query: it must hold on both engines.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return {"SESSION_IDLE_MINUTES": 1, "SESSION_ABSOLUTE_HOURS": 1}


@pytest.fixture
def traveller() -> Iterator[Any]:
    with time_machine.travel(clock.now(), tick=False) as moving:
        yield moving


def join(socket: Any, channel: int) -> Any:
    return socket.emit("join", {"channel": channel, "after_seq": 0}, callback=True)


def last_seen(session_id: int) -> Any:
    db.session.expire_all()
    return db.session.get(UserSession, session_id).last_seen_at


def test_a_socket_idle_longer_than_its_session_allows_is_dropped(
    app: Flask, cast: Cast, story: Story, browser_as, socket_of, traveller
):
    socket = socket_of(browser_as(cast.lea))
    assert "messages" in join(socket, story.che_channel)

    traveller.shift(timedelta(seconds=80))
    sweep_once(app)

    assert not socket.is_connected()


def test_an_idle_socket_cannot_send_even_before_the_sweep(
    cast: Cast, story: Story, browser_as, socket_of, traveller
):
    socket = socket_of(browser_as(cast.amina))

    traveller.shift(timedelta(seconds=80))
    answer = send(socket, story.che_channel, "m-1", "after 80 idle seconds")

    assert answer["error"]["code"] == 401
    assert not socket.is_connected()


def test_acting_over_the_socket_keeps_its_session_alive(
    app: Flask, cast: Cast, story: Story, browser_as, socket_of, traveller
):
    browser = browser_as(cast.amina)
    socket = socket_of(browser)

    traveller.shift(timedelta(seconds=40))
    assert "seq" in send(socket, story.che_channel, "m-1", "still here")
    traveller.shift(timedelta(seconds=40))  # 80 s since sign-in, 40 s since the send
    sweep_once(app)

    assert socket.is_connected()
    assert browser.get("/account").status_code == 200  # the page session lives on too
    traveller.shift(timedelta(seconds=61))
    sweep_once(app)
    assert not socket.is_connected()


def test_receiving_messages_is_not_activity(
    app: Flask, cast: Cast, story: Story, browser_as, socket_of, socket_as, traveller
):
    lea = socket_of(browser_as(cast.lea))
    join(lea, story.che_channel)
    amina = socket_as(cast.amina)  # a program with a token: tokens do not idle out

    for number in range(3):  # a message every 20 s for a minute
        traveller.shift(timedelta(seconds=20))
        send(amina, story.che_channel, f"m-{number}", "Are you there?")
        sweep_once(app)
    names = [each["name"] for each in lea.get_received()]
    traveller.shift(timedelta(seconds=20))
    sweep_once(app)

    assert names.count("message") == 3  # she was sent every message while connected ...
    assert not lea.is_connected()  # ... and still idled out once a minute had passed
    assert amina.is_connected()


def test_socket_activity_is_written_to_the_session_at_most_once_per_interval(
    cast: Cast, story: Story, browser_as, socket_of, traveller
):
    browser = browser_as(cast.amina)
    session_id = db.session.query(UserSession.id).filter_by(user_id=cast.amina.id).scalar()
    socket = socket_of(browser)

    traveller.shift(timedelta(seconds=5))
    join(socket, story.che_channel)
    first = last_seen(session_id)
    traveller.shift(timedelta(seconds=5))
    join(socket, story.che_channel)
    send(socket, story.che_channel, "m-1", "quick succession")
    unchanged = last_seen(session_id)
    traveller.shift(timedelta(seconds=15))  # a quarter of the one-minute idle limit
    join(socket, story.che_channel)

    assert unchanged == first
    assert last_seen(session_id) - first == timedelta(seconds=20)


def test_an_active_socket_still_ends_with_its_sessions_absolute_lifetime(
    app: Flask, cast: Cast, story: Story, browser_as, socket_of, traveller
):
    socket = socket_of(browser_as(cast.amina))

    for _ in range(89):  # acting every 40 s for 59 minutes 20 seconds
        traveller.shift(timedelta(seconds=40))
        join(socket, story.che_channel)
    sweep_once(app)

    assert socket.is_connected()
    traveller.shift(timedelta(seconds=45))  # an hour and 5 s after sign-in, 45 s idle
    sweep_once(app)
    assert not socket.is_connected()


def test_signing_out_everywhere_drops_sockets_opened_with_tokens_too(
    app: Flask, cast: Cast, story: Story, browser_as, socket_as
):
    program = socket_as(cast.amina)
    browser = browser_as(cast.amina)
    page = browser.get("/account")

    browser.post("/account/sessions/end-all", data={"csrf_token": csrf_from(page.text)})
    sweep_once(app)

    assert not program.is_connected()
