"""The SQL statements of one Socket.IO send, pinned: a send must not grow more of them.

Counted as the driver receives them, after a first send has warmed the process
(the socket's identity, the channel's data key), on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, select

from network.extensions import db
from network.messages.models import Message
from network.sealing import keystore
from network.sealing.models import DataKey
from network.wiring import reload_keyring
from tests.conftest import Cast
from tests.realtime.conftest import Story

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


@contextmanager
def counted(app: Flask) -> Iterator[list[str]]:
    """The SQL statements run inside the block, as the driver receives them."""
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def send(client: Any, channel: int, client_id: str, body: str) -> Any:
    payload = {"channel": channel, "client_id": client_id, "body": body, "handling_code": "H0"}
    return client.emit("send", payload, callback=True)


def test_a_send_runs_a_fixed_number_of_statements(
    app: Flask, cast: Cast, story: Story, socket_as: Any
) -> None:
    amina = socket_as(cast.amina)
    send(amina, story.che_channel, "m-0", "Warm-up")
    with counted(app) as seen:
        answer = send(amina, story.che_channel, "m-1", "Is dual criminality required?")

    assert answer["created"] is True
    # The actor's credential (one Core statement; the user is kept per socket), the channel
    # with the membership, the seq, the message (inserted unless its client_id was used, no
    # read before), the audit chain's tail with its lock (one round trip on PostgreSQL; on
    # SQLite the seq's update already holds the write lock) and its record. Not the channel's
    # data key: the process keeps it. Was 9 with both reads, then 7.
    assert len(seen) == 6, "\n".join(seen)
    assert not [each for each in seen if "WHERE 0 = 1" in each or "WHERE false" in each]
    assert [each for each in seen if "FROM users" in each] == [seen[0]]
    assert "users.email" not in seen[0]
    assert not [each for each in seen if "data_keys" in each]
    assert [each for each in seen if "FROM messages" in each or "INTO messages" in each] == [
        next(each for each in seen if each.startswith("INSERT INTO messages"))
    ]


def test_a_retried_send_answers_the_stored_message_and_gives_its_seq_back(
    app: Flask, cast: Cast, story: Story, socket_as: Any
) -> None:
    amina = socket_as(cast.amina)
    first = send(amina, story.che_channel, "m-1", "Once only")
    with counted(app) as seen:
        again = send(amina, story.che_channel, "m-1", "Once only")
    clash = send(amina, story.che_channel, "m-1", "Something else")
    after = send(amina, story.che_channel, "m-2", "Next")

    assert again == {"seq": first["seq"], "id": first["id"], "created": False}
    # The actor, the channel, the seq taken, the insert that found the client_id used, the
    # seq given back, the stored message and its attachments read to compare; no audit record.
    # One more than the read-first send had (6): retries are rare, new messages are not.
    assert len(seen) == 7, "\n".join(seen)
    assert clash["error"]["code"] == 409
    assert after["seq"] == first["seq"] + 1
    stored = db.session.scalars(
        select(Message.client_id).where(Message.channel_id == story.che_channel)
    ).all()
    assert sorted(stored) == ["m-1", "m-2"]


def test_a_second_send_does_not_unwrap_the_channel_key_again(
    cast: Cast, story: Story, socket_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    unwrapped: list[int] = []
    real_unwrap = keystore.unwrap

    def counting(row: DataKey) -> bytes:
        unwrapped.append(row.id)
        return real_unwrap(row)

    monkeypatch.setattr(keystore, "unwrap", counting)
    reload_keyring()  # the process starts with no key kept
    amina = socket_as(cast.amina)
    send(amina, story.che_channel, "m-1", "First")
    assert len(unwrapped) == 1
    send(amina, story.che_channel, "m-2", "Second")
    assert len(unwrapped) == 1

    reload_keyring()  # a rotation seen: every kept key is forgotten
    send(amina, story.che_channel, "m-3", "After the rotation")
    assert len(unwrapped) == 2
    stored = db.session.scalars(
        select(Message).where(Message.channel_id == story.che_channel).order_by(Message.seq)
    ).all()
    assert [each.body for each in stored] == ["First", "Second", "After the rotation"]
