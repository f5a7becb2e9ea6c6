"""A request that lacks an item cannot be marked sent from its page until the item is given."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from network.assistance import requests
from network.core import clock
from network.extensions import db
from tests.browser.test_case_opening_browser import signed_in
from tests.conftest import Cast
from tests.realtime.conftest import Story, story  # noqa: F401 - the shared case story
from tests.stories import CONTENTS

pytestmark = pytest.mark.browser

PURPOSE = "The purpose of the evidence, information or action (46(15)(f))"


def test_the_checklist_stops_sending_until_the_missing_item_is_given(
    cast: Cast,
    story: Story,  # noqa: F811
    new_page,
):
    request = requests.create_request(
        cast.amina,
        story.case_id,
        kind="mla",
        requested_state="CHE",
        legal_basis="uncac",
        transmission_channel="central_authority",
        contents={**CONTENTS, "purpose": ""},
        now=clock.now(),
    )
    db.session.commit()
    amina = signed_in(new_page, cast.amina)
    amina.on("dialog", lambda dialog: dialog.accept())
    amina.goto(f"/requests/{request.id}")
    before_sending = amina.locator("#missing-before-sending")
    expect(before_sending).to_contain_text(PURPOSE)
    checklist = amina.get_by_role("table", name="Checklist")
    expect(checklist.get_by_role("row", name=PURPOSE)).to_contain_text("Missing")

    amina.get_by_role("button", name="Move to Sent").click()
    expect(amina.get_by_text("required items are missing (1)")).to_be_visible()
    expect(amina.get_by_role("heading", name="Request #", exact=False)).to_be_visible()

    amina.get_by_label(PURPOSE).fill("Evidence for the trial in Abidjan")
    amina.get_by_role("button", name="Save").click()
    expect(amina.get_by_text("Request saved.")).to_be_visible()
    expect(amina.locator("#missing-before-sending")).to_have_count(0)
    amina.get_by_role("button", name="Move to Sent").click()
    expect(amina.get_by_text("Status changed.")).to_be_visible()
    expect(amina.locator(".status-sent").first).to_be_visible()
