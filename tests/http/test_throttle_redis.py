"""With ARNET_REDIS_URL set, sign-in failures and sends are counted in Redis, shared by every
process."""

from __future__ import annotations

from pathlib import Path

import pytest

from network import create_app
from tests.conftest import ApiClient, Cast, IsolatedClient, sign_in, token_for
from tests.stories import open_story

pytestmark = pytest.mark.redis


@pytest.fixture
def app_overrides(redis_url: str) -> dict[str, str]:
    return {"REDIS_URL": redis_url, "MESSAGE_SEND_LIMIT": "2/minute"}


def test_failures_counted_by_one_process_throttle_another(
    app, cast: Cast, tmp_path: Path, redis_url
):
    first = app.test_client()
    for _ in range(5):
        assert sign_in(first, cast.amina, password="wrong-password-again").status_code == 401
    # A second application instance, as another worker process would be, sharing Redis.
    other = create_app(
        {
            "ENV_NAME": "testing",
            "DATABASE_URL": app.config["DATABASE_URL"],
            "INSTANCE_PATH": app.config["INSTANCE_PATH"],
            "KEYRING": app.config["KEYRING"],
            "REDIS_URL": redis_url,
        }
    )
    other.test_client_class = IsolatedClient
    response = sign_in(other.test_client(), cast.amina)
    assert response.status_code == 429
    assert "Try again in" in response.text


def test_sends_counted_by_one_process_refuse_another(app, cast: Cast, redis_url):
    story = open_story(cast)
    other = create_app(
        {
            "ENV_NAME": "testing",
            "DATABASE_URL": app.config["DATABASE_URL"],
            "INSTANCE_PATH": app.config["INSTANCE_PATH"],
            "KEYRING": app.config["KEYRING"],
            "REDIS_URL": redis_url,
            "MESSAGE_SEND_LIMIT": "2/minute",
        }
    )
    other.test_client_class = IsolatedClient
    payload = {"body": "Over REST", "handling_code": "H0"}
    path = f"/channels/{story.che.id}/messages"
    raw = token_for(cast.amina)
    here, there = ApiClient(app.test_client(), raw), ApiClient(other.test_client(), raw)

    assert here.post(path, json={**payload, "client_id": "a"}).status_code == 201
    assert here.post(path, json={**payload, "client_id": "b"}).status_code == 201
    assert there.post(path, json={**payload, "client_id": "c"}).status_code == 429
