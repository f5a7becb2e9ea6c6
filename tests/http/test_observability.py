"""Prometheus metrics for the scraper alone; request ids; JSON logs that never hold case content."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select, update

from network.extensions import db, socketio
from network.http.observability import ACCESS_FIELDS, JSON_HANDLER
from network.messages import posting
from network.messages.models import Message
from tests.conftest import Cast, token_for
from tests.stories import CASE_MARK, DISCLOSURE_MARK, DISTINCTIVE, START, open_freeze, tell_story

METRICS_TOKEN = "scraper-secret-3f9c2a7d"
SCRAPER = {"Authorization": f"Bearer {METRICS_TOKEN}"}


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return {"METRICS_TOKEN": METRICS_TOKEN, "LOG_FORMAT": "json"}


@pytest.fixture
def logged(app: Flask) -> Iterator[io.StringIO]:
    """What the JSON log handler writes while the test runs."""
    buffer = io.StringIO()
    JSON_HANDLER.setStream(buffer)
    yield buffer
    JSON_HANDLER.setStream(sys.stderr)


Scraped = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(client: FlaskClient) -> Scraped:
    response = client.get("/metrics", headers=SCRAPER)
    assert response.status_code == 200, response.text
    assert response.content_type.startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(scraped: Scraped, name: str, **labels: str) -> float:
    return scraped.get((name, frozenset(labels.items())), 0.0)


def grew(before: Scraped, after: Scraped, name: str, **labels: str) -> float:
    """How much a sample moved between two scrapes (other tests in this process count too)."""
    return value(after, name, **labels) - value(before, name, **labels)


# --- /metrics ---------------------------------------------------------------------------------


def test_metrics_are_not_found_without_the_right_bearer_token(app: Flask, client: FlaskClient):
    assert client.get("/metrics").status_code == 404
    wrong = {"Authorization": "Bearer wrong-token"}
    assert client.get("/metrics", headers=wrong).status_code == 404
    assert client.get("/metrics", headers={"Authorization": METRICS_TOKEN}).status_code == 404
    app.config["METRICS_TOKEN"] = ""
    assert client.get("/metrics", headers=SCRAPER).status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404
    page = client.get("/metrics", headers={"Accept": "text/html"})
    assert "This page does not exist" in page.text


def test_metrics_count_requests_stored_messages_and_socket_connections(
    app: Flask, client: FlaskClient, cast: Cast, api_as: Any
):
    story = open_freeze(cast).story
    hello = {"client_id": "m-1", "body": "Hello", "handling_code": "H0"}
    before = scrape(client)
    assert api_as(cast.amina).get("/me").status_code == 200
    sent = api_as(cast.amina).post(f"/channels/{story.che.id}/messages", json=hello)
    assert sent.status_code == 201, sent.text
    retried = api_as(cast.amina).post(f"/channels/{story.che.id}/messages", json=hello)
    assert retried.status_code == 200
    socket = socketio.test_client(app, auth={"token": token_for(cast.lea)})
    assert socket.is_connected()
    hi = {"channel": story.che.id, "client_id": "s-1", "body": "Hi", "handling_code": "H0"}
    ack = socket.emit("send", hi, callback=True)
    assert "seq" in ack, ack
    during = scrape(client)
    socket.disconnect()
    after = scrape(client)

    me = {"method": "GET", "endpoint": "me.Me"}
    assert grew(before, during, "arnet_http_requests_total", status="200", **me) == 1
    assert grew(before, during, "arnet_http_request_duration_seconds_count", **me) == 1
    assert grew(before, during, "arnet_messages_stored_total") == 2  # the retry stored nothing
    assert grew(before, during, "arnet_socketio_connects_total") == 1
    assert grew(before, during, "arnet_socketio_connections") == 1
    assert grew(before, after, "arnet_socketio_connections") == 0


def test_metrics_count_reminder_outcomes_and_integrity_failures(
    app: Flask, client: FlaskClient, cast: Cast, api_as: Any
):
    freeze = open_freeze(cast, expires_on=date(2026, 3, 31))
    posting.post_message(cast.amina, freeze.story.che.id, client_id="m-1", body="x", now=START)
    db.session.commit()
    before = scrape(client)
    with time_machine.travel(datetime(2026, 3, 24, 12, tzinfo=UTC), tick=False):
        result = app.test_cli_runner().invoke(args=["network", "send-reminders"])
    assert result.exit_code == 0, result.output
    stored = bytes(db.session.scalar(select(Message.body_sealed)))
    db.session.execute(update(Message).values(body_sealed=stored[:-1] + bytes([stored[-1] ^ 1])))
    db.session.commit()
    listed = api_as(cast.lea).get(f"/channels/{freeze.story.che.id}/messages?after_seq=0")
    assert listed.get_json()["items"][0]["integrity"] == "failed"
    after = scrape(client)

    for outcome in ("made", "email_sent"):
        assert grew(before, after, "arnet_reminder_outcomes_total", outcome=outcome) > 0
    assert grew(before, after, "arnet_integrity_failures_total", table="messages") > 0


# --- request ids ------------------------------------------------------------------------------


def test_every_answer_carries_a_request_id_made_here_or_handed_on_by_the_proxy(
    client: FlaskClient,
):
    made = client.get("/healthz").headers["X-Request-ID"]
    again = client.get("/healthz").headers["X-Request-ID"]
    assert len(made) == 32
    assert made != again
    handed_on = client.get("/healthz", headers={"X-Request-ID": "nginx-7f3a9c01d2"})
    assert handed_on.headers["X-Request-ID"] == "nginx-7f3a9c01d2"
    for insane in ("short", "two words here", "x" * 300, 'quote"injection{}'):
        answer = client.get("/healthz", headers={"X-Request-ID": insane})
        assert answer.headers["X-Request-ID"] != insane
        assert len(answer.headers["X-Request-ID"]) == 32
    refused = client.get("/api/v1/me")
    assert refused.status_code == 401
    assert refused.headers["X-Request-ID"]


# --- JSON logs --------------------------------------------------------------------------------


def _lines(logged: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in logged.getvalue().splitlines()]


def test_a_full_story_logs_json_lines_with_ids_and_never_its_content(
    app: Flask, cast: Cast, api_as: Any, browser_as: Any, logged: io.StringIO
):
    told = tell_story(app, cast, "network administrator")
    case_id, channel_id = told.ids["case_id"], told.ids["channel_id"]
    amina = api_as(cast.amina)
    browser = browser_as(cast.amina)
    proxy_id = "proxy-request-0042"
    answers = [
        amina.get("/cases"),
        amina.client.get(
            f"/api/v1/cases/{case_id}", headers={**amina.headers, "X-Request-ID": proxy_id}
        ),
        amina.get(f"/channels/{channel_id}/messages?after_seq=0"),
        amina.post(
            f"/channels/{channel_id}/messages",
            json={
                "client_id": "log-1",
                "body": f"{DISTINCTIVE} the villa is sold",
                "handling_code": "H0",
            },
        ),
        amina.get(f"/cases/{case_id}/search?q={CASE_MARK}"),
        amina.get(f"/search?q={CASE_MARK}"),
        amina.get(f"/cases/{case_id}/subjects"),
        amina.get(f"/attachments/{told.ids['attachment_id']}"),
        amina.get("/disclosures"),
        browser.get("/cases"),
        browser.get(f"/cases/{case_id}?channel={channel_id}"),
        browser.get(f"/calendar/{told.ids['secret']}.ics"),
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 201, *[200] * 8]
    socket = socketio.test_client(app, auth={"token": token_for(cast.lea)})
    ack = socket.emit(
        "send",
        {
            "channel": channel_id,
            "client_id": "log-2",
            "body": f"{DISTINCTIVE} over the socket",
            "handling_code": "H0",
        },
        callback=True,
    )
    assert "seq" in ack, ack
    socket.disconnect()

    lines = _lines(logged)
    access = [line for line in lines if line["logger"] == "network.access"]
    assert len(access) >= len(answers)
    for line in lines:
        assert {"time", "level", "logger", "message"} <= line.keys()
    for line in access:
        assert set(ACCESS_FIELDS) <= line.keys()
        assert "?" not in line["path"]
    mine = [line for line in access if line["user_id"] == cast.amina.id]
    assert {line["request_id"] for line in mine} >= {a.headers["X-Request-ID"] for a in answers[:9]}
    assert any(line["request_id"] == proxy_id and line["status"] == 200 for line in access)
    text = logged.getvalue()
    for phrase in (
        CASE_MARK,
        CASE_MARK.lower(),
        DISCLOSURE_MARK,
        DISTINCTIVE,
        "villa is sold",
        "Ignatius",
        "Lugano",
        "notary confessed",
        "ledger",
        told.ids["secret"],
    ):
        assert phrase not in text, phrase
