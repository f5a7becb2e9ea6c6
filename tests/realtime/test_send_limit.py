"""One per-user limit on sends, shared by REST and Socket.IO: one counter (Redis when set)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Cast
from tests.realtime.conftest import Story
from tests.realtime.test_socket_events import send


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return {"MESSAGE_SEND_LIMIT": "3/minute"}


def post(api: Any, channel: int, client_id: str) -> Any:
    payload = {"client_id": client_id, "body": "Over REST", "handling_code": "H0"}
    return api.post(f"/channels/{channel}/messages", json=payload)


def test_sends_beyond_the_per_user_rate_are_refused(cast: Cast, story: Story, socket_as):
    amina = socket_as(cast.amina)
    for number in range(3):
        assert "seq" in send(amina, story.che_channel, f"m-{number}", "ok")

    refused = send(amina, story.che_channel, "m-9", "one too many")

    assert refused["error"]["code"] == 429


def test_rest_sends_beyond_the_limit_get_429_with_retry_after(cast: Cast, story: Story, api_as):
    api = api_as(cast.amina)
    statuses = [post(api, story.che_channel, f"r-{n}").status_code for n in range(3)]

    refused = post(api, story.che_channel, "r-9")

    assert statuses == [201] * 3
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.json["code"] == 429
    assert "too many messages" in refused.json["message"]


def test_rest_and_socket_sends_spend_one_budget(cast: Cast, story: Story, api_as, socket_as):
    api, socket = api_as(cast.amina), socket_as(cast.amina)
    assert post(api, story.che_channel, "r-1").status_code == 201
    assert post(api, story.che_channel, "r-2").status_code == 201
    assert "seq" in send(socket, story.che_channel, "s-1", "third")

    assert send(socket, story.che_channel, "s-2", "fourth")["error"]["code"] == 429
    assert post(api, story.che_channel, "r-3").status_code == 429


def test_each_user_has_a_budget_of_their_own(cast: Cast, story: Story, api_as):
    amina, lea = api_as(cast.amina), api_as(cast.lea)
    for number in range(3):
        post(amina, story.che_channel, f"a-{number}")

    assert post(lea, story.che_channel, "l-1").status_code == 201
