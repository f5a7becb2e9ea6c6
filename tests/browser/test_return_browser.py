"""A recognition ending in a return: the requested side records the courts' steps up to a final
recognition, the confiscation and the return through the pages; the requesting side sees it in
its own browser, and the milestone among its deadlines."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from network.assistance import requests
from network.core import clock
from network.extensions import db
from network.recovery import assets
from tests.browser.test_case_opening_browser import signed_in
from tests.conftest import PASSWORD, Cast
from tests.realtime.conftest import Story, story  # noqa: F401 - the shared case story
from tests.stories import CONTENTS_FOR

pytestmark = pytest.mark.browser

SIZES = {"desktop": (1280, 800), "phone": (375, 800)}


def _recognition_request(cast: Cast, case_id: int) -> int:
    """Aminata's request that Switzerland give effect to a foreign confiscation order; sent."""
    now = clock.now()
    request = requests.create_request(
        cast.amina,
        case_id,
        kind="recognition",
        conviction_based=True,
        requested_state="CHE",
        legal_basis="uncac",
        legal_basis_text="UNCAC art. 55(1)(b)",
        transmission_channel="central_authority",
        contents=CONTENTS_FOR["recognition"],
        now=now,
    )
    requests.transition(cast.amina, request.id, to="sent", now=now)
    requests.transition(cast.lea, request.id, to="received", now=now)
    db.session.commit()
    return request.id


def _vessel(cast: Cast, case_id: int) -> int:
    asset = assets.record_asset(
        cast.lea,
        case_id,
        kind="vessel",
        location_state="CHE",
        estimated_value="800000",
        currency="CHF",
        now=clock.now(),
    )
    db.session.commit()
    return asset.id


def record_recognition(page, request_id: int, today: str) -> None:
    """Léa records the courts' steps, one by one, up to a final recognition."""
    page.goto(f"/requests/{request_id}")
    for step, extra in (
        ("Received by the court", {}),
        ("Filed", {}),
        ("Third parties notified", {}),
        ("Hearing scheduled", {"Date of the hearing (when scheduled)": today}),
        ("Recognised", {}),
        ("Final", {}),
    ):
        page.get_by_label("Next step", exact=True).select_option(label=step)
        page.get_by_label("Date of the step", exact=True).fill(today)
        for label, value in extra.items():
            page.get_by_label(label).fill(value)
        page.get_by_role("button", name="Record the step").click()
        expect(page.get_by_role("region", name="Recognition of the foreign order")).to_contain_text(
            step
        )
    expect(page.get_by_label("Next step", exact=True)).to_have_count(0)


def record_confiscation_and_return(page, case_id: int, asset_id: int, today: str) -> str:
    """Léa records the confiscation the recognition gave effect to, then the return."""
    page.goto(f"/cases/{case_id}/tracking")
    section = page.get_by_role("region", name="Confiscation and return (art. 57)")
    expect(section).to_contain_text("No confiscation order yet.")
    section.get_by_text("Record a confiscation order").click()
    form = section.locator("form", has=page.get_by_role("button", name="Record confiscation"))
    form.get_by_label("Order reference (encrypted)").fill("TF Genève C/1234/2026")
    form.get_by_label("Ordered on").fill(today)
    form.get_by_label("Finality").select_option(label="Final")
    form.get_by_label("Final on (when final)").fill(today)
    form.locator('[name="assets-0.asset"]').select_option(str(asset_id))
    form.locator('[name="assets-0.amount"]').fill("750000")
    form.locator('[name="assets-0.currency"]').fill("CHF")
    form.get_by_role("button", name="Record confiscation").click()
    expect(page.get_by_text("Confiscation recorded.")).to_be_visible()
    expect(section).to_contain_text("TF Genève C/1234/2026")

    section.get_by_text("Open a return").click()
    form = section.locator("form", has=page.get_by_role("button", name="Open return"))
    form.get_by_label("Basis (57(3))").select_option("57_3_a")
    form.get_by_label("Agreed by (57(5))").select_option(label="Agreement")
    form.get_by_label("Terms (encrypted)").fill("Into the treasury; an audit shared each year")
    form.get_by_role("button", name="Open return").click()
    expect(page.get_by_text("Return opened.")).to_be_visible()
    return_url = page.url

    page.on("dialog", lambda dialog: dialog.accept())  # "Record “Signed”?"
    for _step in ("Draft shared for comment", "Terms agreed", "Signed"):
        page.locator("#f-step-on").fill(today)
        page.get_by_role("button", name="Record step").click()
        expect(page.get_by_text("Step recorded.")).to_be_visible()
    expect(page.get_by_role("button", name="Record step")).to_have_count(0)

    page.get_by_text("Add an expense").click()
    page.locator("#f-expense-label").fill("Berth and insurance of the vessel")
    page.locator("#f-expense-amount").fill("12500")
    page.locator("#f-expense-currency").fill("CHF")
    page.locator("form", has=page.locator("#f-expense-label")).get_by_role(
        "button", name="Add"
    ).click()
    expect(page.get_by_text("Line added.")).to_be_visible()

    page.get_by_text("Add a transfer").click()
    page.locator("#f-transfer-amount").fill("737500")
    page.locator("#f-transfer-currency").fill("CHF")
    page.locator("#f-transfer-on").fill(today)
    page.locator("form", has=page.locator("#f-transfer-amount")).get_by_role(
        "button", name="Add"
    ).click()
    expect(page.get_by_text("Line added.")).to_be_visible()

    page.get_by_text("Add a milestone").click()
    page.locator("#f-milestone-description").fill("First audit report on the use of the funds")
    page.locator("#f-milestone-due").fill((clock.now().date() + timedelta(days=20)).isoformat())
    page.get_by_role("button", name="Add milestone").click()
    expect(page.get_by_text("Milestone added.")).to_be_visible()
    return return_url


def test_a_recognition_ending_in_a_return_is_seen_by_the_requesting_side(
    cast: Cast,
    story: Story,  # noqa: F811
    new_page,
    tmp_path: Path,
):
    today = clock.now().date().isoformat()
    request_id = _recognition_request(cast, story.case_id)
    asset_id = _vessel(cast, story.case_id)
    lea = signed_in(new_page, cast.lea)
    record_recognition(lea, request_id, today)
    return_url = record_confiscation_and_return(lea, story.case_id, asset_id, today)

    amina = signed_in(new_page, cast.amina)
    deadlines = amina.get_by_role("region", name="My deadlines in the next 30 days")
    expect(deadlines.get_by_role("row", name=re.compile("Milestone of a return"))).to_contain_text(
        "20 days left"
    )
    amina.goto(return_url)
    expect(amina.get_by_role("heading", level=1)).to_contain_text("Return #")
    expect(amina.locator(".facts")).to_contain_text("750,000.00")
    transfers = amina.get_by_role("region", name="Transfers")
    expect(transfers).to_contain_text("737,500.00")
    expenses = amina.get_by_role("region", name="Reasonable expenses deducted (57(4))")
    expect(expenses).to_contain_text("Berth and insurance of the vessel")
    milestones = amina.get_by_role("region", name="Follow-up milestones")
    expect(milestones).to_contain_text("First audit report on the use of the funds")
    expect(amina.get_by_role("region", name="Arrangement (57(5)): Agreement")).to_contain_text(
        "Into the treasury"
    )

    # The return page in English and Arabic, wide and narrow: nothing wider than the screen.
    for locale in ("en-GB", "ar"):
        for size, viewport in SIZES.items():
            page = new_page(locale=locale, viewport=viewport)
            page.goto("/auth/sign-in")
            page.fill("#email", cast.amina.email)
            page.fill("#password", PASSWORD)
            page.locator("main form button[type=submit]").click()
            page.wait_for_url("**/")
            page.goto(return_url)
            expect(page.locator("#milestones")).to_be_visible()
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{locale} {size}: {overflow}px wider than the screen"
            page.screenshot(path=str(tmp_path / f"return-{locale}-{size}.png"), full_page=True)
            page.goto(f"/cases/{story.case_id}/tracking")
            section = page.locator("section", has=page.locator("#returns-heading"))
            section.screenshot(path=str(tmp_path / f"returns-section-{locale}-{size}.png"))
