"""Every Socket.IO event × every outsider: refused as if the channel did not exist, and silent.

The events come from the server's registered handlers, so an event is covered the day it
is registered: its payloads must be taught in PAYLOADS (an event this file does not know
fails), unless NOT_CASE_SCOPED says why it names no channel. Each event is tried with a
payload that is not valid and with one that is; both must be refused exactly as for a
channel that does not exist, and nothing the outsider's socket receives, then or while a
member keeps talking, may carry the story's marker words.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_socketio import SocketIOTestClient

from network.extensions import socketio
from tests.conftest import built_app, make_cast, token_for
from tests.stories import OUTSIDERS, Told, tell_story

NOWHERE = 987_654

NOT_CASE_SCOPED = {
    "connect": "authentication, before any channel is named",
    "disconnect": "the socket going away",
}
# Per event: payloads naming a channel, the first one not valid (an outsider must not learn
# even that), the last one as a member would send it.
PAYLOADS: dict[str, Callable[[int], list[dict[str, Any]]]] = {
    "join": lambda channel: [{"channel": channel, "after_seq": -1}, {"channel": channel}],
    "send": lambda channel: [
        {"channel": channel},
        {"channel": channel, "client_id": "matrix-1", "body": "hello", "handling_code": "H0"},
    ],
    "read": lambda channel: [{"channel": channel}, {"channel": channel, "seq": 1}],
}


def _events() -> list[str]:
    """Every event the server has a handler for, read from a throwaway app."""
    with tempfile.TemporaryDirectory() as directory, built_app(
        f"sqlite:///{directory}/events.db", Path(directory), {}
    ):
        return sorted(socketio.server.handlers["/"])


EVENTS = _events()


@dataclass
class World:
    app: Flask
    told: Told
    outsider_token: str
    member_token: str

    def socket(self, token: str) -> SocketIOTestClient:
        return socketio.test_client(self.app, auth={"token": token})


@pytest.fixture(scope="module", params=OUTSIDERS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    directory = tmp_path_factory.mktemp("socket-matrix")
    with built_app(f"sqlite:///{directory / 'arnet.db'}", directory, {}) as app:
        told = tell_story(app, make_cast(), request.param)
        yield World(app, told, token_for(told.outsider), token_for(told.member))


def _assert_silent(told: Told, what: str, received: Any) -> None:
    text = json.dumps(received, default=str, ensure_ascii=False).lower()
    for mark in told.marks:
        assert mark.lower() not in text, f"{told.role} read {mark!r} in {what}: {text[:400]}"


@pytest.mark.parametrize("event", EVENTS)
def test_socket_outsiders_learn_nothing_of_the_case(world: World, event: str) -> None:
    told = world.told
    outsider = world.socket(world.outsider_token)
    try:
        assert outsider.is_connected()
        if event in NOT_CASE_SCOPED:
            _assert_silent(told, f"what a socket gets on {event}", outsider.get_received())
            return
        if event not in PAYLOADS:
            pytest.fail(
                f"the socket event {event!r} is not known to this matrix: add its payloads to "
                "PAYLOADS (or say in NOT_CASE_SCOPED why it names no channel) in "
                "tests/realtime/test_socket_matrix.py"
            )
        for payload in PAYLOADS[event](int(told.ids["channel_id"])):
            answer = outsider.emit(event, payload, callback=True)
            absent = outsider.emit(event, {**payload, "channel": NOWHERE}, callback=True)
            assert answer.get("error", {}).get("code") == 404, (event, payload, answer)
            assert answer == absent, (event, payload, answer, absent)
            _assert_silent(told, f"the answer to {event} {payload}", answer)
        member = world.socket(world.member_token)
        sent = member.emit(
            "send",
            {
                "channel": told.ids["channel_id"],
                "client_id": f"matrix-{event}",
                "body": "Quillfeather: still talking",
                "handling_code": "H0",
            },
            callback=True,
        )
        assert "seq" in sent, sent
        member.disconnect()
        _assert_silent(told, f"what its socket got after {event}", outsider.get_received())
    finally:
        if outsider.is_connected():
            outsider.disconnect()
