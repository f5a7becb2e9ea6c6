"""The shell answers: sign-in page, API identity, JSON errors."""

from __future__ import annotations

from tests.conftest import Cast


def test_sign_in_page_renders_with_language_switcher(client):
    response = client.get("/auth/sign-in")
    assert response.status_code == 200
    assert 'lang="en"' in response.text
    assert "Русский" in response.text


def test_me_returns_the_token_owner(cast: Cast, api_as):
    response = api_as(cast.amina).get("/me")
    assert response.status_code == 200
    assert response.json["email"] == "amina@civ.example"
    assert response.json["state"] == "CIV"
