"""The case workspace in headless Chromium: live messages as text, announced, with receipts."""

from __future__ import annotations

import pytest

from tests.browser.test_sign_in_browser import fill_password
from tests.conftest import PASSWORD, Cast
from tests.realtime.conftest import Story, story  # noqa: F401 - the shared case story

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def site_origin_allowed(live_server: str) -> None:
    """The origin list is fixed when Socket.IO starts; the live server's port is known only now."""
    from network.extensions import socketio

    socketio.server.eio.cors_allowed_origins = [live_server]


def open_workspace(new_page, user, case_id: int):
    page = new_page()
    fill_password(page, user.email, PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/cases/{case_id}")
    page.wait_for_selector("#live-status:has-text('Live')")
    return page


def test_a_message_arrives_live_as_plain_text_is_announced_and_shows_read_by(
    cast: Cast, story: Story, new_page  # noqa: F811
):
    amina = open_workspace(new_page, cast.amina, story.case_id)
    lea = open_workspace(new_page, cast.lea, story.case_id)

    lea.get_by_label("Handling code").select_option("H2")
    lea.get_by_label("Message", exact=True).fill("<b>not bold</b> – can we freeze by Friday?")
    lea.get_by_role("button", name="Send").click()

    arrived = amina.locator("#messages .message-body", has_text="can we freeze by Friday?")
    arrived.wait_for()
    assert arrived.inner_text() == "<b>not bold</b> – can we freeze by Friday?"
    assert amina.locator("#messages b").count() == 0
    assert "H2" in amina.locator("#messages .message").last.inner_text()
    assert "New message from" in amina.locator("#announcer").inner_text()
    lea.locator("#messages .message-own .receipts", has_text=cast.amina.name).wait_for()


def test_sending_with_the_keyboard_works_without_script_errors(
    cast: Cast, story: Story, new_page  # noqa: F811
):
    errors: list[str] = []
    page = new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    fill_password(page, cast.amina.email, PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/cases/{story.case_id}")
    page.wait_for_selector("#live-status:has-text('Live')")

    page.get_by_label("Message", exact=True).fill("Keyboard only")
    page.get_by_label("Message", exact=True).press("Control+Enter")
    page.locator("#messages .message-body", has_text="Keyboard only").wait_for()

    assert errors == []
