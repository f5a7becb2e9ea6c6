"""A case story for the socket tests, and Socket.IO test clients acting for named users."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_socketio import SocketIOTestClient

from network.cases import listing, opening, team
from network.core import clock
from network.extensions import db, socketio
from tests.conftest import Cast, token_for


@dataclass
class Story:
    """Aminata (CIV) asks Switzerland (Léa) and France (Camille); Yao was on the team, then left."""

    case_id: int
    che_channel: int
    fra_channel: int


@pytest.fixture
def story(cast: Cast) -> Story:
    case = opening.open_case(
        cast.amina,
        title="Villa in Geneva",
        summary="Proceeds of embezzlement",
        reference="CIV-2026-1",
        requested_states=["CHE", "FRA"],
        counterparts=[cast.lea.id, cast.camille.id],
        now=clock.now(),
    )
    db.session.flush()
    team.add_team_member(cast.amina, case.id, cast.yao.id, clock.now())
    team.remove_team_member(cast.amina, case.id, cast.yao.id, clock.now())
    view = listing.case_view(cast.amina, case.id)
    db.session.commit()
    by_state = {each.requested_state: each.id for each in view.channels}
    return Story(case_id=case.id, che_channel=by_state["CHE"], fra_channel=by_state["FRA"])


@pytest.fixture
def socket_as(app: Flask) -> Any:
    """``socket_as(cast.lea)``: a connected Socket.IO test client authenticated by token."""
    made: list[SocketIOTestClient] = []

    def make(user: Any) -> SocketIOTestClient:
        client = socketio.test_client(app, auth={"token": token_for(user)})
        made.append(client)
        return client

    yield make
    for client in made:
        if client.is_connected():
            client.disconnect()


@pytest.fixture
def socket_of(app: Flask) -> Any:
    """``socket_of(browser)``: a Socket.IO test client carrying a signed-in browser's cookie."""
    made: list[SocketIOTestClient] = []

    def make(browser: FlaskClient) -> SocketIOTestClient:
        client = socketio.test_client(app, flask_test_client=browser)
        made.append(client)
        return client

    yield make
    for client in made:
        if client.is_connected():
            client.disconnect()


def received(client: SocketIOTestClient, name: str) -> list[Any]:
    """The arguments of every ``name`` event the client got since last asked."""
    events = [each["args"] for each in client.get_received() if each["name"] == name]
    # The test client unwraps a lone dict argument but keeps other arguments in a list.
    return [args if isinstance(args, dict) else args[0] for args in events]
