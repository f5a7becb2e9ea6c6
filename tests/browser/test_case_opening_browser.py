"""Opening a case through the pages toward two requested States: both see it, a third does not."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.test_sign_in_browser import fill_password
from tests.conftest import PASSWORD, Cast

pytestmark = pytest.mark.browser

TITLE = "Yacht in Antibes"


def signed_in(new_page, user):
    """A fresh browser context in which ``user`` has signed in with their password."""
    page = new_page()
    fill_password(page, user.email, PASSWORD)
    page.wait_for_url("**/")
    return page


def channel_tabs(page):
    return page.get_by_role("navigation", name="Channels").get_by_role("link")


def test_a_case_opened_toward_two_states_reaches_both_and_no_third_state(cast: Cast, new_page):
    amina = signed_in(new_page, cast.amina)
    amina.get_by_role("link", name="Cases").click()
    amina.get_by_role("link", name="Open a case").click()
    states = amina.get_by_label("Requested States")
    states.fill("Suis")  # a French name finds Switzerland on an English page
    states.press("Enter")
    states.fill("fra")
    states.press("Enter")
    expect(amina.locator(".state-chips li")).to_have_text(["France (FRA)×", "Switzerland (CHE)×"])
    amina.get_by_role("button", name="Show counterparts").click()
    amina.get_by_label("Léa Müller (CHE)").check()
    amina.get_by_label("Camille Laurent (FRA)").check()
    amina.get_by_label("Title").fill(TITLE)
    amina.get_by_label("Summary (encrypted)").fill("Proceeds of bribery moored in France")
    amina.get_by_label("Your reference").fill("CIV-2026-42")
    amina.get_by_role("button", name="Open the case").click()

    expect(amina.get_by_text("Case opened.")).to_be_visible()
    expect(amina.get_by_role("heading", level=1)).to_have_text(TITLE)
    # The requesting State holds one bilateral channel per requested State.
    expect(channel_tabs(amina)).to_have_count(2)
    assert sorted(channel_tabs(amina).all_inner_texts()) == [
        "Channel CIV – CHE",
        "Channel CIV – FRA",
    ]
    case_path = urlsplit(amina.url).path

    for user, state in ((cast.lea, "CHE"), (cast.camille, "FRA")):
        page = signed_in(new_page, user)
        page.get_by_role("link", name="Cases").click()
        page.get_by_role("link", name=TITLE).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        expect(page.get_by_text("Proceeds of bribery moored in France")).to_be_visible()
        # Each requested State sees its own channel only, never the other's.
        expect(channel_tabs(page)).to_have_text([f"Channel CIV – {state}"])

    chen = signed_in(new_page, cast.chen)
    chen.get_by_role("link", name="Cases").click()
    expect(chen.get_by_role("heading", level=1)).to_contain_text("My cases")
    expect(chen.get_by_role("link", name=TITLE)).to_have_count(0)
    response = chen.goto(case_path)
    assert response is not None
    assert response.status == 404
    assert TITLE not in chen.content()
