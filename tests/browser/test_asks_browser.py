"""Asks with answers, between two States' browsers: Côte d'Ivoire asks Switzerland to extend
a freezing order; each side is told live of the other's step, both see the ask among their
deadlines, and the answer is shown to the side that asked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from network.core import clock
from network.extensions import db
from network.notifications.models import Notification
from tests.browser.screenshots import LIVE
from tests.browser.test_messenger_layout_browser import workspace
from tests.conftest import Cast
from tests.stories import open_freeze

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def site_origin_allowed(live_server: str) -> None:
    """The origin list is fixed when Socket.IO starts; the live server's port is known only now."""
    from network.extensions import socketio

    socketio.server.eio.cors_allowed_origins = [live_server]


def unread_of(user_id: int) -> int:
    db.session.rollback()
    return db.session.query(Notification).filter_by(user_id=user_id, read_at=None).count()


def badge(page):
    return page.locator(".nav-notifications .badge")


def test_an_extension_asked_in_english_is_granted_in_arabic_and_each_side_is_told_live(
    cast: Cast, new_page
) -> None:
    today = clock.now().date()
    freeze = open_freeze(cast, expires_on=today + timedelta(days=40), now=clock.now())
    case_id, channel_id = freeze.story.case.id, freeze.story.che.id
    lea_before, amina_before = unread_of(cast.lea.id), unread_of(cast.amina.id)

    amina = workspace(new_page, cast.amina.email, case_id, "en-GB")
    lea = workspace(new_page, cast.lea.email, case_id, "ar")
    assert lea.locator("html").get_attribute("dir") == "rtl"
    expect(lea.locator("#asks")).to_contain_text("لم يُقدَّم أي طلب")  # the empty state, in Arabic

    asks = amina.locator("#asks")
    asks.get_by_label("What you ask for").select_option("extension")
    due = today + timedelta(days=10)
    asks.get_by_label("Answer due on").fill(due.isoformat())
    asks.get_by_label("Your ask").fill("Please extend the freeze: the confiscation hearing moved.")
    asks.get_by_label("About the order").select_option(str(freeze.measure.id))
    asks.get_by_role("button", name="Ask", exact=True).click()
    expect(amina.get_by_text("Asked. The other side sees it in its deadlines.")).to_be_visible()
    expect(amina.locator("#asks .ask-open")).to_contain_text("the confiscation hearing moved")

    # Léa's open workspace is told without a reload: the menu's count and a spoken notice.
    expect(badge(lea)).to_have_text(str(lea_before + 1))
    expect(lea.locator("#announcer")).not_to_be_empty()
    assert unread_of(cast.lea.id) == lea_before + 1

    # Both sides have the ask among their deadlines, on the date it is due.
    for page in (amina, lea):
        page.goto("/")
        deadlines = page.locator("section[aria-labelledby=dash-deadlines]")
        expect(deadlines.locator(f'time[datetime="{due.isoformat()}"]')).to_have_count(1)
    amina.goto(f"/cases/{case_id}?channel={channel_id}")
    amina.wait_for_function(LIVE)

    # Léa's notice opens the ask in its channel.
    lea.goto("/notifications")
    lea.locator(".notification-unread button[name=open]").first.click()
    lea.wait_for_url(f"**/cases/{case_id}?channel={channel_id}#ask-*")
    lea.wait_for_function(LIVE)
    [open_ask] = lea.locator("#asks .ask-open").all()
    ask_id = (open_ask.get_attribute("id") or "").removeprefix("ask-")
    open_ask.locator(f"#answer-outcome-{ask_id}").select_option("granted")
    open_ask.locator("button[type=submit]").click()
    expect(lea.locator(f"#ask-{ask_id}")).not_to_have_class("ask ask-open")
    expect(lea.locator(f"#ask-{ask_id} .badge")).to_have_text("مقبول")

    # Aminata's workspace is told live too, and the answer is there when she looks.
    expect(badge(amina)).to_have_text(str(amina_before + 1))
    amina.reload()
    expect(amina.locator(f"#ask-{ask_id} .badge")).to_have_text("Granted")
    expect(amina.locator(f"#ask-{ask_id}")).to_contain_text("Answered by")
    expect(amina.locator("#asks .ask-open")).to_have_count(0)
