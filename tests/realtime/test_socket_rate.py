"""A per-user limit on sends, counted in Flask-Limiter's storage (Redis when configured)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Cast
from tests.realtime.conftest import Story
from tests.realtime.test_socket_events import send


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return {"SOCKET_SEND_LIMIT": "3/minute"}


def test_sends_beyond_the_per_user_rate_are_refused(cast: Cast, story: Story, socket_as):
    amina = socket_as(cast.amina)
    for number in range(3):
        assert "seq" in send(amina, story.che_channel, f"m-{number}", "ok")

    refused = send(amina, story.che_channel, "m-9", "one too many")

    assert refused["error"]["code"] == 429
