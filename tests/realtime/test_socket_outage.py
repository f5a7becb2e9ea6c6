"""While the database is away, a socket event is acknowledged with a 503, never left hanging."""

from __future__ import annotations

import pytest

from network.extensions import socketio
from tests.conftest import Cast, database_unreachable, token_for
from tests.realtime.conftest import Story

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


def test_send_is_acknowledged_with_503_while_the_database_is_away(
    app, cast: Cast, story: Story, socket_as
):
    amina = socket_as(cast.amina)
    message = {
        "channel": story.che_channel,
        "client_id": "c-1",
        "body": "Hi",
        "handling_code": "H0",
    }
    with database_unreachable(app):
        ack = amina.emit("send", message, callback=True)
    assert ack["error"]["code"] == 503
    assert ack["error"]["message"] == (
        "ARNet is temporarily unavailable. Please try again in a few moments."
    )
    assert ack["error"]["errors"] == {}

    # Once the database is back, the same send is stored (the client retries by client_id).
    assert amina.emit("send", message, callback=True)["seq"] == 1


def test_connecting_while_the_database_is_away_is_refused(app, cast: Cast):
    token = token_for(cast.lea)
    with database_unreachable(app):
        client = socketio.test_client(app, auth={"token": token})
    assert not client.is_connected()
