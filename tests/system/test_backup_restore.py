"""Backup while messages stream in, wipe the deployment, restore it, and find everything.

A real server keeps storing messages with attachments while ``network backup`` runs;
then the database, keyring, checkpoint and attachments are all removed, ``network
restore`` puts the backup back, and a new server serves every message acknowledged
before the backup began, every attachment with its SHA-256, and a whole audit chain. On
PostgreSQL this is done twice: with attachments as files, and kept in the database.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import POSTGRES_URL
from tests.system.harness import PYTHON, REPO, Person, ServerProcess, Site, make_person

pytestmark = pytest.mark.slow

PASSPHRASE = "Backup-Keyring-Passphrase-7"


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgres", marks=pytest.mark.postgres),
        pytest.param("postgres_attachments_in_database", marks=pytest.mark.postgres),
    ]
)
def site(request: pytest.FixtureRequest) -> Site:
    if request.param == "postgres_attachments_in_database":
        chosen: Site = request.getfixturevalue("postgres_site")
        chosen.settings["ARNET_ATTACHMENT_STORE"] = "database"
        return chosen
    return request.getfixturevalue(f"{request.param}_site")  # type: ignore[no-any-return]


def in_database(site: Site) -> bool:
    return site.settings.get("ARNET_ATTACHMENT_STORE") == "database"


@dataclass
class Stream:
    """Messages with attachments, each noted with when its 201 arrived."""

    server: ServerProcess
    sender: Person
    channel_id: int
    acknowledged: list[tuple[float, str, str]] = field(default_factory=list)  # when, body, sha
    failures: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        number = 0
        while not self.stop.is_set():
            number += 1
            try:
                self._send(number)
            except requests.RequestException as error:
                self.failures.append(repr(error))

    def _send(self, number: int) -> None:
        content = os.urandom(4096 + number)
        base = f"{self.server.url}/api/v1/channels/{self.channel_id}"
        uploaded = requests.post(
            f"{base}/attachments",
            files={"file": (f"exhibit-{number}.bin", content, "application/octet-stream")},
            headers=self.sender.headers,
            timeout=30,
        )
        if uploaded.status_code != 201:
            self.failures.append(uploaded.text)
            return
        body = f"transfer record {number}"
        sent = self._post(
            f"{base}/messages",
            {
                "client_id": f"m{number}",
                "body": body,
                "handling_code": "H1",
                "attachment_ids": [uploaded.json()["id"]],
            },
        )
        if sent.status_code != 201:
            self.failures.append(sent.text)
            return
        self.acknowledged.append((time.monotonic(), body, hashlib.sha256(content).hexdigest()))

    def _post(self, url: str, message: dict[str, object]) -> requests.Response:
        """Send as a client does: after a 429, wait as told and send the same client_id again."""
        while True:
            sent = requests.post(url, json=message, headers=self.sender.headers, timeout=30)
            if sent.status_code != 429:
                return sent
            time.sleep(int(sent.headers["Retry-After"]))


def open_channel(site: Site, server: ServerProcess) -> tuple[Person, Person, int]:
    amina = make_person(site, "amina@civ.example", "Aminata Koné", "practitioner", "CIV")
    lea = make_person(site, "lea@che.example", "Léa Müller", "practitioner", "CHE")
    response = requests.post(
        f"{server.url}/api/v1/cases",
        json={
            "title": "Villa in Geneva",
            "summary": "Proceeds of embezzlement",
            "reference": "CIV-2026-9",
            "requested_states": ["CHE"],
            "counterparts": [lea.user_id],
        },
        headers=amina.headers,
        timeout=30,
    )
    assert response.status_code == 201, response.text
    return amina, lea, int(response.json()["channels"][0]["id"])


def network(site: Site, *args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, "-m", "flask", "--app", "wsgi", "network", *args],
        cwd=REPO,
        env=site.env(),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def wipe(site: Site) -> None:
    """Lose the whole deployment: database, keyring, audit checkpoint and attachments."""
    url = make_url(site.database_url)
    if url.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{url.database}{suffix}").unlink(missing_ok=True)
    else:
        admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{url.database}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{url.database}"'))
        admin.dispose()
    (site.workdir / "keyring.json").unlink()
    (site.workdir / "audit-checkpoint.json").unlink()
    if in_database(site):
        assert not (site.workdir / "attachments").exists()  # every file went into PostgreSQL
    else:
        shutil.rmtree(site.workdir / "attachments")


def served(server: ServerProcess, reader: Person, channel_id: int) -> dict[str, str]:
    """Every message body the server gives back, with its attachment's SHA-256."""
    page = requests.get(
        f"{server.url}/api/v1/channels/{channel_id}/messages",
        params={"after_seq": 0, "limit": 500},
        headers=reader.headers,
        timeout=30,
    )
    assert page.status_code == 200, page.text
    items = page.json()["items"]
    assert [m["seq"] for m in items] == list(range(1, len(items) + 1))
    found = {}
    for message in items:
        (attachment,) = message["attachments"]
        download = requests.get(
            f"{server.url}/api/v1/attachments/{attachment['id']}",
            headers=reader.headers,
            timeout=30,
        )
        assert download.status_code == 200, download.text
        found[message["body"]] = hashlib.sha256(download.content).hexdigest()
    return found


def test_a_backup_taken_under_load_restores_every_acknowledged_message_and_file(
    site: Site, start_server: Callable[..., ServerProcess], tmp_path: Path
):
    server = start_server(site, "before")
    amina, lea, channel_id = open_channel(site, server)
    stream = Stream(server, amina, channel_id)
    writer = threading.Thread(target=stream.run, daemon=True)
    writer.start()
    while len(stream.acknowledged) < 5:
        time.sleep(0.05)
    began = time.monotonic()
    backup = network(site, "backup", str(tmp_path / "backup"), stdin=f"{PASSPHRASE}\n")
    while len(stream.acknowledged) < 5 + 5 or stream.acknowledged[-1][0] < began:
        time.sleep(0.05)  # the stream went on during and after the backup
    stream.stop.set()
    writer.join(timeout=60)
    assert backup.returncode == 0, backup.stderr
    assert not stream.failures
    assert (tmp_path / "backup" / "attachments").exists() is not in_database(site)
    server.stop()

    wipe(site)
    wrong = network(site, "restore", str(tmp_path / "backup"), stdin="not the passphrase\n")
    assert wrong.returncode == 1
    assert "passphrase is wrong" in wrong.stderr
    assert not (site.workdir / "keyring.json").exists()
    restored = network(site, "restore", str(tmp_path / "backup"), stdin=f"{PASSPHRASE}\n")
    assert restored.returncode == 0, restored.stderr
    again = network(site, "restore", str(tmp_path / "backup"), stdin=f"{PASSPHRASE}\n")
    assert again.returncode == 1
    assert "a keyring exists" in again.stderr

    after = start_server(site, "after")
    found = served(after, lea, channel_id)
    before_backup = {body: sha for when, body, sha in stream.acknowledged if when < began}
    assert before_backup.items() <= found.items()
    every = {body: sha for _when, body, sha in stream.acknowledged}
    assert found.items() <= every.items()  # nothing the server did not acknowledge
    assert network(site, "verify-audit", stdin="").returncode == 0
    integrity = network(site, "verify-integrity", stdin="")
    assert integrity.returncode == 0, integrity.stdout + integrity.stderr
