"""axe-core on the main pages, in English and in Arabic: no serious or critical violation."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from network.core import clock
from network.disclosures import service as disclosures
from network.extensions import db
from network.messages import posting
from tests.browser.screenshots import LIVE
from tests.conftest import PASSWORD
from tests.tracking_story import open_freeze

if TYPE_CHECKING:
    from tests.directory_fixtures import SmallDirectory

pytestmark = pytest.mark.browser
pytest_plugins = ["tests.directory_fixtures"]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


@dataclass
class Scene:
    """A case with a freezing order and a message, and a disclosure, seen by Aminata (CIV)."""

    case_id: int
    disclosure_id: int
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
    db.session.commit()
    return Scene(
        case_id=case.id, disclosure_id=disclosure.id, asset_id=freeze.asset.id,
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
    pages = [
        "/",
        "/directory?q=Ivoire",
        "/directory/states/CIV",
        f"/directory/authorities/{scene.authority_id}",
        "/cases",
        "/cases/new",
        f"/cases/{scene.case_id}",
        f"/cases/{scene.case_id}/tracking",
        f"/cases/{scene.case_id}/timeline",
        f"/assets/{scene.asset_id}",
        f"/measures/{scene.measure_id}",
        "/disclosures",
        f"/disclosures/{scene.disclosure_id}",
        "/notifications",
        "/account",
        "/statistics",
    ]
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
    assert not problems, "axe-core found serious or critical violations:\n" + "\n".join(problems)
