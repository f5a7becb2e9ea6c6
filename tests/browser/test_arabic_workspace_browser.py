"""The case workspace in Arabic: the layout mirrors, a Latin IBAN in Arabic text stays intact."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from network.core import clock
from network.extensions import db
from network.messages import posting
from tests.browser.screenshots import LIVE
from tests.conftest import PASSWORD, Cast
from tests.realtime.conftest import Story, story  # noqa: F401 - the shared case story

pytestmark = pytest.mark.browser

IBAN = "CH93 0076 2011 6238 5295 7"
FROZEN = f"الحساب {IBAN} مجمد"
ASKED = f"هل يمكن تحويل الأموال من {IBAN} قبل الجمعة؟"

# The x position of each IBAN character, in logical order, as Chromium lays it out.
IBAN_GLYPH_LEFTS = """([text, iban]) => {
  const body = [...document.querySelectorAll('#messages .message-body')]
    .find((each) => each.textContent === text);
  const node = body.firstChild;
  const start = node.textContent.indexOf(iban);
  const lefts = [];
  for (let i = 0; i < iban.length; i++) {
    if (iban[i] === ' ') continue;
    const range = document.createRange();
    range.setStart(node, start + i);
    range.setEnd(node, start + i + 1);
    lefts.push(range.getBoundingClientRect().left);
  }
  return lefts;
}"""


@pytest.fixture(autouse=True)
def site_origin_allowed(live_server: str) -> None:
    """The origin list is fixed when Socket.IO starts; the live server's port is known only now."""
    from network.extensions import socketio

    socketio.server.eio.cors_allowed_origins = [live_server]


def open_workspace_in_arabic(new_page, email: str, case_id: int):
    page = new_page(locale="ar")
    page.goto("/auth/sign-in")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/")
    page.goto(f"/cases/{case_id}")
    page.wait_for_function(LIVE)
    return page


def assert_iban_intact(page, text: str) -> None:
    body = page.locator("#messages .message-body", has_text=text)
    assert body.get_attribute("dir") == "auto"
    content = body.evaluate("element => element.textContent")
    assert content == text
    assert IBAN in content
    # Seen left to right, the IBAN's characters come in their own order: not scrambled.
    lefts = page.evaluate(IBAN_GLYPH_LEFTS, [text, IBAN])
    assert lefts == sorted(lefts), lefts
    assert len(set(lefts)) == len(lefts), lefts


def test_the_workspace_in_arabic_mirrors_and_keeps_a_latin_iban_intact(
    cast: Cast, story: Story, new_page, tmp_path: Path  # noqa: F811
) -> None:
    posting.post_message(
        cast.lea, story.che_channel, client_id=str(uuid.uuid4()), body=FROZEN,
        handling_code="H2", now=clock.now(),
    )
    db.session.commit()
    amina = open_workspace_in_arabic(new_page, cast.amina.email, story.case_id)
    lea = open_workspace_in_arabic(new_page, cast.lea.email, story.case_id)

    assert amina.locator("html").get_attribute("dir") == "rtl"
    assert amina.locator("html").get_attribute("lang") == "ar"
    assert amina.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # The mirror is real: the brand sits on the right, the channel heading aligns right.
    width = amina.viewport_size["width"]
    brand = amina.locator(".brand-name").bounding_box()
    assert brand is not None
    assert brand["x"] > width / 2
    assert_iban_intact(amina, FROZEN)

    # Sent live from the other side, rendered by script: the same guarantees.
    lea.fill("#message-body", ASKED)
    lea.locator("#send-form [type=submit]").click()
    amina.locator("#messages .message-body", has_text=ASKED).wait_for()
    assert_iban_intact(amina, ASKED)

    shot = tmp_path / "workspace-ar.png"
    amina.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert amina.locator("html").get_attribute("dir") == "rtl"
