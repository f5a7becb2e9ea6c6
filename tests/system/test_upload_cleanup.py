"""A server killed mid-upload leaves a partial file; the clean-up at the next start removes it.

Never-attached uploads go too, after their age; a file attached to a message never does.
The ages are set to zero for the restart, so the test needs no clock of its own.
"""

from __future__ import annotations

import http.client
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from tests.system.harness import Person, ServerProcess, Site, wait_until
from tests.system.test_live_delivery import open_case

pytestmark = [pytest.mark.slow]

MiB = 1024 * 1024
BOUNDARY = "arnet-test-boundary"


@pytest.fixture(params=["sqlite", "postgres"])
def site(request: pytest.FixtureRequest) -> Site:
    if request.param == "postgres":
        request.applymarker(pytest.mark.postgres)
    return request.getfixturevalue(f"{request.param}_site")  # type: ignore[no-any-return]


def upload(server: ServerProcess, person: Person, channel_id: int, content: bytes) -> int:
    response = requests.post(
        f"{server.url}/api/v1/channels/{channel_id}/attachments",
        files={"file": ("evidence.pdf", content)},
        headers=person.headers,
        timeout=30,
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def download(server: ServerProcess, person: Person, attachment_id: int) -> requests.Response:
    return requests.get(
        f"{server.url}/api/v1/attachments/{attachment_id}", headers=person.headers, timeout=30
    )


def start_a_large_upload(
    server: ServerProcess, person: Person, channel_id: int, total: int, sent: int
) -> http.client.HTTPConnection:
    """Announce ``total`` bytes of file, send ``sent`` of them, and leave the request open."""
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.putrequest("POST", f"/api/v1/channels/{channel_id}/attachments")
    connection.putheader("Authorization", f"Bearer {person.token}")
    connection.putheader("Content-Type", f"multipart/form-data; boundary={BOUNDARY}")
    connection.putheader("Content-Length", str(len(head) + total + len(tail)))
    connection.endheaders()
    connection.send(head)
    for _ in range(sent // MiB):
        connection.send(b"\x00" * MiB)
    return connection


def partial_files(directory: Path) -> list[Path]:
    return list(directory.glob("*/.*.part"))


def test_a_partial_and_a_never_attached_upload_are_removed_at_start_but_an_attached_file_stays(
    site: Site, start_server: Callable[..., ServerProcess]
):
    server = start_server(site, "uploading")
    parties = open_case(site, server)
    channel, amina = parties.channel_id, parties.amina
    directory = site.workdir / "attachments"

    attached = upload(server, amina, channel, b"%PDF-1.7 the bank statement")
    posted = requests.post(
        f"{server.url}/api/v1/channels/{channel}/messages",
        json={
            "client_id": uuid.uuid4().hex,
            "body": "The statement",
            "handling_code": "H0",
            "attachment_ids": [attached],
        },
        headers=amina.headers,
        timeout=10,
    )
    assert posted.status_code == 201, posted.text
    never_attached = upload(server, amina, channel, b"%PDF-1.7 a draft never sent")

    connection = start_a_large_upload(server, amina, channel, total=50 * MiB, sent=20 * MiB)
    try:
        wait_until(
            lambda: any(p.stat().st_size > MiB for p in partial_files(directory)),
            30,
            "the partial file on disk",
        )
        server.kill()  # SIGKILL mid-stream: nothing of the server's own clean-up runs
    finally:
        connection.close()
    assert len(partial_files(directory)) == 1

    site.settings = {"ARNET_UPLOAD_PARTIAL_MINUTES": "0", "ARNET_UPLOAD_UNATTACHED_MINUTES": "0"}
    server.start()

    assert partial_files(directory) == []
    assert download(server, amina, never_attached).status_code == 404
    kept = download(server, amina, attached)
    assert kept.status_code == 200
    assert kept.content == b"%PDF-1.7 the bank statement"
    files = [p for p in directory.glob("*/*") if p.is_file()]
    assert len(files) == 1
    assert "upload clean-up at start: 1 never-attached uploads and 1 partial files" in server.log()
    # The removal is audited without breaking the chain; the cron job finds nothing more.
    assert "audit chain whole" in site.cli("verify-audit")
    assert site.cli("clean-uploads").strip() == (
        "0 never-attached uploads and 0 partial files removed"
    )
