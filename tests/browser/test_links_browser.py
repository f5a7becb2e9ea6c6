"""The case's links page with the keyboard alone: the tree folds, a holding is added by name."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from network.core import clock
from network.extensions import db
from network.recovery import assets, subjects
from tests.browser.test_case_opening_browser import signed_in
from tests.conftest import Cast
from tests.realtime.conftest import Story, story  # noqa: F401 - the shared case story

pytestmark = pytest.mark.browser


def tab_to(page, name: str, limit: int = 60) -> None:
    """Press Tab until the element named ``name`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == name:
            return
    raise AssertionError(f"{name!r} never took the focus")


def test_the_tree_folds_and_a_holding_is_added_with_the_keyboard(
    cast: Cast,
    story: Story,  # noqa: F811
    new_page,
) -> None:
    now = clock.now()
    pep = subjects.record_subject(
        cast.lea, story.case_id, kind="natural", names=["Kouadio Traoré"], roles=["pep"], now=now
    )
    subjects.record_subject(cast.lea, story.case_id, kind="natural", names=["Yao Traoré"], now=now)
    assets.record_asset(
        cast.lea,
        story.case_id,
        kind="bank_account",
        location_state="CHE",
        holder=pep.id,
        description="Account at a Geneva bank",
        now=now,
    )
    db.session.commit()

    page = signed_in(new_page, cast.lea)
    page.goto(f"/cases/{story.case_id}/tracking")
    page.get_by_role("link", name="What links to what").click()
    tree = page.locator(".link-tree").first
    expect(tree.get_by_text("Holds it directly")).to_be_visible()

    summary = "Kouadio Traoré · Natural person · Politically exposed person · CHE"
    tab_to(page, summary)
    page.keyboard.press("Enter")  # folds the subject's branch
    expect(tree.get_by_text("Holds it directly")).to_be_hidden()
    page.keyboard.press("Enter")
    expect(tree.get_by_text("Holds it directly")).to_be_visible()

    tab_to(page, "Add a holding")
    page.keyboard.press("Enter")
    form = page.locator("form", has=page.get_by_role("button", name="Record holding"))
    form.get_by_label("Held by").focus()
    form.get_by_label("Held by").select_option(label="Yao Traoré")
    form.get_by_label("How").select_option(label="Family member of a politically exposed person")
    form.get_by_label("Through (the company, or the politically exposed person)").select_option(
        label="Kouadio Traoré"
    )
    form.get_by_role("button", name="Record holding").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Holding recorded.")).to_be_visible()
    yao = page.locator(".link-tree > li", has_text="Yao Traoré")
    expect(yao.get_by_text("Family member of a politically exposed person")).to_be_visible()
