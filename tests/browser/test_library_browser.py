"""The library search in Chromium: type a term in English or Arabic, open it, switch version."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from network.core import clock
from network.extensions import db
from network.library.documents import create_document
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_accessibility import describe, violations
from tests.conftest import PASSWORD, Cast

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("ARNET_LIBRARY_SHOTS")  # a folder: also save the pages as PNGs there
GUIDE = {
    "en": ("Guide to non-conviction-based confiscation", "Check the requested State's profile."),
    "ar": ("دليل المصادرة دون الاستناد إلى إدانة", "راجع الملف القطري للدولة متلقية الطلب."),
    "fr": ("Guide de la confiscation sans condamnation", "Consultez le profil de l'État requis."),
}


@pytest.fixture
def guide(cast: Cast) -> int:
    document = create_document(
        cast.secretariat,
        {
            "kind": "guide",
            "versions": [
                {"language": code, "title": title, "body": body, "dated_on": clock.now().date()}
                for code, (title, body) in GUIDE.items()
            ],
        },
        now=clock.now(),
    )
    db.session.commit()
    return document.id


def _signed_in(new_page, email: str, locale: str, viewport: tuple[int, int]):
    page = new_page(locale=locale, viewport=viewport)
    page.goto("/auth/sign-in")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/")
    return page


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _fits(page) -> None:
    """Nothing wider than the window: the page does not scroll sideways."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_an_english_reader_finds_the_guide_and_switches_to_its_arabic_version(
    cast: Cast, guide: int, new_page, viewport: tuple[int, int]
) -> None:
    page = _signed_in(new_page, cast.lea.email, "en-GB", viewport)
    if viewport == DESKTOP:
        page.get_by_role("link", name="Library").click()
    else:
        page.goto("/library")
    page.get_by_label("Search the library").fill("confisc")
    page.get_by_role("button", name="Search").click()
    hit = page.locator("#library-list li a").first
    expect(hit).to_have_text(GUIDE["en"][0])
    _fits(page)
    _shot(page, f"library-search-en-{viewport[0]}")
    hit.click()
    expect(page.locator("#library-version")).to_have_attribute("lang", "en")
    expect(page.locator("#library-version")).to_contain_text(GUIDE["en"][1])

    page.locator("#language-versions a[lang=ar]").click()

    version = page.locator("#library-version")
    expect(version).to_have_attribute("dir", "rtl")
    expect(version).to_contain_text(GUIDE["ar"][1])
    expect(page.locator("h1")).to_have_text(GUIDE["ar"][0])
    _fits(page)
    _shot(page, f"library-document-en-{viewport[0]}")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_an_arabic_reader_types_an_arabic_term_and_lands_on_the_arabic_version(
    cast: Cast, guide: int, new_page, viewport: tuple[int, int]
) -> None:
    page = _signed_in(new_page, cast.lea.email, "ar", viewport)
    page.goto("/library")
    assert page.locator("html").get_attribute("dir") == "rtl"
    box = page.locator("#q")
    box.press_sequentially("مصادرة", delay=30)
    box.press("Enter")
    hit = page.locator("#library-list li a").first
    expect(hit).to_have_text(GUIDE["ar"][0])
    _fits(page)
    _shot(page, f"library-search-ar-{viewport[0]}")

    hit.click()

    version = page.locator("#library-version")
    expect(version).to_have_attribute("lang", "ar")
    expect(version).to_have_attribute("dir", "rtl")
    page.locator("#language-versions a[lang=fr]").click()
    expect(page.locator("#library-version")).to_have_attribute("dir", "ltr")
    expect(page.locator("#library-version")).to_contain_text(GUIDE["fr"][1])
    _fits(page)
    _shot(page, f"library-document-ar-{viewport[0]}")


@pytest.mark.parametrize("locale", ["en-GB", "ar"])
def test_the_library_pages_have_no_serious_or_critical_axe_violation(
    cast: Cast, guide: int, new_page, locale: str
) -> None:
    page = new_page(locale=locale, bypass_csp=True)
    page.goto("/auth/sign-in")
    page.fill("#email", cast.secretariat.email)
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/")
    problems = []
    for url in [
        "/library?q=confiscation",
        f"/library/{guide}?lang=ar",
        "/library/glossary",
        "/library/new",
        f"/library/{guide}/edit",
        "/technical-assistance",
        "/directory/who-to-ask?assistance=mla&asset_state=CHE",
    ]:
        assert page.goto(url).status == 200, url
        found = violations(page)
        if found:
            problems.append(describe(url, found))
    assert problems == [], "\n".join(problems)
