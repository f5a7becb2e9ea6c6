"""A real server refuses Socket.IO handshakes from foreign origins and unauthenticated connects.

Flask-SocketIO's test client skips the origin check, so these tests speak raw Engine.IO
to a ``python wsgi.py`` on loopback, over HTTP long-polling and over WebSocket.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import requests
import websocket

from tests.system.harness import PREPARE, ServerProcess, Site, make_person

pytestmark = pytest.mark.slow

FOREIGN = "https://evil.example"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    workdir = tmp_path_factory.mktemp("origin")
    site = Site(workdir=workdir, database_url=f"sqlite:///{workdir / 'arnet.db'}")
    site.python(PREPARE)
    return site


@pytest.fixture(scope="module")
def server(site: Site) -> Iterator[ServerProcess]:
    process = ServerProcess(site, "origin")
    try:
        yield process.start()
    finally:
        process.stop()


def polling_handshake(server: ServerProcess, origin: str) -> requests.Response:
    return requests.get(
        f"{server.url}/socket.io/",
        params={"EIO": "4", "transport": "polling"},
        headers={"Origin": origin},
        timeout=5,
    )


def websocket_url(server: ServerProcess) -> str:
    return f"ws://127.0.0.1:{server.port}/socket.io/?EIO=4&transport=websocket"


def test_polling_handshake_from_a_foreign_origin_is_refused(server: ServerProcess):
    response = polling_handshake(server, FOREIGN)

    assert response.status_code == 400
    assert "sid" not in response.text


def test_polling_handshake_from_the_sites_own_origin_is_accepted(server: ServerProcess):
    response = polling_handshake(server, server.url)

    assert response.status_code == 200
    assert response.text.startswith("0")
    assert "sid" in json.loads(response.text[1:])


def test_websocket_upgrade_from_a_foreign_origin_is_refused(server: ServerProcess):
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        websocket.create_connection(websocket_url(server), origin=FOREIGN, timeout=5)

    assert refused.value.status_code == 400


def open_websocket(server: ServerProcess) -> websocket.WebSocket:
    connection = websocket.create_connection(websocket_url(server), origin=server.url, timeout=5)
    opening = connection.recv()
    assert opening.startswith("0")
    assert "sid" in json.loads(opening[1:])
    return connection


def socketio_connect_answer(connection: websocket.WebSocket, auth: dict[str, str] | None) -> str:
    """Send the Socket.IO CONNECT packet; answer ``40{...}`` is accepted, ``44{...}`` refused."""
    connection.send("40" + (json.dumps(auth) if auth else ""))
    while True:
        packet = connection.recv()
        if packet.startswith("4"):
            return str(packet)


def test_websocket_from_the_sites_own_origin_without_credentials_is_refused(server: ServerProcess):
    connection = open_websocket(server)
    try:
        answer = socketio_connect_answer(connection, None)
    finally:
        connection.close()

    assert answer.startswith("44")


def test_websocket_with_an_unknown_token_is_refused(server: ServerProcess):
    connection = open_websocket(server)
    try:
        answer = socketio_connect_answer(connection, {"token": "arnet_not-a-real-token"})
    finally:
        connection.close()

    assert answer.startswith("44")


def test_websocket_from_the_sites_own_origin_with_a_token_is_accepted(
    site: Site, server: ServerProcess
):
    amina = make_person(site, "amina@civ.example", "Aminata Koné", "practitioner", "CIV")
    connection = open_websocket(server)
    try:
        answer = socketio_connect_answer(connection, {"token": amina.token})
    finally:
        connection.close()

    assert answer.startswith("40")
    assert "sid" in json.loads(answer[2:])
