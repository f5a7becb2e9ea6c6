"""Directory search as you type in a real headless Chromium (no inline script, CSP intact)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from tests.browser.test_sign_in_browser import fill_password
from tests.conftest import PASSWORD

if TYPE_CHECKING:
    from tests.directory_fixtures import SmallDirectory

pytestmark = pytest.mark.browser
pytest_plugins = ["tests.directory_fixtures"]

RESULTS = "#directory-list li a"


def open_directory(page, email: str):
    """Sign in and follow the Directory link; the page is marked to tell a reload apart."""
    fill_password(page, email, PASSWORD)
    page.wait_for_url("**/")
    page.get_by_role("link", name="Directory").click()
    page.wait_for_url("**/directory")
    page.evaluate("window.__same_page = true")
    return page


def type_query(page, text: str) -> None:
    """Clear the search box and type key by key, as a person does (each key asks again)."""
    box = page.get_by_role("searchbox")
    box.fill("")
    box.press_sequentially(text, delay=40)


def test_results_appear_as_one_types_without_a_page_reload(
    small_directory: SmallDirectory, new_page
):
    page = new_page()
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    open_directory(page, small_directory.cast.lea.email)
    page.get_by_label("Search States, authorities and focal points").fill("科特迪瓦")
    first = page.locator("#directory-list li a").first
    first.wait_for()
    assert first.inner_text() == "Côte d'Ivoire"  # the UN's name
    assert page.evaluate("window.__same_page") is True  # no reload happened
    page.get_by_label("Search States, authorities and focal points").fill("Dmitry Volkov")
    page.locator("#directory-list li a", has_text="Дмитрий Волков").first.wait_for()
    assert page.locator("#directory-list mark").count() >= 1
    # The favicon's 404 is not ours; a CSP refusal or a script error would be.
    assert [error for error in errors if "Failed to load resource" not in error] == []


def test_a_state_and_a_person_typed_in_russian_are_found_as_one_types(
    small_directory: SmallDirectory, new_page
):
    page = open_directory(new_page(), small_directory.cast.lea.email)
    # A keyboard's straight apostrophe; CLDR writes the Russian name with a typographic one.
    type_query(page, "Кот-д'Ивуар")
    expect(page.locator(RESULTS).first).to_have_text("Côte d'Ivoire")
    expect(page.locator(RESULTS).first).to_have_attribute("href", "/directory/states/CIV")

    type_query(page, "Волков")
    person = page.locator(RESULTS, has_text="Дмитрий Волков")
    expect(person).to_have_count(1)
    expect(person.locator("mark")).to_have_text("Волков")
    assert page.evaluate("window.__same_page") is True  # no reload happened


def test_an_arabic_reader_finds_a_state_and_a_person_typed_in_arabic(
    small_directory: SmallDirectory, new_page
):
    page = open_directory(new_page(), small_directory.cast.lea.email)
    # Typed in Arabic while the pages are still in English: CLDR's Arabic name of CIV,
    # which finds the State named as the UN names it.
    type_query(page, "ساحل العاج")
    expect(page.locator(RESULTS).first).to_have_text("Côte d'Ivoire")

    page.get_by_label("Language", exact=True).select_option("ar")
    page.get_by_role("button", name="Change language").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.evaluate("window.__same_page = true")
    type_query(page, "كوت ديفوار")  # the UN's Arabic name
    state = page.locator(RESULTS).first
    expect(state).to_have_text("كوت ديفوار")
    expect(state).to_have_attribute("href", "/directory/states/CIV")

    type_query(page, "محمد")
    person = page.locator(RESULTS, has_text="محمد الهاشمي")
    expect(person).to_have_count(1)
    expect(person.locator("mark")).to_have_text("محمد")
    assert page.evaluate("window.__same_page") is True
