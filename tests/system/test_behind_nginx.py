"""The grown deployment: Debian's nginx in front of two workers joined by Redis over PostgreSQL.

Two practitioners, each pinned by nginx to a different worker, message each other over
REST while both listen live, one over WebSocket and one over Socket.IO's long-polling
fallback (which works only if every poll reaches the same worker). One worker is killed
in the middle; every client reconnects through nginx to the other and catches up, and
each message is stored once, in order, and seen once by both.
"""

from __future__ import annotations

import itertools
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from tests.conftest import skip_or_fail
from tests.system.harness import ChannelClient, Person, Site, make_person, wait_until
from tests.system.proxy import GunicornWorker, Nginx

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]

PER_SENDER = 30
KILL_AFTER = 10  # messages acknowledged in all before the first worker goes
CATCH_UP_TIMEOUT = 90.0
RETRYABLE = {502, 503, 504}


@pytest.fixture
def deployment(
    postgres_site: Site,
    shared_redis_url: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Nginx, list[GunicornWorker]]]:
    if shutil.which("nginx") is None:
        skip_or_fail("nginx is not installed (`make system-deps` installs Debian's)")
    postgres_site.redis_url = shared_redis_url
    postgres_site.cli("init-keyring")
    root = tmp_path_factory.mktemp("nginx")
    ports = []
    proxy = Nginx(root, ports)
    workers = [GunicornWorker(postgres_site, name, proxy.url) for name in ("one", "two")]
    ports.extend(worker.port for worker in workers)
    try:
        for worker in workers:
            worker.start()
        proxy.start()
        yield proxy, workers
    finally:
        proxy.stop()
        for worker in workers:
            worker.stop()


def route_to(proxy: Nginx, worker: GunicornWorker, person: Person) -> str:
    """A value of nginx's route cookie that pins a client to ``worker``."""
    for value in (f"route-{n}" for n in itertools.count()):
        answer = requests.get(
            f"{proxy.url}/api/v1/me",
            headers={**person.headers, "Cookie": f"arnet_route={value}"},
            verify=proxy.certificate,
            timeout=10,
        )
        assert answer.status_code == 200, answer.text
        if proxy.upstream_of(answer.headers["X-Request-ID"]) == f"127.0.0.1:{worker.port}":
            return value
    raise AssertionError("unreachable")


@dataclass
class Sender:
    """Numbered messages over REST through nginx, each retried with its client_id until stored."""

    name: str
    person: Person
    route: str
    url: str
    certificate: Path
    acknowledged: list[tuple[str, int]] = field(default_factory=list)  # (body, seq)
    retries: int = 0

    def send_all(self, count: int, progress: Callable[[], None]) -> None:
        for number in range(1, count + 1):
            body = f"{self.name}-{number:03d}"
            self.acknowledged.append((body, self._send(body)))
            progress()

    def _send(self, body: str) -> int:
        deadline = time.monotonic() + CATCH_UP_TIMEOUT
        while time.monotonic() < deadline:
            try:
                answer = requests.post(
                    self.url,
                    json={"client_id": body, "body": body, "handling_code": "H1"},
                    headers={**self.person.headers, "Cookie": f"arnet_route={self.route}"},
                    verify=self.certificate,
                    timeout=10,
                )
            except requests.RequestException:
                answer = None
            if answer is not None and answer.status_code in (200, 201):
                return int(answer.json()["seq"])
            if answer is not None and answer.status_code not in RETRYABLE | {429}:
                raise AssertionError(f"{body}: {answer.status_code} {answer.text}")
            self.retries += 1
            time.sleep(0.2)
        raise AssertionError(f"{body} was never acknowledged")


def keep_connected(client: ChannelClient, stop: threading.Event) -> None:
    """What the browser does: reconnect when the socket drops, and join from the last seq."""
    while not stop.is_set():
        if not client.sio.connected:
            try:
                client.connect()
            except Exception:  # the worker is down: try again, as a page does
                time.sleep(0.3)
                continue
        time.sleep(0.1)


def test_clients_pinned_by_nginx_survive_a_worker_killed_mid_stream(deployment):
    proxy, (one, two) = deployment
    site = one.site
    amina = make_person(site, "amina@civ.example", "Aminata Koné", "practitioner", "CIV")
    lea = make_person(site, "lea@che.example", "Léa Müller", "practitioner", "CHE")
    opened = requests.post(
        f"{proxy.url}/api/v1/cases",
        json={
            "title": "Villa in Geneva",
            "summary": "Proceeds of embezzlement",
            "reference": "CIV-2026-11",
            "requested_states": ["CHE"],
            "counterparts": [lea.user_id],
        },
        headers=amina.headers,
        verify=proxy.certificate,
        timeout=10,
    )
    assert opened.status_code == 201, opened.text
    assert "arnet_route=" in opened.headers["Set-Cookie"]
    channel_id = opened.json()["channels"][0]["id"]
    on_one, on_two = route_to(proxy, one, amina), route_to(proxy, two, lea)

    # Amina listens over long-polling pinned to worker one, Léa over WebSocket on two.
    listeners = [
        ChannelClient(
            proxy.url,
            amina.token,
            channel_id,
            transports=("polling",),
            headers={"Cookie": f"arnet_route={on_one}"},
            certificate=proxy.certificate,
        ),
        ChannelClient(
            proxy.url,
            lea.token,
            channel_id,
            headers={"Cookie": f"arnet_route={on_two}"},
            certificate=proxy.certificate,
        ),
    ]
    for listener in listeners:
        listener.connect()
    stop = threading.Event()
    keepers = [
        threading.Thread(target=keep_connected, args=(listener, stop), daemon=True)
        for listener in listeners
    ]
    messages_url = f"{proxy.url}/api/v1/channels/{channel_id}/messages"
    senders = [
        Sender("amina", amina, on_one, messages_url, proxy.certificate),
        Sender("lea", lea, on_two, messages_url, proxy.certificate),
    ]
    acknowledged = threading.Semaphore(0)
    threads = [
        threading.Thread(
            target=sender.send_all, args=(PER_SENDER, acknowledged.release), daemon=True
        )
        for sender in senders
    ]
    try:
        for thread in keepers + threads:
            thread.start()
        for _ in range(KILL_AFTER):
            assert acknowledged.acquire(timeout=CATCH_UP_TIMEOUT)
        one.kill()
        for thread in threads:
            thread.join(CATCH_UP_TIMEOUT * 2)
        assert not any(thread.is_alive() for thread in threads)

        total = 2 * PER_SENDER
        wait_until(
            lambda: all(listener.seqs() == list(range(1, total + 1)) for listener in listeners),
            CATCH_UP_TIMEOUT,
            "both listeners to hold every message once, in order",
        )
    finally:
        stop.set()
        for listener in listeners:
            listener.close()

    stored = requests.get(
        messages_url,
        params={"after_seq": 0, "limit": 500},
        headers={**lea.headers, "Cookie": f"arnet_route={on_one}"},  # one is gone: two answers
        verify=proxy.certificate,
        timeout=10,
    )
    assert stored.status_code == 200, stored.text
    items = stored.json()["items"]
    assert [m["seq"] for m in items] == list(range(1, total + 1))
    by_body = {m["body"]: m["seq"] for m in items}
    assert len(by_body) == total  # each message once
    for sender in senders:
        assert [body for body, _seq in sender.acknowledged] == [
            f"{sender.name}-{n:03d}" for n in range(1, PER_SENDER + 1)
        ]
        assert all(by_body[body] == seq for body, seq in sender.acknowledged)
    assert listeners[0].bodies() == listeners[1].bodies() == [m["body"] for m in items]
