"""Asks from the workspace: one side asks with the form, the other answers with its own."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from network.core import clock
from tests.conftest import Cast, csrf_from
from tests.stories import open_freeze

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


def test_an_ask_made_in_the_workspace_is_answered_there_by_the_other_side(
    cast: Cast, browser_as: Any
) -> None:
    today = clock.now().date()
    freeze = open_freeze(
        cast, effective_on=today, expires_on=today + timedelta(days=20), now=clock.now()
    )
    story = freeze.story
    workspace = f"/cases/{story.case.id}?channel={story.che.id}"
    amina, lea = browser_as(cast.amina), browser_as(cast.lea)
    page = amina.get(workspace)
    assert "Nothing has been asked in this channel yet." in page.text
    assert f'<option value="{freeze.measure.id}">' in page.text

    asked = amina.post(
        f"/cases/{story.case.id}/channels/{story.che.id}/asks",
        data={
            "csrf_token": csrf_from(page.text),
            "ask-kind": "extension",
            "ask-due_on": (today + timedelta(days=5)).isoformat(),
            "ask-text": "Please extend the freeze by 90 days.",
            "ask-measure": str(freeze.measure.id),
            "ask-request": "",
        },
    )
    assert asked.status_code == 303, asked.text

    for browser in (amina, lea):
        assert "Answer due from CHE: Extension of an order" in browser.get("/").text
    seen = lea.get(workspace)
    assert "Please extend the freeze by 90 days." in seen.text
    assert "Extension of an order" in seen.text
    action = f"/cases/{story.case.id}/channels/{story.che.id}/asks/"
    assert action in seen.text
    assert "/answer" in seen.text
    ask_id = int(seen.text.split(action, 1)[1].split("/answer", 1)[0])
    # The asking side is offered no answer form.
    assert f"{action}{ask_id}/answer" not in amina.get(workspace).text

    refused = lea.post(
        f"{action}{ask_id}/answer",
        data={"csrf_token": csrf_from(seen.text), "answer-outcome": "refused"},
    )
    assert refused.status_code == 422
    assert "This field is required." in refused.text

    answered = lea.post(
        f"{action}{ask_id}/answer",
        data={
            "csrf_token": csrf_from(seen.text),
            "answer-outcome": "granted",
            "answer-reason": "Extended until March.",
        },
    )
    assert answered.status_code == 303, answered.text
    final = amina.get(workspace).text
    assert "Granted" in final
    assert "Extended until March." in final
