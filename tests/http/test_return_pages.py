"""Pages of confiscation and return: the case's overview section, and a return's own page."""

from __future__ import annotations

import re

import pytest

from network.core import clock
from network.extensions import db
from network.recovery import assets
from tests.conftest import Cast, csrf_from
from tests.stories import open_story

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


def test_a_confiscation_and_a_return_recorded_from_the_pages_are_seen_by_both_sides(
    cast: Cast, browser_as
) -> None:
    story = open_story(cast)
    vessel = assets.record_asset(
        cast.lea, story.case.id, kind="vessel", location_state="CHE", now=clock.now()
    )
    db.session.commit()
    lea, amina = browser_as(cast.lea), browser_as(cast.amina)
    today = clock.now().date().isoformat()
    overview = lea.get(f"/cases/{story.case.id}/tracking")
    assert "No confiscation order yet." in overview.text
    assert "No return yet." in overview.text

    refused = lea.post(
        f"/cases/{story.case.id}/tracking/confiscations",
        data={
            "order_reference": "TPF SK.2025.40",
            "ordered_on": today,
            "finality": "final",
            "assets-0.asset": str(vessel.id),
            "assets-0.amount": "250000",
            "assets-0.currency": "CHF",
            "csrf_token": csrf_from(overview.text),
        },
    )
    assert refused.status_code == 422
    assert "Give the date the order became final." in refused.text
    recorded = lea.post(
        f"/cases/{story.case.id}/tracking/confiscations",
        data={
            "order_reference": "TPF SK.2025.40",
            "ordered_on": today,
            "finality": "final",
            "final_on": today,
            "assets-0.asset": str(vessel.id),
            "assets-0.amount": "250000",
            "assets-0.currency": "CHF",
            "csrf_token": csrf_from(overview.text),
        },
    )
    assert recorded.status_code == 302
    overview = lea.get(f"/cases/{story.case.id}/tracking")
    assert "TPF SK.2025.40" in overview.text
    confiscation = re.search(r'name="confiscation"[^>]*>\s*<option value="(\d+)"', overview.text)
    assert confiscation is not None
    opened = lea.post(
        f"/cases/{story.case.id}/tracking/returns",
        data={
            "confiscation": confiscation.group(1),
            "basis": "57_3_a",
            "arrangement": "agreement",
            "terms": "Treasury, audited",
            "csrf_token": csrf_from(overview.text),
        },
    )
    assert opened.status_code == 302
    page_url = opened.headers["Location"]
    page = lea.get(page_url)
    assert "No expense deducted." in page.text
    assert "Nothing transferred yet." in page.text
    assert "No milestone agreed yet." in page.text
    token = csrf_from(page.text)
    for data in (
        {"kind": "expense", "label": "Dock fees", "amount": "1500", "currency": "CHF"},
        {"kind": "transfer", "amount": "200000", "currency": "CHF", "on": today},
    ):
        added = lea.post(f"{page_url}/lines", data={**data, "csrf_token": token})
        assert added.status_code == 302, added.text
    too_much = lea.post(
        f"{page_url}/lines",
        data={
            "kind": "transfer",
            "amount": "60000",
            "currency": "CHF",
            "on": today,
            "csrf_token": token,
        },
    )
    assert too_much.status_code == 422
    assert "would come to more than" in too_much.text
    milestone = lea.post(
        f"{page_url}/milestones",
        data={"description": "Audit report", "due_on": today, "csrf_token": token},
    )
    assert milestone.status_code == 302

    seen = amina.get(page_url).text
    for words in ("Dock fees", "Audit report", "Treasury, audited", "Record as met"):
        assert words in seen
    assert "data-confirm" in seen
    assert browser_as(cast.camille).get(page_url).status_code == 404
    assert browser_as(cast.chen).get(page_url).status_code == 404
