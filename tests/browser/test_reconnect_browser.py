"""The case workspace through a server restart and a Redis restart: it catches up, each once.

The in-thread live server cannot be killed, so this test runs ``python wsgi.py`` with the
system tests' harness and points a browser context at it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.conftest import new_context
from tests.browser.test_sign_in_browser import enrol_from_qr_page, fill_password
from tests.system.conftest import (  # noqa: F401 - real processes
    own_redis,
    postgres_site,
    start_server,
)
from tests.system.harness import PASSWORD, Person, RedisProcess, ServerProcess, Site
from tests.system.test_live_delivery import open_case, stored_bodies

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.postgres]

LIVE = "Live: new messages appear as they arrive."
RECONNECT_TIMEOUT = 30_000  # ms: Socket.IO's reconnection backoff grows to 5 s


def post_message(server: ServerProcess, person: Person, channel_id: int, body: str) -> None:
    """Send over REST, as a program of the requesting State would, and wait for the commit."""
    response = requests.post(
        f"{server.url}/api/v1/channels/{channel_id}/messages",
        json={"client_id": f"rest-{uuid.uuid4().hex}", "body": body, "handling_code": "H0"},
        headers=person.headers,
        timeout=10,
    )
    assert response.status_code == 201, response.text


def test_the_workspace_catches_up_after_a_server_restart_without_repeats_or_a_reload(
    postgres_site: Site,  # noqa: F811
    start_server: Callable[..., ServerProcess],  # noqa: F811
    chromium,
):
    server = start_server(postgres_site, "restarting")
    parties = open_case(postgres_site, server)
    channel = parties.channel_id
    context = new_context(chromium, server.url)
    try:
        lea = context.new_page()
        fill_password(lea, parties.lea.email, PASSWORD)
        enrol_from_qr_page(lea)  # a real server requires the second factor
        lea.get_by_role("link", name="Cases").click()
        lea.get_by_role("link", name="Villa in Geneva").click()
        status = lea.locator("#live-status")
        expect(status).to_have_text(LIVE)
        lea.evaluate("window.__same_page = true")
        bodies = lea.locator("#messages .message-body")
        post_message(server, parties.amina, channel, "Before the restart")
        expect(bodies).to_have_text(["Before the restart"])

        server.kill()
        expect(status).to_contain_text("Connection lost")
        # Léa's network drops too, so the restarted server cannot reach her until we say.
        context.set_offline(True)
        lea.get_by_label("Message", exact=True).fill("Written by Léa while offline")
        lea.get_by_role("button", name="Send").click()  # kept in the page until it can be sent
        server.start()  # the same port, the same database
        post_message(server, parties.amina, channel, "While Léa is away 1")
        post_message(server, parties.amina, channel, "While Léa is away 2")
        expect(bodies).to_have_text(["Before the restart"])  # nothing reached her yet

        context.set_offline(False)
        expect(status).to_have_text(LIVE, timeout=RECONNECT_TIMEOUT)
        expect(bodies).to_have_count(4)
        post_message(server, parties.amina, channel, "After the restart")  # live again

        expected = [
            "Before the restart",
            "While Léa is away 1",
            "While Léa is away 2",
            "Written by Léa while offline",
            "After the restart",
        ]
        expect(bodies).to_have_text(expected)
        seqs = lea.locator("#messages .message").evaluate_all(
            "items => items.map((item) => Number(item.dataset.seq))"
        )
        assert seqs == [1, 2, 3, 4, 5]
        # Stored once each: the send kept while offline was not repeated on reconnection.
        assert stored_bodies(server, parties.amina, channel) == list(enumerate(expected, start=1))
        assert lea.evaluate("window.__same_page") is True  # caught up without a reload
    finally:
        context.close()


@pytest.mark.redis
def test_the_workspace_gets_what_was_sent_while_redis_was_down_without_a_further_message(
    postgres_site: Site,  # noqa: F811
    own_redis: RedisProcess,  # noqa: F811
    start_server: Callable[..., ServerProcess],  # noqa: F811
    chromium,
):
    postgres_site.redis_url = own_redis.url
    one = start_server(postgres_site, "one")
    two = start_server(postgres_site, "two")
    parties = open_case(postgres_site, one)
    channel = parties.channel_id
    context = new_context(chromium, two.url)
    try:
        lea = context.new_page()
        fill_password(lea, parties.lea.email, PASSWORD)
        enrol_from_qr_page(lea)
        lea.get_by_role("link", name="Cases").click()
        lea.get_by_role("link", name="Villa in Geneva").click()
        expect(lea.locator("#live-status")).to_have_text(LIVE)
        lea.evaluate("window.__same_page = true")
        bodies = lea.locator("#messages .message-body")
        post_message(one, parties.amina, channel, "Before the outage")
        expect(bodies).to_have_text(["Before the outage"])  # live, through Redis

        own_redis.stop()
        post_message(one, parties.amina, channel, "While Redis is away 1")
        post_message(one, parties.amina, channel, "While Redis is away 2")
        own_redis.start()  # nobody sends anything more

        # Léa's server saw the queue lose deliveries and dropped her connection; the page
        # reconnected and joined from its last seq.
        expected = ["Before the outage", "While Redis is away 1", "While Redis is away 2"]
        expect(bodies).to_have_text(expected, timeout=RECONNECT_TIMEOUT)
        seqs = lea.locator("#messages .message").evaluate_all(
            "items => items.map((item) => Number(item.dataset.seq))"
        )
        assert seqs == [1, 2, 3]
        assert lea.evaluate("window.__same_page") is True
    finally:
        context.close()
