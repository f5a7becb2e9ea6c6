"""Right to left, checked where the pixels fall, not in the markup.

In Arabic the page reads from the right: a heading starts at the right edge, and an
identifier (an IBAN, an order or disclosure reference) inside it still reads left to
right, its first characters left of its last. (The workspace and its messages are
checked in test_arabic_workspace_browser.py, the charts in test_charts_browser.py.)
"""

from __future__ import annotations

import pytest

from network.core import clock
from network.disclosures import service as disclosures
from network.extensions import db
from network.recovery import assets
from tests.browser.test_charts_browser import signed_in
from tests.conftest import Cast
from tests.stories import open_freeze

pytestmark = pytest.mark.browser

# Starting with digits, a bare account number reads its groups right to left in Arabic
# text unless it is isolated (an IBAN's leading letters would hide that).
ACCOUNT = "0076 2011 6238 5295"

# Where a piece of text sits: the box of its first and of its last characters.
ENDS = """([selector, text]) => {
  const holder = [...document.querySelectorAll(selector)].find(e => e.textContent.includes(text));
  if (!holder) return null;
  const node = [...holder.childNodes].find(n => n.textContent.includes(text)) || holder;
  const textNode = node.nodeType === Node.TEXT_NODE ? node : node.firstChild;
  const at = textNode.textContent.indexOf(text);
  const box = (start) => {
    const range = document.createRange();
    range.setStart(textNode, start);
    range.setEnd(textNode, start + 1);
    const r = range.getBoundingClientRect();
    return {left: r.left, right: r.right};
  };
  return {first: box(at), last: box(at + text.length - 1)};
}"""

# How far the text of an element (not its block) stands from each side of the main column.
SIDES = """(selector) => {
  const range = document.createRange();
  range.selectNodeContents(document.querySelector(selector));
  const r = range.getBoundingClientRect();
  const main = document.querySelector('main').getBoundingClientRect();
  return {left: r.left - main.left, right: main.right - r.right};
}"""


def reads_left_to_right(page, selector: str, text: str) -> None:
    ends = page.evaluate(ENDS, [selector, text])
    assert ends is not None, f"{text!r} is not on the page in {selector}"
    assert ends["first"]["left"] < ends["last"]["left"], f"{text!r} reads right to left: {ends}"


@pytest.mark.parametrize("locale", ["en-GB", "ar"])
def test_an_asset_page_starts_on_the_reading_side_and_its_account_reads_left_to_right(
    cast: Cast, new_page, locale: str
) -> None:
    freeze = open_freeze(cast, now=clock.now())
    assets.update_asset(
        cast.lea, freeze.asset.id, {"identifiers": {"رقم الحساب": ACCOUNT}}, clock.now()
    )
    db.session.commit()
    page = signed_in(new_page, cast.amina.email, locale)
    page.goto(f"/assets/{freeze.asset.id}")
    reads_left_to_right(page, "bdi.identifier", ACCOUNT)
    heading = page.evaluate(SIDES, "main h1")
    if locale == "ar":
        assert heading["right"] < heading["left"], f"the Arabic heading starts right: {heading}"
    else:
        assert heading["left"] < heading["right"], f"the English heading starts left: {heading}"


def test_an_arabic_disclosure_list_keeps_its_reference_left_to_right(cast: Cast, new_page) -> None:
    disclosures.send_disclosure(
        cast.amina,
        kind="spontaneous_56",
        to_state="CHE",
        summary="Proceeds passed through a Zurich trust",
        subjects=[{"name": "Ottoline Wrenhollow", "role": "suspect"}],
        handling_note="Do not contact the trustee",
        reference="DISC-2026-0042",
        now=clock.now(),
    )
    db.session.commit()
    page = signed_in(new_page, cast.lea.email, "ar")
    page.goto("/disclosures")
    reads_left_to_right(page, "bdi", "DISC-2026-0042")


@pytest.mark.parametrize("locale", ["en-GB", "ar"])
def test_a_state_page_starts_on_the_reading_side(cast: Cast, new_page, locale: str) -> None:
    page = signed_in(new_page, cast.amina.email, locale)
    page.goto("/directory/states/CHE")
    heading = page.evaluate(SIDES, "main h1")
    if locale == "ar":
        assert heading["right"] < heading["left"], heading
    else:
        assert heading["left"] < heading["right"], heading
