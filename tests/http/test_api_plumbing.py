"""The REST plumbing: tokens, JSON errors, bad input, OpenAPI."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from network.auth.models import AccessToken
from network.auth.tokens import create_token
from network.core import clock
from network.extensions import db
from tests.conftest import PASSWORD, Cast, csrf_from, token_for
from tests.http.test_tokens import post_json


def error_shape(response) -> dict:
    body = response.get_json()
    assert set(body) == {"code", "reason", "message", "errors"}, body
    assert body["code"] == response.status_code
    assert body["message"]
    return body


def test_me_without_credentials_is_401_json(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    error_shape(response)


def test_unknown_token_is_refused(client, cast: Cast):
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer arnet_forged"})
    assert response.status_code == 401
    assert "unknown, revoked or expired" in error_shape(response)["message"]


def test_expired_token_is_refused(client, cast: Cast):
    raw = token_for(cast.amina, days=1)
    with time_machine.travel(clock.now() + timedelta(days=1, minutes=1), tick=False):
        response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 401
    error_shape(response)


def test_token_acts_with_its_users_permissions_and_can_be_revoked(cast: Cast, api_as, browser_as):
    api = api_as(cast.amina)
    assert api.get("/me").json["role"] == "practitioner"
    created = post_json(
        browser_as(cast.amina),
        "/tokens",
        {"name": "case system", "days": 7, "current_password": PASSWORD},
    )
    assert created.status_code == 201
    assert created.json["token"].startswith("arnet_")
    listed = api.get("/tokens").json
    assert listed["total"] == 2
    assert "token" not in listed["items"][0]
    assert api.delete(f"/tokens/{created.json['id']}").status_code == 204
    other = api.client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {created.json['token']}"}
    )
    assert other.status_code == 401


def test_cannot_revoke_someone_elses_token(cast: Cast, api_as):
    mine, _raw = create_token(cast.amina, "mine", 7, now=clock.now(), max_days=90)
    db.session.commit()
    response = api_as(cast.lea).delete(f"/tokens/{mine.id}")
    assert response.status_code == 404
    error_shape(response)


@pytest.mark.parametrize(
    ("payload", "content_type", "status", "field"),
    [
        ('{"name": "x", ', "application/json", 400, None),  # malformed JSON
        ('{"name": 12}', "application/json", 422, "name"),  # wrong type
        ('{"name": "x", "days": "many"}', "application/json", 422, "days"),
        ('{"name": "x", "scope": "all"}', "application/json", 422, "scope"),  # unknown field
        (
            f'{{"name": "x", "days": 9999, "current_password": "{PASSWORD}"}}',
            "application/json",
            422,
            "days",
        ),
        ('{"days": 3}', "application/json", 422, "name"),  # missing field
    ],
)
def test_bad_json_is_refused_with_a_readable_error_and_nothing_written(
    cast: Cast, browser_as, payload: str, content_type: str, status: int, field: str | None
):
    browser = browser_as(cast.amina)
    before = db.session.scalar(select(func.count(AccessToken.id)))
    response = browser.post(
        "/api/v1/tokens",
        data=payload,
        content_type=content_type,
        headers={"X-CSRFToken": csrf_from(browser.get("/account").text)},
    )
    assert response.status_code == status
    body = error_shape(response)
    if field:
        assert field in body["errors"], body
    assert db.session.scalar(select(func.count(AccessToken.id))) == before


@pytest.mark.parametrize("app_overrides", [{"JSON_MAX_BYTES": 1024}])
def test_oversize_json_body_is_413(cast: Cast, api_as, app_overrides):
    response = api_as(cast.amina).post("/tokens", json={"name": "x" * 5000})
    assert response.status_code == 413
    error_shape(response)


def test_unknown_api_route_is_json_404(cast: Cast, api_as):
    response = api_as(cast.amina).get("/nothing-here")
    assert response.status_code == 404
    error_shape(response)
    assert response.get_json()["reason"] == "not_found"


def test_a_missing_case_and_a_missing_sign_in_are_told_apart_by_their_reason(
    cast: Cast, api_as, client
):
    response = api_as(cast.amina).get("/cases/999999")
    assert response.status_code == 404
    assert response.get_json()["reason"] == "case_not_found"
    anonymous = client.get("/api/v1/cases")
    assert anonymous.status_code == 401
    assert anonymous.get_json()["reason"] == "authentication_required"


def test_api_error_messages_follow_accept_language(client):
    response = client.get("/api/v1/me", headers={"Accept-Language": "en"})
    assert response.status_code == 401
    assert response.is_json


def test_browser_api_calls_need_the_csrf_token(cast: Cast, browser_as):
    browser = browser_as(cast.amina)
    assert browser.get("/api/v1/me").status_code == 200
    payload = {"name": "x", "current_password": PASSWORD}
    assert browser.post("/api/v1/tokens", json=payload).status_code == 400
    page = browser.get("/account").text
    response = browser.post(
        "/api/v1/tokens", json=payload, headers={"X-CSRFToken": csrf_from(page)}
    )
    assert response.status_code == 201


def test_openapi_document_describes_the_api(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/me" in spec["paths"]
    assert "bearerAuth" in spec["components"]["securitySchemes"]


def test_api_docs_page_loads_redoc_from_node_modules(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert "/vendor/redoc/redoc.standalone.js" in page.text
    assert "style-src 'self' 'unsafe-inline'" in page.headers["Content-Security-Policy"]
    script = client.get("/vendor/redoc/redoc.standalone.js")
    assert script.status_code == 200
    script.close()
    assert client.get("/vendor/../../setup.cfg").status_code == 404
