"""Personal access tokens: made only by someone who signs in again, short-lived, and revoked
with every session when the user recovers from a stolen credential."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from network.auth.models import AccessToken, User
from network.auth.tokens import create_token
from network.auth.totp import enrol_totp, new_totp_secret
from network.core import clock
from network.extensions import db
from tests.conftest import PASSWORD, Cast, csrf_from


def enrol(user: User) -> tuple[pyotp.TOTP, list[str]]:
    """Give the user an authenticator (first used five minutes ago) and recovery codes."""
    secret = new_totp_secret()
    earlier = clock.now() - timedelta(minutes=5)
    codes = enrol_totp(user, secret, pyotp.TOTP(secret).at(earlier), now=earlier)
    db.session.commit()
    return pyotp.TOTP(secret), codes


def post_json(browser: FlaskClient, path: str, payload: dict[str, Any]) -> Any:
    """A browser's API call: its session cookie and the CSRF token of a page."""
    token = csrf_from(browser.get("/account").text)
    return browser.post(f"/api/v1{path}", json=payload, headers={"X-CSRFToken": token})


def make_token(user: User, name: str) -> str:
    _token, raw = create_token(user, name, 30, now=clock.now(), max_days=90)
    db.session.commit()
    return raw


def token_count() -> int:
    return db.session.scalar(select(func.count(AccessToken.id))) or 0


def works(client: FlaskClient, raw: str) -> bool:
    answer = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    return answer.status_code == 200


# --- making a token ---------------------------------------------------------------------------


def test_a_token_needs_the_current_password_and_a_fresh_code(cast: Cast, browser_as):
    browser = browser_as(cast.amina)
    totp, _codes = enrol(cast.amina)
    base = {"name": "case system"}

    missing = post_json(browser, "/tokens", base)
    wrong_password = post_json(
        browser, "/tokens", {**base, "current_password": "not-it-at-all", "code": totp.now()}
    )
    no_code = post_json(browser, "/tokens", {**base, "current_password": PASSWORD})
    wrong = f"{(int(totp.now()) + 1) % 1_000_000:06d}"
    wrong_code = post_json(
        browser, "/tokens", {**base, "current_password": PASSWORD, "code": wrong}
    )

    assert missing.status_code == 422
    assert "current_password" in missing.json["errors"]
    assert wrong_password.status_code == 422
    assert "current_password" in wrong_password.json["errors"]
    assert no_code.status_code == 422
    assert "code" in no_code.json["errors"]
    assert wrong_code.status_code == 422
    assert "code" in wrong_code.json["errors"]
    assert token_count() == 0

    code = totp.now()
    made = post_json(browser, "/tokens", {**base, "current_password": PASSWORD, "code": code})
    replayed = post_json(browser, "/tokens", {**base, "current_password": PASSWORD, "code": code})

    assert made.status_code == 201
    assert made.json["token"].startswith("arnet_")
    assert replayed.status_code == 422
    assert "already been used" in replayed.json["message"]
    assert token_count() == 1


def test_a_recovery_code_stands_in_for_the_authenticator_once(cast: Cast, browser_as):
    browser = browser_as(cast.amina)
    _totp, codes = enrol(cast.amina)
    payload = {"name": "nightly export", "current_password": PASSWORD, "code": codes[0]}

    assert post_json(browser, "/tokens", payload).status_code == 201
    assert post_json(browser, "/tokens", payload).status_code == 422


def test_an_account_without_an_authenticator_in_testing_still_needs_its_password(
    cast: Cast, browser_as
):
    browser = browser_as(cast.amina)  # TOTP_REQUIRED is off in the testing configuration

    refused = post_json(browser, "/tokens", {"name": "case system"})
    made = post_json(browser, "/tokens", {"name": "case system", "current_password": PASSWORD})

    assert refused.status_code == 422
    assert "current_password" in refused.json["errors"]
    assert made.status_code == 201


def test_a_token_cannot_create_another_token(cast: Cast, api_as):
    api = api_as(cast.amina)
    before = token_count()

    refused = api.post("/tokens", json={"name": "copy", "current_password": PASSWORD})
    unvalidated = api.post("/tokens", json={})

    assert refused.status_code == 403
    assert "A token cannot create tokens" in refused.json["message"]
    assert unvalidated.status_code == 403  # refused before its content is even read
    assert token_count() == before


def test_wrong_passwords_on_token_creation_count_towards_the_sign_in_throttle(
    cast: Cast, browser_as
):
    browser = browser_as(cast.amina)
    wrong = {"name": "x", "current_password": "guessing-the-password"}

    statuses = [post_json(browser, "/tokens", wrong).status_code for _ in range(5)]
    right = post_json(browser, "/tokens", {"name": "x", "current_password": PASSWORD})

    assert statuses == [422] * 5
    assert right.status_code == 429
    assert "Retry-After" in right.headers


def test_the_account_page_asks_for_the_password_and_code_before_a_token(cast: Cast, browser_as):
    browser = browser_as(cast.amina)
    _totp, codes = enrol(cast.amina)
    page = browser.get("/account")
    form = {"name": "case system", "days": "30", "csrf_token": csrf_from(page.text)}

    assert 'id="token-current-password"' in page.text
    assert 'id="token-code"' in page.text
    without_code = browser.post("/account/tokens", data={**form, "current_password": PASSWORD})
    made = browser.post(
        "/account/tokens", data={**form, "current_password": PASSWORD, "code": codes[1]}
    )

    assert without_code.status_code == 422
    assert "or an unused recovery code" in without_code.text  # the field's own error
    assert made.status_code == 200
    assert "arnet_" in made.text


# --- lifetime ---------------------------------------------------------------------------------


def test_tokens_live_ninety_days_at_most_by_default(app: Flask, cast: Cast, browser_as):
    browser = browser_as(cast.amina)
    asks = {"name": "case system", "current_password": PASSWORD}

    too_long = post_json(browser, "/tokens", {**asks, "days": 91})
    default = post_json(browser, "/tokens", asks)

    assert app.config["TOKEN_MAX_DAYS"] == 90
    assert too_long.status_code == 422
    assert "days" in too_long.json["errors"]
    assert "90 days" in too_long.json["message"]
    token = db.session.get(AccessToken, default.json["id"])
    assert token.expires_at - token.created_at == timedelta(days=90)


@pytest.mark.parametrize("app_overrides", [{"TOKEN_MAX_DAYS": 7}])
def test_the_page_and_the_command_line_obey_the_configured_most(
    app: Flask, cast: Cast, browser_as, app_overrides
):
    browser = browser_as(cast.amina)
    page = browser.get("/account")
    form = {"name": "x", "days": "8", "current_password": PASSWORD}

    refused = browser.post("/account/tokens", data={**form, "csrf_token": csrf_from(page.text)})
    runner = app.test_cli_runner()
    too_long = runner.invoke(
        args=["network", "create-token", cast.amina.email, "--name", "ci", "--days", "8"]
    )
    default = runner.invoke(args=["network", "create-token", cast.amina.email, "--name", "ci"])

    assert refused.status_code == 422
    assert "7 days" in refused.text
    assert too_long.exit_code == 1
    assert token_count() == 1
    assert default.exit_code == 0, default.output
    token = db.session.scalars(select(AccessToken)).one()
    assert token.expires_at - token.created_at == timedelta(days=7)


# --- recovery revokes every token -------------------------------------------------------------


def test_changing_the_password_revokes_every_token_and_says_which(
    app: Flask, cast: Cast, browser_as
):
    raws = [make_token(cast.amina, "case system"), make_token(cast.amina, "nightly export")]
    other_browser = browser_as(cast.amina)
    browser = browser_as(cast.amina)
    page = browser.get("/account")

    answer = browser.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "Brand-New-Passphrase-77",
            "csrf_token": csrf_from(page.text),
        },
        follow_redirects=True,
    )

    assert "These access tokens were revoked:" in answer.text
    assert "nightly export" in answer.text
    assert "case system" in answer.text
    assert not any(works(app.test_client(), raw) for raw in raws)
    assert other_browser.get("/account").status_code == 302
    mail = app.extensions["arnet"]["mailer"].sent[-1]
    body = mail.get_content()
    assert mail["To"] == cast.amina.email
    assert "- case system" in body
    assert "- nightly export" in body
    assert not any(raw[:12] in body for raw in raws)  # names only, no part of a secret


def test_signing_out_everywhere_revokes_every_token_and_says_which(
    app: Flask, cast: Cast, browser_as
):
    raw = make_token(cast.amina, "case system")
    browser = browser_as(cast.amina)
    page = browser.get("/account")

    answer = browser.post(
        "/account/sessions/end-all",
        data={"csrf_token": csrf_from(page.text)},
        follow_redirects=True,
    )

    assert "These access tokens were revoked: case system." in answer.text
    assert not works(app.test_client(), raw)
    assert "- case system" in app.extensions["arnet"]["mailer"].sent[-1].get_content()


def test_signing_out_everywhere_without_tokens_sends_no_mail(app: Flask, cast: Cast, browser_as):
    browser = browser_as(cast.amina)
    page = browser.get("/account")

    browser.post("/account/sessions/end-all", data={"csrf_token": csrf_from(page.text)})

    assert app.extensions["arnet"]["mailer"].sent == []


def test_an_administrators_reset_revokes_every_token_and_tells_the_user(
    app: Flask, cast: Cast, browser_as
):
    raw = make_token(cast.amina, "case system")
    admin = browser_as(cast.yao)
    page = admin.get("/admin/users")

    answer = admin.post(
        f"/admin/users/{cast.amina.id}/reset-sign-in",
        data={"csrf_token": csrf_from(page.text)},
        follow_redirects=True,
    )

    assert "Their access tokens were revoked: case system." in answer.text
    assert not works(app.test_client(), raw)
    mails = [m for m in app.extensions["arnet"]["mailer"].sent if m["To"] == cast.amina.email]
    assert any("- case system" in m.get_content() for m in mails)
