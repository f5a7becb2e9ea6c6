"""The case workspace as a messenger, in English and Arabic: composer at the foot, a side panel
opened by keyboard, reply and correct from the page, one date format, the composer near by Tab."""

from __future__ import annotations

import uuid

import pytest

from network.auth.accounts import set_preferences
from network.cases import references
from network.core import clock
from network.extensions import db
from network.messages import posting, reading
from tests.browser.conftest import PHONE
from tests.browser.screenshots import LIVE
from tests.conftest import PASSWORD, Cast
from tests.realtime.conftest import Story, story  # noqa: F401 - the shared case story

pytestmark = pytest.mark.browser
LOCALES = ["en-GB", "ar"]
REPLY = {"en-GB": "Reply", "ar": "رد"}
CORRECT = {"en-GB": "Correct", "ar": "تصحيح"}

# Every message time read back through one formatter: the page's language, the user's zone.
SAME_FORMAT = """(zone) => {
  const format = new Intl.DateTimeFormat(document.documentElement.lang,
    {dateStyle: 'medium', timeStyle: 'short', timeZone: zone});
  return [...document.querySelectorAll('#messages time')].map(
    (time) => [time.textContent, format.format(new Date(time.dateTime))]);
}"""


@pytest.fixture(autouse=True)
def site_origin_allowed(live_server: str) -> None:
    """The origin list is fixed when Socket.IO starts; the live server's port is known only now."""
    from network.extensions import socketio

    socketio.server.eio.cors_allowed_origins = [live_server]


def post(user, channel_id: int, body: str) -> None:
    posting.post_message(
        user,
        channel_id,
        client_id=str(uuid.uuid4()),
        body=body,
        handling_code="H0",
        now=clock.now(),
    )


def workspace(new_page, email: str, case_id: int, locale: str, viewport=(1280, 800)):
    """Signed in by field id whatever the language, on the case's first channel, live."""
    page = new_page(locale=locale, viewport=viewport)
    page.goto("/auth/sign-in")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/")
    page.goto(f"/cases/{case_id}")
    page.wait_for_function(LIVE)
    return page


def stored(cast: Cast, channel_id: int) -> dict[str, tuple[int | None, int | None]]:
    """What the database holds: each body with the seqs it replies to and corrects."""
    db.session.rollback()
    return {
        each.body or "": (each.reply_to_seq, each.corrects_seq)
        for each in reading.messages_after(cast.amina, channel_id, 0, 100)
    }


@pytest.mark.parametrize("locale", LOCALES)
def test_the_composer_stays_at_the_foot_with_fifty_messages_newest_shown(
    cast: Cast,
    story: Story,  # noqa: F811
    new_page,
    locale: str,
) -> None:
    for number in range(1, 51):
        post(cast.lea, story.che_channel, f"Message number {number}")
    db.session.commit()
    page = workspace(new_page, cast.amina.email, story.case_id, locale)

    height = page.viewport_size["height"]
    composer = page.locator("#send-form").bounding_box()
    assert composer is not None
    assert composer["y"] > 0
    assert composer["y"] + composer["height"] <= height
    assert page.evaluate("document.documentElement.scrollHeight") <= height
    # The conversation scrolls in its own box, opened at its foot on the newest message.
    box = page.locator("#messages").bounding_box()
    newest = page.locator("#messages .message", has_text="Message number 50").bounding_box()
    assert box is not None
    assert newest is not None
    assert newest["y"] + newest["height"] <= box["y"] + box["height"] + 1
    assert page.locator("#messages").evaluate("list => list.scrollHeight > list.clientHeight")


@pytest.mark.parametrize("locale", LOCALES)
def test_the_case_panel_opens_and_closes_by_keyboard_and_is_remembered(
    cast: Cast,
    story: Story,  # noqa: F811
    new_page,
    locale: str,
) -> None:
    page = workspace(new_page, cast.amina.email, story.case_id, locale)
    toggle = page.locator("#panel-toggle")
    panel = page.locator("#case-panel")
    assert panel.is_visible()  # a wide screen opens it the first time
    assert toggle.get_attribute("aria-expanded") == "true"

    toggle.focus()
    page.keyboard.press("Enter")
    assert not panel.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    page.reload()
    page.wait_for_function(LIVE)
    assert not panel.is_visible()  # remembered for this user

    page.locator("#panel-toggle").focus()
    page.keyboard.press("Space")
    assert panel.is_visible()
    for section in ("#members", "#team", "#stage", "#requests", "#measures", "#deadlines"):
        assert panel.locator(section).count() == 1, section
    page.keyboard.press("Escape")  # the focus went into the panel; Escape closes it
    assert not panel.is_visible()
    assert page.evaluate("document.activeElement.id") == "panel-toggle"


@pytest.mark.parametrize("locale", LOCALES)
def test_a_reply_a_quote_and_a_correction_from_the_page_carry_their_seqs(
    cast: Cast,
    story: Story,  # noqa: F811
    new_page,
    locale: str,
) -> None:
    post(cast.lea, story.che_channel, "Is the account still open?")
    post(cast.amina, story.che_channel, "We hear it was closed in Mai.")
    db.session.commit()
    page = workspace(new_page, cast.amina.email, story.case_id, locale)
    first, second = page.locator("#m-1"), page.locator("#m-2")
    assert second.get_by_role("button", name=CORRECT[locale], exact=False).count() == 1
    assert first.locator("[data-action=correct]").count() == 0  # not one's own message

    first.locator("[data-action=reply]").click()
    assert page.locator("#composer-context").is_visible()
    assert page.evaluate("document.activeElement.id") == "message-body"
    page.keyboard.type("Still open, frozen since Monday.")
    page.keyboard.press("Control+Enter")
    page.locator("#messages .message-body", has_text="frozen since Monday").wait_for()
    assert not page.locator("#composer-context").is_visible()

    second.locator("[data-action=correct]").click()
    assert page.locator("#message-body").input_value() == "We hear it was closed in Mai."
    page.fill("#message-body", "We hear it was closed in May.")
    page.locator("#send-form [type=submit]").click()
    page.locator("#messages .message-body", has_text="closed in May.").wait_for()

    first.locator("[data-action=quote]").click()
    assert page.locator("#message-body").input_value() == "> Is the account still open?\n"
    page.locator("#composer-cancel").click()
    assert not page.locator("#composer-context").is_visible()

    held = stored(cast, story.che_channel)
    assert held["Still open, frozen since Monday."] == (1, None)
    assert held["We hear it was closed in May."] == (None, 2)
    assert page.locator("#m-3 .message-ref").inner_text() == page.evaluate(
        "document.getElementById('channel').dataset.tInReply.replace('%(seq)s', '1')"
    )


@pytest.mark.parametrize("locale", LOCALES)
def test_a_live_message_and_a_stored_one_show_one_format_in_the_users_zone(
    cast: Cast,
    story: Story,  # noqa: F811
    new_page,
    locale: str,
) -> None:
    set_preferences(cast.amina, locale=None, time_zone="Asia/Tokyo")
    post(cast.lea, story.che_channel, "Stored before the page opened")
    db.session.commit()
    amina = workspace(new_page, cast.amina.email, story.case_id, locale)
    lea = workspace(new_page, cast.lea.email, story.case_id, locale)
    lea.fill("#message-body", "Sent while the page is open")
    lea.locator("#send-form [type=submit]").click()
    amina.locator("#messages .message-body", has_text="Sent while the page is open").wait_for()

    # The browser runs in Zurich; the times read in the user's own zone, Tokyo.
    shown = amina.evaluate(SAME_FORMAT, "Asia/Tokyo")
    assert len(shown) == 2
    for text, expected in shown:
        assert text == expected
    zurich = amina.evaluate(SAME_FORMAT, "Europe/Zurich")
    assert all(text != in_zurich for (text, _), (_, in_zurich) in zip(shown, zurich, strict=True))


@pytest.mark.parametrize("locale", LOCALES)
def test_the_composer_is_reached_in_three_tab_presses(
    cast: Cast,
    story: Story,  # noqa: F811
    new_page,
    locale: str,
) -> None:
    page = workspace(new_page, cast.amina.email, story.case_id, locale)
    page.evaluate("document.activeElement.blur()")
    for _press in range(3):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == "#message-body":
            break
    else:
        pytest.fail("the way to the composer is more than three Tab presses away")
    assert page.locator(":focus").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "message-body"


@pytest.mark.parametrize("locale", LOCALES)
def test_at_phone_width_the_channels_stay_on_one_row_and_the_panel_covers_then_closes(
    cast: Cast,
    story: Story,  # noqa: F811
    new_page,
    locale: str,
) -> None:
    page = workspace(new_page, cast.amina.email, story.case_id, locale, viewport=PHONE)
    panel = page.locator("#case-panel")
    assert not panel.is_visible()  # a phone opens on the conversation
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    composer = page.locator("#send-form").bounding_box()
    assert composer is not None
    assert composer["y"] + composer["height"] <= PHONE[1]

    page.locator("#panel-toggle").focus()
    page.keyboard.press("Enter")
    assert panel.is_visible()
    box = panel.bounding_box()
    assert box is not None
    assert box["width"] <= PHONE[0]
    page.keyboard.press("Escape")
    assert not panel.is_visible()


@pytest.mark.parametrize("locale", LOCALES)
def test_at_phone_width_a_side_sets_its_own_reference_from_the_panel(
    cast: Cast,
    story: Story,  # noqa: F811
    new_page,
    locale: str,
    tmp_path,
) -> None:
    page = workspace(new_page, cast.lea.email, story.case_id, locale, viewport=PHONE)
    page.locator("#panel-toggle").focus()
    page.keyboard.press("Enter")
    field = page.locator("#reference-reference")
    field.fill("OFJ-RH-2026-17")
    field.press("Enter")  # the form submits from the keyboard

    page.wait_for_url("**#case-facts")
    page.locator("#panel-toggle").focus()
    if not page.locator("#case-panel").is_visible():
        page.keyboard.press("Enter")
    facts = page.locator("#case-facts .facts")
    assert "OFJ-RH-2026-17" in facts.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    page.screenshot(path=tmp_path / f"reference-{locale}.png", full_page=False)
    db.session.rollback()
    assert references.case_reference(story.case_id, "CHE") == "OFJ-RH-2026-17"
