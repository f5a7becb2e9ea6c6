"""Only same-site paths are followed after sign-in, the second factor, enrolment and a
language switch: one check decides, and every follower of ``next`` uses it."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest
from flask.testing import FlaskClient

from network.auth.models import User
from network.auth.totp import enrol_totp, new_totp_secret
from network.core import clock
from network.extensions import db
from tests.conftest import PASSWORD, Cast, csrf_from

NASTY = [
    "//evil.example",
    "/\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    " //evil.example",
    "https://evil.example",
    "http:/evil.example",
    "/%2F%2Fevil.example",
    "/%2f/evil.example",
    "/%5Cevil.example",
    "/%09/evil.example",
    "\\\\evil.example",
    "javascript:alert(document.domain)",
    "evil.example",
]
HOME = "/"
FINE = "/directory/search?q=Gen%C3%A8ve&kind=fiu"


def sign_in_with_next(client: FlaskClient, user: User, target: str):
    page = client.get("/auth/sign-in")
    return client.post(
        "/auth/sign-in",
        data={
            "email": user.email,
            "password": PASSWORD,
            "next": target,
            "csrf_token": csrf_from(page.text),
        },
    )


def enrol(user: User) -> pyotp.TOTP:
    secret = new_totp_secret()
    earlier = clock.now() - timedelta(minutes=5)
    enrol_totp(user, secret, pyotp.TOTP(secret).at(earlier), now=earlier)
    db.session.commit()
    return pyotp.TOTP(secret)


@pytest.mark.parametrize("target", [*NASTY, FINE])
def test_sign_in_follows_only_a_same_site_next(client: FlaskClient, cast: Cast, target: str):
    response = sign_in_with_next(client, cast.amina, target)

    assert response.status_code == 302
    assert response.headers["Location"] == (FINE if target == FINE else HOME)


@pytest.mark.parametrize("target", [*NASTY, FINE])
def test_the_second_factor_follows_only_a_same_site_next(
    client: FlaskClient, cast: Cast, target: str
):
    totp = enrol(cast.lea)
    sign_in_with_next(client, cast.lea, target)
    page = client.get("/auth/second-factor")

    response = client.post(
        "/auth/second-factor", data={"code": totp.now(), "csrf_token": csrf_from(page.text)}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == (FINE if target == FINE else HOME)


@pytest.mark.parametrize("app_overrides", [{"TOTP_REQUIRED": True}])
@pytest.mark.parametrize("target", [*NASTY, FINE])
def test_the_enrolment_continue_link_leads_only_to_a_same_site_next(
    client: FlaskClient, cast: Cast, target: str, app_overrides
):
    sign_in_with_next(client, cast.amina, target)
    page = client.get("/auth/set-up-second-factor")
    secret = re.search(r'<code class="secret" dir="ltr">([A-Z2-7]+)</code>', page.text).group(1)

    response = client.post(
        "/auth/set-up-second-factor",
        data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_from(page.text)},
    )

    assert response.status_code == 200
    link = re.search(r'<a class="button button-primary" href="([^"]*)"', response.text).group(1)
    assert link.replace("&amp;", "&") == (FINE if target == FINE else HOME)


@pytest.mark.parametrize("target", [*NASTY, FINE])
def test_the_language_switch_returns_only_to_a_same_site_page(client: FlaskClient, target: str):
    page = client.get("/auth/sign-in")

    response = client.post(
        "/auth/language",
        data={"locale": "fr", "next": target, "csrf_token": csrf_from(page.text)},
    )

    assert response.status_code == 302
    assert response.headers["Location"] == (FINE if target == FINE else HOME)
