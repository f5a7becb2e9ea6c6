"""A numbered stream through a Redis restart and a database outage: nothing lost, nothing twice.

Two server processes joined by a Redis of the test's own, on a PostgreSQL database of the
test's own. Three senders on the first process number their messages and send each until it
is acknowledged, always with the same client_id; a live receiver sits on the second. Mid-
stream Redis is killed and started again, then the database refuses every connection for a
few seconds (``ALLOW_CONNECTIONS false`` and its backends terminated: the machine's
PostgreSQL server is shared, so only this test's database goes away).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
import requests
import socketio
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import POSTGRES_URL
from tests.system.harness import (
    ChannelClient,
    Person,
    RedisProcess,
    ServerProcess,
    Site,
    wait_until,
)
from tests.system.test_live_delivery import open_case, stored_bodies

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]

SENDERS = 3
PER_SENDER = 40
PAUSE = 0.2  # between one sender's messages, so the stream spans both outages
OUTAGE_SECONDS = 3.0
STREAM_TIMEOUT = 100.0


class Sender(threading.Thread):
    """Sends ``label 1`` .. ``label n`` in order, each until acknowledged, with one client_id."""

    def __init__(self, label: str) -> None:
        super().__init__(daemon=True)
        self.label = label
        self.acknowledged: dict[int, int] = {}  # number -> seq
        self.refusals: list[Any] = []  # every answer that was not an acknowledgement
        self.failure: BaseException | None = None

    def run(self) -> None:
        try:
            for number in range(1, PER_SENDER + 1):
                seq = None
                while seq is None:
                    seq = self.attempt(f"{self.label}-{number}", f"{self.label} {number}")
                self.acknowledged[number] = seq
                time.sleep(PAUSE)
        except BaseException as error:  # reported by the test, not lost in a thread
            self.failure = error

    def attempt(self, client_id: str, body: str) -> int | None:
        """The seq acknowledged, or None (after a pause) to send the same client_id again."""
        raise NotImplementedError


class SocketSender(Sender):
    def __init__(self, client: ChannelClient, label: str) -> None:
        super().__init__(label)
        self.client = client

    def attempt(self, client_id: str, body: str) -> int | None:
        try:
            answer = self.client.send(client_id, body)
        except (socketio.exceptions.SocketIOError, OSError):
            answer = None  # no answer: a dropped connection, or a timeout
        if isinstance(answer, dict) and isinstance(answer.get("seq"), int):
            return int(answer["seq"])
        if answer is not None:
            self.refusals.append(answer)
        time.sleep(0.2)
        return None


class RestSender(Sender):
    """The same over REST, as a State's own program would send."""

    def __init__(self, server: ServerProcess, person: Person, channel_id: int, label: str) -> None:
        super().__init__(label)
        self.url = f"{server.url}/api/v1/channels/{channel_id}/messages"
        self.headers = person.headers

    def attempt(self, client_id: str, body: str) -> int | None:
        sent = {"client_id": client_id, "body": body, "handling_code": "H0"}
        try:
            response = requests.post(self.url, json=sent, headers=self.headers, timeout=10)
        except requests.RequestException:
            response = None
        if response is not None and response.status_code in (200, 201):
            return int(response.json()["seq"])
        if response is not None:
            self.refusals.append(response)
        time.sleep(0.2)
        return None


def database_outage(site: Site, seconds: float) -> None:
    """Refuse every connection to this test's database for ``seconds``, cutting those open."""
    name = make_url(site.database_url).database
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false'))
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
            time.sleep(seconds)
            connection.execute(text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true'))
    finally:
        admin.dispose()


def test_a_numbered_stream_survives_a_redis_restart_and_a_database_outage(
    postgres_site: Site, own_redis: RedisProcess, start_server: Callable[..., ServerProcess]
):
    postgres_site.redis_url = own_redis.url
    postgres_site.settings = {"ARNET_MESSAGE_SEND_LIMIT": "10000/minute"}
    one = start_server(postgres_site, "one")
    two = start_server(postgres_site, "two")
    parties = open_case(postgres_site, one)
    channel = parties.channel_id
    receiver = ChannelClient(two.url, parties.lea.token, channel)
    clients = [ChannelClient(one.url, parties.amina.token, channel) for _ in range(SENDERS)]
    senders: list[Sender] = [
        SocketSender(client, f"sender{k}") for k, client in enumerate(clients, start=1)
    ]
    senders.append(RestSender(one, parties.amina, channel, "rest"))
    try:
        for client in [receiver, *clients]:
            client.connect()
        for sender in senders:
            sender.start()
        total = len(senders) * PER_SENDER

        def sent_by_each(count: int) -> Callable[[], bool]:
            return lambda: all(len(sender.acknowledged) >= count for sender in senders)

        wait_until(sent_by_each(PER_SENDER // 4), STREAM_TIMEOUT, "the stream")
        assert all(len(sender.acknowledged) < PER_SENDER for sender in senders)  # mid-stream
        own_redis.stop()
        time.sleep(OUTAGE_SECONDS)
        own_redis.start()
        wait_until(sent_by_each(PER_SENDER // 2), STREAM_TIMEOUT, "the stream again")
        assert all(len(sender.acknowledged) < PER_SENDER for sender in senders)
        database_outage(postgres_site, OUTAGE_SECONDS)

        for sender in senders:
            sender.join(STREAM_TIMEOUT)
            assert not sender.is_alive(), f"{sender.label} did not finish"
            assert sender.failure is None, sender.failure
        # Every live receiver ends with every seq, each once, with no action of its own.
        wait_until(lambda: len(receiver.held) == total, STREAM_TIMEOUT, "the receiver")
    finally:
        for client in [receiver, *clients]:
            client.close()

    stored = stored_bodies(two, parties.lea, channel)
    assert [seq for seq, _ in stored] == list(range(1, total + 1))
    seq_of = {body: seq for seq, body in stored}
    assert len(seq_of) == total  # each message stored once
    for sender in senders:
        # Stored in the order sent, at the seq its acknowledgement named.
        assert sender.acknowledged == {
            n: seq_of[f"{sender.label} {n}"] for n in range(1, PER_SENDER + 1)
        }
        assert list(sender.acknowledged.values()) == sorted(sender.acknowledged.values())
    for sender in senders:
        for refusal in sender.refusals:  # an outage answers an error, never a bare failure
            if isinstance(refusal, requests.Response):
                assert refusal.status_code == 503, refusal.text
                assert refusal.headers["Retry-After"].isdigit()
                assert refusal.json()["reason"] == "service_unavailable", refusal.text
            else:
                assert refusal["error"]["code"] == 503, refusal
                assert refusal["error"]["reason"] == "service_unavailable"
                assert refusal["error"]["message"]
    assert receiver.seqs() == list(range(1, total + 1))
    assert [m["body"] for m in receiver.held] == [body for _, body in stored]
