"""Behind a reverse proxy: the client's own address counts, and probes answer over plain HTTP."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import stamp
from sqlalchemy import select

from network.audit.models import AuditRecord
from network.extensions import db
from tests.conftest import Cast, csrf_from, sign_in

BEHIND_NGINX = {"TRUSTED_PROXIES": 1}
NO_PROXY = {"TRUSTED_PROXIES": 0}


@pytest.fixture
def app_overrides(request: pytest.FixtureRequest) -> dict[str, Any]:
    return dict(getattr(request, "param", {}))


def from_address(app: Flask, forwarded_for: str) -> Any:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.0.0.2"  # the proxy
    client.environ_base["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client


def fail_from_twenty_addresses(app: Flask) -> list[int]:
    statuses = []
    for n in range(20):
        client = from_address(app, f"198.51.100.{n + 1}")
        page = client.get("/auth/sign-in")
        assert page.status_code == 200
        answer = client.post(
            "/auth/sign-in",
            data={
                "email": f"nobody{n}@nowhere.example",
                "password": "not-a-real-password",
                "csrf_token": csrf_from(page.text),
            },
        )
        statuses.append(answer.status_code)
    return statuses


@pytest.mark.parametrize("app_overrides", [BEHIND_NGINX], indirect=True)
def test_failures_from_many_clients_behind_the_proxy_do_not_lock_out_another(
    app: Flask, cast: Cast
):
    assert set(fail_from_twenty_addresses(app)) == {401}
    answer = sign_in(from_address(app, "203.0.113.9"), cast.amina)
    assert answer.status_code == 302
    addresses = db.session.scalars(
        select(AuditRecord.client_address).where(AuditRecord.action == "signin.succeeded")
    ).all()
    assert addresses == ["203.0.113.9"]


@pytest.mark.parametrize("app_overrides", [NO_PROXY], indirect=True)
def test_a_forged_forwarded_for_is_ignored_when_no_proxy_is_trusted(app: Flask, cast: Cast):
    # Twenty failures from one client that names a new address each time all count against it.
    assert set(fail_from_twenty_addresses(app)) == {401}
    answer = sign_in(from_address(app, "203.0.113.9"), cast.amina)
    assert answer.status_code == 429
    addresses = db.session.scalars(
        select(AuditRecord.client_address).where(AuditRecord.action == "signin.failed")
    ).all()
    assert set(addresses) == {"10.0.0.2"}


@pytest.mark.parametrize("app_overrides", [{"FORCE_HTTPS": True}], indirect=True)
def test_health_answers_over_plain_http_in_production(app: Flask):
    client = app.test_client()
    assert client.get("/auth/sign-in").status_code == 302  # pages are sent to HTTPS
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json == {"status": "ok"}
    assert client.get("/readyz").status_code in {200, 503}  # answered, not redirected


def test_ready_only_at_the_migration_head(app: Flask):
    client = app.test_client()
    unready = client.get("/readyz")
    assert unready.status_code == 503
    assert set(unready.json["errors"]) == {"database"}
    assert "migration head" in unready.json["errors"]["database"]
    stamp()  # the tables are the models' own, so this is the head's schema
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.json
    assert ready.json["status"] == "ready"


@pytest.mark.parametrize(
    "app_overrides", [{"REDIS_URL": "redis://127.0.0.1:1/0"}], indirect=True
)
def test_ready_names_an_unreachable_redis(app: Flask):
    stamp()
    answer = app.test_client().get("/readyz")
    assert answer.status_code == 503
    assert set(answer.json["errors"]) == {"redis"}
    assert answer.json["message"] == "Not ready: redis."


def test_ready_names_an_unreadable_keyring(app: Flask):
    stamp()
    Path(app.config["KEYRING"]).write_text(json.dumps({"broken": True}))
    answer = app.test_client().get("/readyz")
    assert answer.status_code == 503
    assert set(answer.json["errors"]) == {"keyring"}
