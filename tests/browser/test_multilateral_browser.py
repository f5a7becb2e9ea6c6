"""A multilateral channel in headless Chromium: one State accepts and talks, another declines."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import DESKTOP, PHONE
from tests.conftest import PASSWORD, Cast
from tests.stories import TableStory, table_story

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def site_origin_allowed(live_server: str) -> None:
    """The origin list is fixed when Socket.IO starts; the live server's port is known only now."""
    from network.extensions import socketio

    socketio.server.eio.cors_allowed_origins = [live_server]


@pytest.fixture
def told(cast: Cast) -> TableStory:
    return table_story(cast, answer=False)


def signed_in(new_page, user, **options):
    """Signed in through the form by its field ids, so that it works in any language."""
    page = new_page(**options)
    page.goto("/auth/sign-in")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/")
    return page


def test_the_accepting_state_talks_at_the_table_and_the_decliner_sees_nothing(
    cast: Cast, told: TableStory, new_page
) -> None:
    case, table = told.case.id, told.table.id
    lea = signed_in(new_page, cast.lea)
    lea.goto(f"/cases/{case}")
    lea.get_by_role("button", name="Accept").click()
    lea.wait_for_url(f"**/cases/{case}?channel={table}")

    camille = signed_in(new_page, cast.camille)
    camille.goto(f"/cases/{case}")
    camille.once("dialog", lambda dialog: dialog.accept())
    camille.get_by_role("button", name="Decline").click()
    camille.locator(".flash", has_text="declined").wait_for()

    amina = signed_in(new_page, cast.amina)
    amina.goto(f"/cases/{case}?channel={table}")
    amina.wait_for_selector("#live-status:has-text('Live')")
    assert "Several States" in amina.locator(".channel-list").inner_text()
    lea.goto(f"/cases/{case}?channel={table}")
    lea.wait_for_selector("#live-status:has-text('Live')")

    lea.get_by_label("Message", exact=True).fill("Switzerland at the table")
    lea.get_by_role("button", name="Send").click()
    amina.locator("#messages .message-body", has_text="Switzerland at the table").wait_for()

    refused = camille.goto(f"/cases/{case}?channel={table}")
    assert refused is not None
    assert refused.status == 404
    camille.goto(f"/cases/{case}")
    shown = camille.content()
    assert "Switzerland at the table" not in shown
    assert "Several States" not in camille.locator(".channel-list").inner_text()
    assert camille.get_by_role("button", name="Accept").count() == 0


@pytest.mark.parametrize("locale", ["en-GB", "ar"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "375"])
def test_the_table_fits_the_screen_in_english_and_arabic(
    cast: Cast, told: TableStory, new_page, tmp_path: Path, locale: str, viewport: tuple[int, int]
) -> None:
    page = signed_in(new_page, cast.amina, locale=locale, viewport=viewport)
    page.goto(f"/cases/{told.case.id}?channel={told.table.id}")
    page.wait_for_selector("#tables", state="attached")
    page.locator("#panel-toggle").wait_for()
    if not page.locator("#case-panel").is_visible():  # on a phone the panel opens on demand
        page.locator("#panel-toggle").click()
    page.locator("#tables").wait_for()

    page.screenshot(path=str(tmp_path / f"table-{locale}-{viewport[0]}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport[0]
    assert page.locator("html").get_attribute("dir") == ("rtl" if locale == "ar" else "ltr")
