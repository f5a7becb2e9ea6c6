"""A freezing order recorded through the pages reaches the other State's dashboard and timeline."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from babel.dates import format_date
from playwright.sync_api import expect

from network.core import clock
from tests.browser.test_case_opening_browser import signed_in
from tests.conftest import Cast
from tests.realtime.conftest import Story, story  # noqa: F401 - the shared case story

pytestmark = pytest.mark.browser

AUTHORITY = "Office of the Attorney General of Switzerland"


def written(iso_day: str) -> str:
    """A date as an English page writes it (Babel's medium format)."""
    return format_date(date.fromisoformat(iso_day), "medium", "en")


def record_asset_and_freezing_order(page, case_id: int, effective_on: str, expires_on: str):
    """Léa's side of the story: the account found in Switzerland, then the order that holds it."""
    page.goto(f"/cases/{case_id}/tracking")
    page.get_by_text("Record an asset").click()
    asset_form = page.locator("form", has=page.get_by_role("button", name="Record asset"))
    asset_form.get_by_label("Kind").select_option(label="Bank account")
    asset_form.get_by_label("Location State").fill("CHE")  # the code finds the State too
    asset_form.get_by_label("Location State").press("Enter")
    asset_form.get_by_label("Estimated value").fill("2500000.00")
    asset_form.get_by_label("Currency (ISO 4217)").fill("CHF")
    asset_form.get_by_label("Description (encrypted)").fill("Private banking account, Geneva")
    asset_form.get_by_role("button", name="Record asset").click()
    expect(page.get_by_text("Asset recorded.")).to_be_visible()

    page.get_by_text("Record an order").click()
    order_form = page.locator("form", has=page.get_by_role("button", name="Record order"))
    order_form.get_by_label("Kind").select_option(label="Freezing")
    order_form.get_by_label(re.compile(r"Bank account \(CHE\)")).check()
    order_form.get_by_label("Issuing authority").fill(AUTHORITY)
    order_form.get_by_label("Issuing State", exact=True).fill("Switz")
    order_form.get_by_label("Issuing State", exact=True).press("Enter")
    order_form.get_by_label("Legal basis").select_option("54_2_a")
    order_form.get_by_label("Effective on (leave empty while only requested)").fill(effective_on)
    order_form.get_by_label("Expires on (a date in the issuing State)").fill(expires_on)
    order_form.get_by_label("Order reference").fill("MPC/2026/118")
    order_form.get_by_role("button", name="Record order").click()
    expect(page.get_by_text("Order recorded.")).to_be_visible()


def test_a_freezing_order_recorded_in_the_pages_shows_on_the_dashboard_and_timeline(
    cast: Cast,
    story: Story,  # noqa: F811
    new_page,
):
    today = clock.now().date()  # the cast's States keep UTC, as the server does here
    effective_on, expires_on = today.isoformat(), (today + timedelta(days=10)).isoformat()
    lea = signed_in(new_page, cast.lea)
    record_asset_and_freezing_order(lea, story.case_id, effective_on, expires_on)

    order = lea.get_by_role("row", name=re.compile("Freezing"))
    expect(order).to_contain_text("In force")
    expect(order).to_contain_text(f"end of {written(expires_on)}, UTC")
    order.get_by_role("link").click()
    history = lea.get_by_role("region", name="History")
    expect(history.get_by_role("cell", name="Order recorded")).to_be_visible()
    expect(history).to_contain_text(
        f"Effective on: {written(effective_on)}; Expires on: {written(expires_on)}"
    )

    # The requesting State learns of it on its own dashboard, with the lapse date and days left.
    amina = signed_in(new_page, cast.amina)
    deadlines = amina.get_by_role("region", name="My deadlines in the next 30 days")
    deadline = deadlines.get_by_role("row", name=re.compile("Freezing order expires"))
    expect(deadline).to_contain_text(written(expires_on))
    expect(deadline).to_contain_text("10 days left")
    expect(deadline).to_contain_text("Freezing order expires (CHE)")

    deadline.get_by_role("link", name="CIV-2026-1").click()
    expect(amina.get_by_role("heading", level=1)).to_have_text("Timeline of case CIV-2026-1")
    orders = amina.get_by_role("region", name="Freezing and seizure orders")
    row = orders.get_by_role("row", name=re.compile("Freezing"))
    expect(row.get_by_role("cell")).to_have_text(
        [
            "CHE",
            written(effective_on),
            written(expires_on),
            "—",
            written(expires_on),
            "In force",
            "10",
        ]
    )
