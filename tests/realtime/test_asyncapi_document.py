"""The AsyncAPI document describes every Socket.IO event a server handles or emits, as sent."""

from __future__ import annotations

from typing import Any

from network.cases import team
from network.core import clock
from network.extensions import db, socketio
from tests.conftest import Cast
from tests.realtime.conftest import Story


def _document(client: Any) -> dict[str, Any]:
    answer = client.get("/api/v1/asyncapi.json")  # public, as the OpenAPI document is
    assert answer.status_code == 200
    document = answer.get_json()
    assert document["asyncapi"] == "3.0.0"
    return document


def _documented_fields(document: dict[str, Any], event: str, message: str) -> set[str]:
    return set(document["channels"][event]["messages"][message]["payload"]["properties"])


def test_every_event_a_client_may_emit_is_documented_with_its_answers(client: Any) -> None:
    document = _document(client)
    handled = set(socketio.server.handlers["/"]) - {"connect", "disconnect"}
    received = {
        name
        for name, operation in document["operations"].items()
        if operation["action"] == "receive"
    }
    assert handled == received
    for event in handled:
        messages = document["channels"][event]["messages"]
        assert {f"{event}_ack", f"{event}_refused"} <= set(messages)


def test_every_event_a_socket_receives_in_a_story_is_documented_as_sent(
    client: Any, cast: Cast, story: Story, socket_as: Any
) -> None:
    document = _document(client)
    sent = {name for name, op in document["operations"].items() if op["action"] == "send"}
    yao, lea, amina = socket_as(cast.yao), socket_as(cast.lea), socket_as(cast.amina)
    lea.emit("join", {"channel": story.che_channel, "after_seq": 0}, callback=True)
    team.add_team_member(cast.amina, story.case_id, cast.yao.id, clock.now())
    db.session.commit()
    yao.emit("join", {"channel": story.che_channel, "after_seq": 0}, callback=True)
    acknowledged = amina.emit(
        "send",
        {"channel": story.che_channel, "client_id": "m-1", "body": "Hello", "handling_code": "H0"},
        callback=True,
    )
    assert set(acknowledged) <= _documented_fields(document, "send", "send_ack")
    read = lea.emit("read", {"channel": story.che_channel, "seq": 1}, callback=True)
    assert set(read) <= _documented_fields(document, "read", "read_ack")
    team.remove_team_member(cast.amina, story.case_id, cast.yao.id, clock.now())
    db.session.commit()

    received = [each for socket in (yao, lea, amina) for each in socket.get_received()]
    names = {each["name"] for each in received}
    assert {"message", "receipt", "removed"} <= names
    assert names <= sent, names - sent
    for each in received:
        # The test client gives one argument as is, several as a list.
        payload = each["args"][0] if isinstance(each["args"], list) else each["args"]
        assert set(payload) <= _documented_fields(document, each["name"], each["name"]), each
