"""Signing in and out in a real headless Chromium."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest

from network.auth.totp import enrol_totp, new_totp_secret
from network.core import clock
from network.extensions import db
from tests.conftest import PASSWORD, Cast

pytestmark = pytest.mark.browser


def enrol(user) -> pyotp.TOTP:
    secret = new_totp_secret()
    earlier = clock.now() - timedelta(minutes=5)
    enrol_totp(user, secret, pyotp.TOTP(secret).at(earlier), now=earlier)
    db.session.commit()
    return pyotp.TOTP(secret)


def fill_password(page, email: str, password: str) -> None:
    page.goto("/auth/sign-in")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()


def enrol_from_qr_page(page) -> None:
    """First sign-in where a second factor is required: set up TOTP as a person would."""
    page.wait_for_url("**/auth/set-up-second-factor")
    assert page.get_by_role(
        "img", name="QR code to add ARNet to your authenticator app"
    ).is_visible()
    secret = page.locator("code.secret").inner_text()
    page.get_by_label("Six-digit code your app shows now").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Confirm").click()
    assert page.get_by_role("heading", name="Your recovery codes").is_visible()
    assert page.locator(".recovery-codes li").count() == 10
    page.get_by_role("link", name="I have saved them, continue").click()
    page.wait_for_url("**/")


def test_sign_in_with_totp_then_sign_out(cast: Cast, new_page):
    totp = enrol(cast.lea)
    page = new_page()
    fill_password(page, cast.lea.email, PASSWORD)
    page.wait_for_url("**/auth/second-factor")
    page.get_by_label("Code from your authenticator app").fill(totp.now())
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    assert page.get_by_role("heading", name="Welcome, Léa Müller").is_visible()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/auth/sign-in")
    assert page.get_by_text("You have signed out.").is_visible()
    page.goto("/account")
    assert "/auth/sign-in" in page.url


def test_wrong_password_is_refused_in_the_browser(cast: Cast, new_page):
    page = new_page()
    fill_password(page, cast.lea.email, "definitely-not-it")
    assert page.get_by_text("The e-mail address or password is not right.").is_visible()
    page.goto("/account")
    assert "/auth/sign-in" in page.url


def test_first_sign_in_enrols_totp_from_the_qr_page(cast: Cast, new_page, app):
    app.config["TOTP_REQUIRED"] = True
    page = new_page()
    fill_password(page, cast.amina.email, PASSWORD)
    enrol_from_qr_page(page)
    assert page.get_by_role("heading", name="Welcome, Aminata Koné").is_visible()
