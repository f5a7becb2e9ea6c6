"""An art. 52(2)(b) notification in detail: recorded in English, read in Arabic on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.browser.test_case_opening_browser import signed_in
from tests.conftest import PASSWORD, Cast

pytestmark = pytest.mark.browser

IBAN = "CH93 0076 2011 6238 5295 7"


def send_notification(page) -> str:
    """Léa notifies Côte d'Ivoire from the disclosures page; the notification's URL."""
    page.goto("/disclosures")
    page.get_by_text("Send a disclosure or notification").click()
    form = page.locator("form", has=page.get_by_role("button", name="Send"))
    form.get_by_label("Kind").select_option(label="Notification (art. 52(2)(b))")
    form.get_by_label("To State").fill("CIV")
    form.get_by_label("To State").press("Enter")
    form.get_by_label("Summary (encrypted)").fill("Accounts of a PEP flagged to Swiss banks")
    page.once("dialog", lambda dialog: dialog.accept())
    form.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Disclosure sent.")).to_be_visible()
    return page.url


def test_a_notification_recorded_in_english_is_read_in_arabic_on_a_phone(
    cast: Cast, new_page
) -> None:
    lea = signed_in(new_page, cast.lea)
    url = send_notification(lea)
    results = lea.get_by_role("region", name="Results reported back")
    expect(results).to_contain_text("No results reported yet.")

    lea.get_by_text("Record what the financial institutions were told").click()
    details = lea.locator("form", has=lea.get_by_role("button", name="Save the details"))
    details.get_by_label("Sent to financial institutions on").fill("2026-03-02")
    details.get_by_label("Scope (kinds of accounts and transactions)").fill("Current accounts")
    details.get_by_label("Period from").fill("2024-01-01")
    details.get_by_label("Period to").fill("2023-12-31")
    details.locator("#f-accounts-0-number").fill(IBAN)
    details.locator("#f-accounts-1-number").fill("0044-778")
    details.locator("#f-accounts-1-institution").fill("BCV")
    details.locator("#f-persons-0-name").fill("Kouadio Traoré")
    details.locator("#f-persons-0-born_on").fill("1961-05-04")
    details.get_by_role("button", name="Save the details").click()
    expect(lea.locator("#f-period_end-error")).to_have_text(
        "The period cannot end before it starts."
    )
    details.get_by_label("Period to").fill("2025-12-31")
    details.get_by_role("button", name="Save the details").click()
    expect(lea.get_by_text("Notification details saved.")).to_be_visible()

    lea.get_by_text("Record a result reported back").click()
    result = lea.locator("form", has=lea.get_by_role("button", name="Record the result"))
    result.get_by_label("Reported on").fill("2026-03-20")
    result.get_by_label("Institution").fill("Banque Cantonale Vaudoise")
    result.get_by_label("Accounts found").fill("2")
    result.get_by_role("button", name="Record the result").click()
    expect(lea.get_by_text("Result recorded.")).to_be_visible()
    row = lea.get_by_role("region", name="Results reported back").get_by_role("row").nth(1)
    expect(row).to_contain_text("Banque Cantonale Vaudoise")

    amina = new_page(locale="ar", viewport=PHONE)
    amina.goto("/auth/sign-in")
    amina.fill("#email", cast.amina.email)
    amina.fill("#password", PASSWORD)
    amina.locator("main form button[type=submit]").click()
    amina.wait_for_url("**/")
    amina.goto(url)
    assert amina.locator("html").get_attribute("dir") == "rtl"
    told = amina.get_by_role("region", name="ما أُبلغت به المؤسسات المالية")
    expect(told).to_contain_text("CH9300762011623852957")
    expect(told).to_contain_text("Kouadio Traoré")
    reported = amina.get_by_role("region", name="النتائج المُبلَّغ عنها")
    expect(reported).to_contain_text("Banque Cantonale Vaudoise")
    expect(amina.get_by_text("تسجيل نتيجة مُبلَّغ عنها")).to_have_count(0)  # Léa's State records
    # Nothing makes the page itself wider than the phone: wide tables scroll on their own.
    overflow = amina.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
