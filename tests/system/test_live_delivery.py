"""Live delivery across real server processes joined by Redis, through outages and crashes.

Each test starts ``python wsgi.py`` processes on loopback ports against a PostgreSQL
database of its own, creates people with the CLI and the case over REST, and talks to
the servers with python-socketio clients holding personal access tokens.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import requests
import socketio

from tests.system.harness import (
    ChannelClient,
    Person,
    RedisProcess,
    ServerProcess,
    Site,
    make_person,
    wait_until,
)

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

DELIVERY_TIMEOUT = 30.0
RECOVERY_TIMEOUT = 90.0


@dataclass
class Parties:
    amina: Person  # Côte d'Ivoire, the requesting State
    lea: Person  # Switzerland, the requested State
    channel_id: int


def open_case(site: Site, server: ServerProcess) -> Parties:
    amina = make_person(site, "amina@civ.example", "Aminata Koné", "practitioner", "CIV")
    lea = make_person(site, "lea@che.example", "Léa Müller", "practitioner", "CHE")
    response = requests.post(
        f"{server.url}/api/v1/cases",
        json={
            "title": "Villa in Geneva",
            "summary": "Proceeds of embezzlement",
            "reference": "CIV-2026-7",
            "requested_states": ["CHE"],
            "counterparts": [lea.user_id],
        },
        headers=amina.headers,
        timeout=10,
    )
    assert response.status_code == 201, response.text
    (channel,) = response.json()["channels"]
    return Parties(amina=amina, lea=lea, channel_id=channel["id"])


def stored_bodies(server: ServerProcess, person: Person, channel_id: int) -> list[tuple[int, str]]:
    """What the database holds, read over REST: (seq, body) in seq order."""
    response = requests.get(
        f"{server.url}/api/v1/channels/{channel_id}/messages",
        params={"after_seq": 0, "limit": 500},
        headers=person.headers,
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return [(m["seq"], m["body"]) for m in response.json()["items"]]


@pytest.mark.redis
def test_messages_flow_both_ways_between_two_processes_in_order_without_loss_or_repeats(
    postgres_site: Site, shared_redis_url: str, start_server: Callable[..., ServerProcess]
):
    postgres_site.redis_url = shared_redis_url
    one = start_server(postgres_site, "one")
    two = start_server(postgres_site, "two")
    parties = open_case(postgres_site, one)
    amina = ChannelClient(one.url, parties.amina.token, parties.channel_id)
    lea = ChannelClient(two.url, parties.lea.token, parties.channel_id)
    try:
        amina.connect()
        lea.connect()
        expected: list[str] = []
        for number in range(1, 16):
            for sender, name in ((amina, "amina"), (lea, "lea")):
                body = f"{name} {number}"
                assert "seq" in sender.send(f"{name}-{number}", body)
                expected.append(body)

        for client in (amina, lea):
            wait_until(lambda c=client: len(c.held) == len(expected), DELIVERY_TIMEOUT, "delivery")
        assert amina.bodies() == expected
        assert lea.bodies() == expected
        assert lea.seqs() == list(range(1, len(expected) + 1))
        # Delivered live through Redis, not only fetched by catching up.
        assert lea.live_received >= len(expected)
        assert stored_bodies(two, parties.lea, parties.channel_id) == list(
            enumerate(expected, start=1)
        )
    finally:
        amina.close()
        lea.close()


@pytest.mark.redis
def test_a_receiver_gets_what_was_sent_while_redis_was_down_without_any_further_message(
    postgres_site: Site, own_redis: RedisProcess, start_server: Callable[..., ServerProcess]
):
    postgres_site.redis_url = own_redis.url
    one = start_server(postgres_site, "one")
    two = start_server(postgres_site, "two")
    parties = open_case(postgres_site, one)
    amina = ChannelClient(one.url, parties.amina.token, parties.channel_id)
    lea = ChannelClient(two.url, parties.lea.token, parties.channel_id)
    try:
        amina.connect()
        lea.connect()
        for number in (1, 2):
            amina.send(f"before-{number}", f"before {number}")
        wait_until(lambda: len(lea.held) == 2, DELIVERY_TIMEOUT, "delivery before the outage")

        own_redis.stop()
        during = [amina.send(f"during-{n}", f"during {n}") for n in (1, 2, 3)]

        # Every send was acknowledged, so each is committed; Léa's process heard none of them.
        assert [answer["seq"] for answer in during] == [3, 4, 5]
        assert lea.bodies() == ["before 1", "before 2"]
        assert [b for _, b in stored_bodies(two, parties.lea, parties.channel_id)][-1] == "during 3"

        own_redis.start()  # the same port again; nobody sends anything more
        # Léa's process sees the queue lost deliveries and drops her connection; her client
        # reconnects and joins from her last seq.
        wait_until(lambda: len(lea.held) == 5, RECOVERY_TIMEOUT, "catch-up after Redis returned")
        assert lea.bodies() == ["before 1", "before 2", "during 1", "during 2", "during 3"]
        assert lea.seqs() == [1, 2, 3, 4, 5]
        assert lea.reconnections >= 1

        # Amina's process dropped her connection too (its own publications failed); her
        # client reconnects and live delivery works again.
        amina.send_until_answered("after-1", "after 1")
        wait_until(lambda: len(lea.held) == 6, DELIVERY_TIMEOUT, "live delivery after the outage")
        assert lea.seqs() == [1, 2, 3, 4, 5, 6]
    finally:
        amina.close()
        lea.close()


def test_a_client_resends_after_the_server_is_killed_and_each_message_is_stored_once_in_order(
    postgres_site: Site, start_server: Callable[..., ServerProcess]
):
    server = start_server(postgres_site, "crashing")
    parties = open_case(postgres_site, server)
    total, kill_after = 40, 12
    acknowledged: dict[int, int] = {}
    killed = threading.Event()

    def kill_and_restart() -> None:
        server.kill()
        killed.set()
        server.start()

    client = ChannelClient(server.url, parties.amina.token, parties.channel_id)
    client.connect()
    restarter: threading.Thread | None = None
    try:
        number = 1
        while number <= total:
            if number == kill_after + 1 and restarter is None:
                restarter = threading.Thread(target=kill_and_restart, daemon=True)
                restarter.start()
            try:
                answer = client.send(f"stream-{number}", f"numbered {number}")
            except (socketio.exceptions.SocketIOError, OSError):
                answer = None
            if answer is None or "seq" not in answer:
                # Not acknowledged: reconnect (the server may still be restarting), then
                # send the same client_id again.
                wait_until(lambda: killed.is_set(), DELIVERY_TIMEOUT, "the kill")
                wait_until(lambda: reconnected(client), DELIVERY_TIMEOUT * 2, "reconnection")
                continue
            acknowledged[number] = answer["seq"]
            number += 1
    finally:
        client.close()
        if restarter is not None:
            restarter.join(timeout=START_JOIN)

    assert killed.is_set()
    assert restarter is not None
    assert not restarter.is_alive()
    stored = stored_bodies(server, parties.amina, parties.channel_id)
    assert stored == [(n, f"numbered {n}") for n in range(1, total + 1)]
    assert acknowledged == {n: n for n in range(1, total + 1)}


START_JOIN = 60.0


def reconnected(client: ChannelClient) -> bool:
    try:
        client.connect()
    except (socketio.exceptions.SocketIOError, OSError, AssertionError):
        return False
    return True
