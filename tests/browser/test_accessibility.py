"""axe-core on the main pages, in English and in Arabic: no serious or critical violation."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from network.core import clock
from network.disclosures import institutions
from network.disclosures import service as disclosures
from network.extensions import db
from network.messages import posting
from tests.browser.conftest import PHONE
from tests.browser.screenshots import LIVE
from tests.conftest import PASSWORD
from tests.stories import open_freeze

if TYPE_CHECKING:
    from tests.directory_fixtures import SmallDirectory

pytestmark = pytest.mark.browser
pytest_plugins = ["tests.directory_fixtures"]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}
MENU = {"en-GB": "Menu", "ar": "القائمة"}


@dataclass
class Scene:
    """A case with a freezing order and a message, a disclosure, and a notification Aminata's
    State (CIV) made with a result reported back, seen by Aminata."""

    case_id: int
    disclosure_id: int
    notification_id: int
    asset_id: int
    measure_id: int
    authority_id: int


@pytest.fixture
def scene(small_directory: SmallDirectory) -> Scene:
    cast = small_directory.cast
    freeze = open_freeze(cast, now=clock.now())
    case = freeze.story.case
    posting.post_message(
        cast.lea, freeze.story.che.id, client_id=str(uuid.uuid4()),
        body="الحساب CH93 0076 2011 6238 5295 7 مجمد", handling_code="H2", now=clock.now(),
    )
    disclosure = disclosures.send_disclosure(
        cast.lea, kind="spontaneous_56", to_state="CIV",
        summary="Accounts in Zurich receive transfers from the Abidjan port authority.",
        subjects=[{"name": "Kouadio Traoré", "role": "pep"}], handling_code="H1", now=clock.now(),
    )
    notification = disclosures.send_disclosure(
        cast.amina, kind="notification_52_2_b", to_state="CHE", summary="PEP accounts flagged.",
        notification={
            "notified_on": date(2026, 3, 2), "scope": "Current accounts",
            "persons": [{"name": "Kouadio Traoré", "born_on": date(1961, 5, 4)}],
            "accounts": [{"number": "CH93 0076 2011 6238 5295 7"}],
        },
        now=clock.now(),
    )
    institutions.record_result(
        cast.amina, notification.id, reported_on=date(2026, 3, 20),
        institution="Banque Cantonale Vaudoise", accounts_found=1, now=clock.now(),
    )
    db.session.commit()
    return Scene(
        case_id=case.id, disclosure_id=disclosure.id, notification_id=notification.id,
        asset_id=freeze.asset.id,
        measure_id=freeze.measure.id, authority_id=small_directory.civ_mla.id,
    )


@pytest.fixture(autouse=True)
def site_origin_allowed(live_server: str) -> None:
    """The workspace goes live (the origin list is fixed when Socket.IO starts)."""
    from network.extensions import socketio

    socketio.server.eio.cors_allowed_origins = [live_server]


def sign_in(page, email: str) -> None:
    """Sign in whatever the page's language: by field id, not by label."""
    page.goto("/auth/sign-in")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/")


def violations(page) -> list[dict]:
    """Run axe on the page as it stands; keep the serious and critical findings."""
    if not AXE.exists():
        pytest.fail(f"axe-core is not installed at {AXE} (npm ci)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " targets: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))"
    )
    return [each for each in found if each["impact"] in BLOCKING]


def describe(url: str, found: list[dict]) -> str:
    return f"{url}:\n" + "\n".join(
        f"  {each['id']} ({each['impact']}): {each['help']} → {each['targets']}" for each in found
    )


@pytest.mark.parametrize("locale", ["en-GB", "ar"])
def test_the_main_pages_have_no_serious_or_critical_axe_violation(
    scene: Scene, small_directory: SmallDirectory, new_page, locale: str
) -> None:
    page = new_page(locale=locale, bypass_csp=True)
    page.goto("/auth/sign-in")
    expected_dir = "rtl" if locale == "ar" else "ltr"
    assert page.locator("html").get_attribute("dir") == expected_dir
    problems: list[str] = []
    found = violations(page)
    if found:
        problems.append(describe("/auth/sign-in", found))

    sign_in(page, small_directory.cast.amina.email)
    assert not page.locator(".menu-toggle").is_visible()  # a desktop shows the whole menu
    problems.extend(check_pages(page, main_pages(scene), expected_dir, scene))
    assert not problems, "axe-core found serious or critical violations:\n" + "\n".join(problems)


def main_pages(scene: Scene) -> list[str]:
    return [
        "/",
        "/directory?q=Ivoire",
        "/directory/states/CIV",
        f"/directory/authorities/{scene.authority_id}",
        "/cases",
        "/cases/new",
        f"/cases/{scene.case_id}",
        f"/cases/{scene.case_id}/tracking",
        f"/cases/{scene.case_id}/tracking/links",
        f"/cases/{scene.case_id}/timeline",
        f"/assets/{scene.asset_id}",
        f"/measures/{scene.measure_id}",
        "/disclosures",
        f"/disclosures/{scene.disclosure_id}",
        f"/disclosures/{scene.notification_id}",
        "/notifications",
        "/account",
        "/statistics",
    ]


def check_pages(page, pages: list[str], expected_dir: str, scene: Scene) -> list[str]:
    problems: list[str] = []
    for url in pages:
        response = page.goto(url)
        assert response is not None, url
        assert response.status == 200, url
        assert page.locator("html").get_attribute("dir") == expected_dir, url
        if url == f"/cases/{scene.case_id}":
            page.wait_for_function(LIVE)
        found = violations(page)
        if found:
            problems.append(describe(url, found))
    return problems


WIDER_THAN_THE_VIEWPORT = """() => {
  const width = window.innerWidth;
  const wide = [...document.querySelectorAll('body *')].filter(element => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && (box.right > width + 1 || box.left < -1)
      && !element.closest('.scroll-box, table, .messages, .skip-link, .visually-hidden');
  });
  return {
    document: document.documentElement.scrollWidth,
    viewport: width,
    culprits: wide.slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + e.className),
  };
}"""


@pytest.mark.parametrize("locale", ["en-GB", "ar"])
def test_every_main_page_fits_a_phone(
    scene: Scene, small_directory: SmallDirectory, new_page, locale: str
) -> None:
    page = new_page(locale=locale, viewport=PHONE)
    too_wide: list[str] = []

    def measure(url: str) -> None:
        width = page.evaluate(WIDER_THAN_THE_VIEWPORT)
        if width["document"] > width["viewport"] or width["culprits"]:
            too_wide.append(f"{url}: {width}")

    page.goto("/auth/sign-in")
    measure("/auth/sign-in")
    sign_in(page, small_directory.cast.amina.email)
    menu = page.get_by_role("button", name=MENU[locale])
    assert menu.is_visible()
    assert not page.locator("#site-menu").is_visible()
    menu.click()
    assert page.locator("#site-menu").is_visible()
    assert menu.get_attribute("aria-expanded") == "true"
    for url in main_pages(scene):
        response = page.goto(url)
        assert response is not None, url
        assert response.status == 200, url
        measure(url)
    page.context.clear_cookies()
    sign_in(page, small_directory.cast.yao.email)
    for url in (
        "/admin/users",
        "/admin/users/new",
        "/directory/states/CIV/profile/edit",
        "/directory/states/CIV/authorities/new",
    ):
        response = page.goto(url)
        assert response is not None, url
        assert response.status == 200, url
        measure(url)
    assert not too_wide, "wider than a phone:\n" + "\n".join(too_wide)
