"""The request page of a recognition: the courts' timeline for both sides, a form for one."""

from __future__ import annotations

import pytest

from network.core import clock
from tests.conftest import Cast, csrf_from
from tests.stories import open_story, sent_request

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


def test_the_requested_side_records_a_step_from_the_page_and_both_sides_see_it(
    cast: Cast, browser_as
) -> None:
    story = open_story(cast)
    request = sent_request(cast, story, clock.now(), kind="recognition", conviction_based=False)
    lea, amina = browser_as(cast.lea), browser_as(cast.amina)
    page = lea.get(f"/requests/{request.id}")
    assert "Not conviction-based (54(1)(c))" in page.text
    assert "Record the step" in page.text

    today = clock.now().date().isoformat()
    recorded = lea.post(
        f"/requests/{request.id}/recognition",
        data={
            "step": "received",
            "on": today,
            "note": "Registry of the Geneva court",
            "csrf_token": csrf_from(page.text),
        },
    )
    assert recorded.status_code == 302
    seen = amina.get(f"/requests/{request.id}")
    assert "Received by the court" in seen.text
    assert "Registry of the Geneva court" in seen.text
    assert "Record the step" not in seen.text

    again = lea.get(f"/requests/{request.id}")
    refused = lea.post(
        f"/requests/{request.id}/recognition",
        data={"step": "final", "on": today, "csrf_token": csrf_from(again.text)},
    )
    assert refused.status_code == 409
    assert "This step cannot follow the last one recorded." in refused.text
