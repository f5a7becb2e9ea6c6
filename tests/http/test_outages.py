"""While the database, Redis or the disk is away, answers say so clearly; each outage is
logged once, when it begins and when it ends, and counted."""

from __future__ import annotations

import errno
import io
import logging
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from prometheus_client import REGISTRY
from sqlalchemy import func, select

from network import create_app
from network.core import outages
from network.extensions import db
from network.messages import storage
from network.messages.models import Attachment
from tests.conftest import (
    ApiClient,
    Cast,
    IsolatedClient,
    closed_port,
    csrf_from,
    database_unreachable,
)
from tests.stories import Story, open_story

BOTH_DATABASES = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


def episodes(kind: str) -> float:
    return REGISTRY.get_sample_value("arnet_outage_episodes_total", {"kind": kind}) or 0.0


def active(kind: str) -> float | None:
    return REGISTRY.get_sample_value("arnet_outage_active", {"kind": kind})


def outage_lines(caplog: pytest.LogCaptureFixture, words: str) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "network.outages" and words in r.getMessage()
    ]


@BOTH_DATABASES
def test_api_answers_503_json_with_retry_after_while_the_database_is_away(app, api_as, cast):
    amina = api_as(cast.amina)
    with database_unreachable(app):
        response = amina.get("/me")
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    assert response.get_json() == {
        "code": 503,
        "reason": "service_unavailable",
        "message": "ARNet is temporarily unavailable. Please try again in a few moments.",
        "errors": {},
    }


@BOTH_DATABASES
def test_page_says_temporarily_unavailable_in_the_browsers_language(app, browser_as, cast):
    browser = browser_as(cast.camille)
    with database_unreachable(app):
        response = browser.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert response.status_code == 503
    assert response.mimetype == "text/html"
    assert "temporairement indisponible" in response.text
    assert "Retry-After" in response.headers


def test_a_missing_page_while_the_database_is_away_is_a_503_not_a_traceback(app, browser_as, cast):
    """The 404 page shows who is signed in; loading them fails, and says so cleanly."""
    browser = browser_as(cast.amina)
    with database_unreachable(app):
        response = browser.get("/no-such-page")
    assert response.status_code == 503
    assert "temporarily unavailable" in response.text


@BOTH_DATABASES
def test_outage_is_logged_once_when_it_begins_and_once_when_it_ends(
    app, api_as, cast, caplog: pytest.LogCaptureFixture
):
    amina = api_as(cast.amina)
    before = episodes(outages.DATABASE)
    caplog.set_level(logging.INFO, logger="network.outages")
    with database_unreachable(app):
        answers = [amina.get("/me").status_code for _ in range(3)]
        assert active(outages.DATABASE) == 1
    assert answers == [503, 503, 503]
    assert len(outage_lines(caplog, "outage began: database")) == 1
    assert outage_lines(caplog, "outage ended") == []

    assert amina.get("/me").status_code == 200
    assert len(outage_lines(caplog, "outage ended: database")) == 1
    assert episodes(outages.DATABASE) == before + 1
    assert active(outages.DATABASE) == 0


# --- Redis --------------------------------------------------------------------------------


def test_sign_in_answers_503_while_redis_is_away(app: Flask, cast: Cast) -> None:
    """Sign-in failures are counted in Redis: without it, no password is checked, and it says so."""
    before = episodes(outages.QUEUE)
    other = create_app(
        {
            "ENV_NAME": "testing",
            "DATABASE_URL": app.config["DATABASE_URL"],
            "INSTANCE_PATH": app.config["INSTANCE_PATH"],
            "KEYRING": app.config["KEYRING"],
            "REDIS_URL": f"redis://127.0.0.1:{closed_port()}/0",
        }
    )
    other.test_client_class = IsolatedClient
    browser = other.test_client()
    page = browser.get("/auth/sign-in")
    response = browser.post(
        "/auth/sign-in",
        data={
            "email": cast.amina.email,
            "password": "whatever",
            "csrf_token": csrf_from(page.text),
        },
        headers={"Accept-Language": "fr"},
    )
    assert response.status_code == 503
    assert "Retry-After" in response.headers
    assert "temporairement indisponible" in response.text
    assert episodes(outages.QUEUE) == before + 1
    assert active(outages.QUEUE) == 1


# --- a full disk --------------------------------------------------------------------------


@pytest.fixture
def story(cast: Cast) -> Story:
    return open_story(cast)


def _fills_the_disk(key: bytes, source: Any, sink: Any, aad: bytes, max_size: int) -> Any:
    """Writes a little of the file, then the disk is full."""
    sink.write(source.read(1024))
    raise OSError(errno.ENOSPC, "No space left on device")


def test_upload_to_a_full_disk_answers_507_and_leaves_no_file(
    app, api_as, cast, story, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    folder = Path(app.config["ATTACHMENT_DIR"])
    before = episodes(outages.DISK)
    monkeypatch.setattr(storage, "encrypt_stream", _fills_the_disk)
    amina: ApiClient = api_as(cast.amina)
    upload = {"file": (io.BytesIO(b"%PDF-1.4 " + b"x" * 4096), "evidence.pdf")}
    response = amina.post(
        f"/channels/{story.che.id}/attachments", data=upload, content_type="multipart/form-data"
    )
    assert response.status_code == 507
    body = response.get_json()
    assert body["code"] == 507
    assert "no room left" in body["message"]
    assert [p for p in folder.rglob("*") if p.is_file()] == []
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0
    assert episodes(outages.DISK) == before + 1
    assert len(outage_lines(caplog, "outage began: disk")) == 1
