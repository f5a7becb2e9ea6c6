"""Key rotation while two real server processes keep opening cases and sending messages.

After ``rotate-keys`` reports done, ``retire-keys`` removes the old KEK version; the
servers restart with only the new one, and every case and message still opens over REST.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
import requests

from tests.system.harness import Person, ServerProcess, Site, make_person, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

LOAD_TIMEOUT = 60.0


@dataclass
class Written:
    """What the load wrote, as the servers acknowledged it."""

    cases: dict[int, str] = field(default_factory=dict)  # case id -> title
    messages: dict[int, list[str]] = field(default_factory=dict)  # channel id -> bodies
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def case_count(self) -> int:
        with self.lock:
            return len(self.cases)


def _open_case(server: ServerProcess, amina: Person, lea: Person, title: str) -> tuple[int, int]:
    """Open a case toward Switzerland; returns its id and its channel's."""
    response = requests.post(
        f"{server.url}/api/v1/cases",
        json={
            "title": title,
            "summary": f"Summary of {title}",
            "reference": title,
            "requested_states": ["CHE"],
            "counterparts": [lea.user_id],
        },
        headers=amina.headers,
        timeout=30,
    )
    assert response.status_code == 201, response.text
    case = response.json()
    return int(case["id"]), int(case["channels"][0]["id"])


def _send(server: ServerProcess, person: Person, channel_id: int, body: str) -> None:
    response = requests.post(
        f"{server.url}/api/v1/channels/{channel_id}/messages",
        json={"client_id": body, "body": body, "handling_code": "H1"},
        headers=person.headers,
        timeout=30,
    )
    assert response.status_code == 201, response.text


def _write_case(
    server: ServerProcess, amina: Person, lea: Person, written: Written, title: str
) -> None:
    """Open a case and write in its channel from both sides; keep what was acknowledged."""
    bodies = [f"{title}-from-amina", f"{title}-from-lea"]
    case_id, channel_id = _open_case(server, amina, lea, title)
    _send(server, amina, channel_id, bodies[0])
    _send(server, lea, channel_id, bodies[1])
    with written.lock:
        written.cases[case_id] = title
        written.messages[channel_id] = bodies


def _keep_writing(
    server: ServerProcess, amina: Person, lea: Person, written: Written, stop: threading.Event
) -> None:
    number = 0
    while not stop.is_set():
        number += 1
        try:
            _write_case(server, amina, lea, written, f"{server.name}-case-{number}")
        except (AssertionError, requests.RequestException) as error:
            with written.lock:
                written.failures.append(f"{server.name}-case-{number}: {error}")
            return


def test_rotation_while_servers_write_then_retiring_the_old_version_loses_nothing(
    postgres_site: Site, start_server: Callable[..., ServerProcess]
) -> None:
    # The writer sends as fast as the servers answer: the per-user send limit is not under test.
    postgres_site.settings = {"ARNET_MESSAGE_SEND_LIMIT": "10000/minute"}
    busy, quiet = start_server(postgres_site, "busy"), start_server(postgres_site, "quiet")
    amina = make_person(postgres_site, "amina@civ.example", "Aminata Koné", "practitioner", "CIV")
    lea = make_person(postgres_site, "lea@che.example", "Léa Müller", "practitioner", "CHE")
    written = Written()
    _write_case(quiet, amina, lea, written, "quiet-before")
    stop = threading.Event()
    writer = threading.Thread(target=_keep_writing, args=(busy, amina, lea, written, stop))
    writer.start()
    try:
        wait_until(lambda: written.case_count() >= 4, LOAD_TIMEOUT, "cases before the rotation")
        rotated = postgres_site.cli("rotate-keys", "--batch-size", "1")
        assert "every data key is wrapped by KEK version 2" in rotated
        # The quiet server touched no re-wrapped key since the rotation; the busy one goes on.
        for number in range(3):
            _write_case(quiet, amina, lea, written, f"quiet-after-{number}")
    finally:
        stop.set()
        writer.join(timeout=LOAD_TIMEOUT)
    assert written.failures == []

    retired = postgres_site.cli("retire-keys")
    assert "retired KEK versions 1; the keyring keeps version 2" in retired

    busy.stop()
    quiet.stop()
    reader = busy.start()
    for case_id, title in written.cases.items():
        response = requests.get(
            f"{reader.url}/api/v1/cases/{case_id}", headers=lea.headers, timeout=30
        )
        assert response.status_code == 200, response.text
        assert response.json()["title"] == title
    for channel_id, bodies in written.messages.items():
        response = requests.get(
            f"{reader.url}/api/v1/channels/{channel_id}/messages",
            params={"after_seq": 0, "limit": 500},
            headers=lea.headers,
            timeout=30,
        )
        assert response.status_code == 200, response.text
        assert [m["body"] for m in response.json()["items"]] == bodies
