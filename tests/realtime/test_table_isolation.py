"""Socket.IO at a multilateral table: a declined or pending State cannot join or hear it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Cast
from tests.realtime.conftest import received
from tests.stories import TableStory, table_story

SECRET = "Quillfeather at the table"


@pytest.fixture
def told(cast: Cast) -> TableStory:
    return table_story(cast)


def _send(channel: int) -> dict[str, Any]:
    return {"channel": channel, "client_id": "t-1", "body": SECRET, "handling_code": "H0"}


@pytest.mark.parametrize("who", ["camille", "chen"])
@pytest.mark.parametrize("event", ["join", "send", "read"])
def test_a_declined_or_pending_state_is_refused_as_if_the_table_did_not_exist(
    cast: Cast, told: TableStory, socket_as: Any, who: str, event: str
) -> None:
    client = socket_as(getattr(cast, who))
    payload = {
        "join": lambda c: {"channel": c, "after_seq": 0},
        "send": _send,
        "read": lambda c: {"channel": c, "seq": 0},
    }[event]

    refused = client.emit(event, payload(told.table.id), callback=True)
    unknown = client.emit(event, payload(999_999), callback=True)

    assert refused["error"]["code"] == 404
    assert refused == unknown


@pytest.mark.parametrize("who", ["camille", "chen"])
def test_a_declined_or_pending_state_hears_nothing_said_at_the_table(
    cast: Cast, told: TableStory, socket_as: Any, who: str
) -> None:
    outsider = socket_as(getattr(cast, who))
    own = told.bilateral[getattr(cast, who).state_code].id
    outsider.emit("join", {"channel": own, "after_seq": 0}, callback=True)
    outsider.emit("join", {"channel": told.table.id, "after_seq": 0}, callback=True)
    outsider.get_received()
    lea = socket_as(cast.lea)
    lea.emit("join", {"channel": told.table.id, "after_seq": 0}, callback=True)
    lea.get_received()

    sent = socket_as(cast.amina).emit("send", _send(told.table.id), callback=True)

    assert "seq" in sent, sent
    assert [each["body"] for each in received(lea, "message")] == [SECRET]
    assert SECRET not in str(outsider.get_received())
