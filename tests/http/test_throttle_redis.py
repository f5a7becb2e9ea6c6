"""With ARNET_REDIS_URL set, sign-in failures are counted in Redis, shared by every process."""

from __future__ import annotations

from pathlib import Path

import pytest

from network import create_app
from tests.conftest import Cast, sign_in

pytestmark = pytest.mark.redis


@pytest.fixture
def app_overrides(redis_url: str) -> dict[str, str]:
    return {"REDIS_URL": redis_url}


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
    from tests.conftest import IsolatedClient

    other.test_client_class = IsolatedClient
    response = sign_in(other.test_client(), cast.amina)
    assert response.status_code == 429
    assert "Try again in" in response.text
