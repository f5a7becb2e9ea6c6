"""The State picker: a State found by any UN name or its code, chosen and removed by keyboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.conftest import PASSWORD, Cast

pytestmark = pytest.mark.browser


def signed_in(new_page, email: str, locale: str, viewport=(1280, 800)):
    page = new_page(locale=locale, viewport=viewport)
    page.goto("/auth/sign-in")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/")
    return page


@pytest.mark.parametrize("locale", ["en-GB", "ar"])
def test_at_phone_width_states_are_found_by_any_un_name_and_chosen_by_keyboard(
    cast: Cast, new_page, locale: str, tmp_path
) -> None:
    page = signed_in(new_page, cast.amina.email, locale, viewport=PHONE)
    page.goto("/cases/new")
    states = page.locator("#choose-states")
    assert states.get_attribute("role") == "combobox"

    states.fill("Росс")  # Russia's Russian name, whatever the page's language
    expect(page.locator(".state-options [role=option]")).to_have_text(["Russia (RUS)"])
    states.press("Enter")
    states.fill("suis")  # Switzerland's French name, without its capital
    states.press("ArrowDown")
    states.press("Enter")
    states.fill("zzz")
    expect(page.locator(".state-no-match")).not_to_be_empty()
    states.fill("")
    chips = page.locator(".state-chips li")
    expect(chips).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    page.screenshot(path=tmp_path / f"picker-{locale}.png")

    states.press("Backspace")  # in an empty box, the last chip goes
    expect(chips).to_have_count(1)
    chosen = page.evaluate(
        "[...document.querySelector('#choose-states-select').selectedOptions].map(o => o.value)"
    )
    assert chosen == ["RUS"]
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**requested_states=RUS**")
    assert page.get_by_text("Russia (RUS)").count() >= 1


def test_a_single_state_is_chosen_by_name_and_the_form_sends_its_code(cast: Cast, new_page) -> None:
    page = signed_in(new_page, cast.lea.email, "en-GB")
    page.goto("/disclosures")
    page.locator("details summary").first.click()
    recipient = page.get_by_label("To State")

    recipient.fill("ivoire")  # the accent of Côte d’Ivoire is not needed
    recipient.press("Enter")

    expect(recipient).to_have_value("Côte d’Ivoire (CIV)")
    assert page.evaluate("document.querySelector('#f-to_state-select').value") == "CIV"
    recipient.fill("")
    assert page.evaluate("document.querySelector('#f-to_state-select').value") == ""


@pytest.mark.parametrize("locale", ["en-GB", "ar"])
def test_at_phone_width_a_disclosure_names_its_subjects_in_rows_with_a_role_each(
    cast: Cast, new_page, locale: str, tmp_path
) -> None:
    page = signed_in(new_page, cast.lea.email, locale, viewport=PHONE)
    page.goto("/disclosures")
    page.locator("details summary").first.click()
    page.select_option("select[name=kind]", "spontaneous_56")
    page.locator("#f-to_state").fill("CIV")
    page.locator("#f-to_state").press("Enter")
    page.locator("textarea[name=summary]").fill("Transfers via Zurich")
    page.locator("#f-subjects-0-name").fill("K. Traoré")
    page.select_option("#f-subjects-0-role", "pep")
    page.locator("#f-subjects-1-name").fill("Quillfeather Holdings SA")
    page.select_option("#f-subjects-1-role", "account_holder")
    page.locator("[data-add-row]").click()  # a third row, numbered on, focused
    assert page.evaluate("document.activeElement.name") == "subjects-2.name"
    page.keyboard.type("A. Koné")
    page.select_option("#f-subjects-2-role", "other")
    page.screenshot(path=tmp_path / f"rows-{locale}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator("form.stacked-form button[type=submit]").click()

    page.wait_for_url("**/disclosures/*")
    for name in ("K. Traoré", "Quillfeather Holdings SA", "A. Koné"):
        expect(page.get_by_text(name)).to_be_visible()
