"""Sign-in through the pages: password, TOTP, throttling, sessions, sign-out, headers."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
import time_machine
from sqlalchemy import select

from network.audit.models import AuditRecord
from network.auth import passwords
from network.auth.models import User, UserSession
from network.auth.totp import enrol_totp, new_totp_secret
from network.core import clock
from network.extensions import db
from tests.conftest import PASSWORD, Cast, csrf_from, sign_in


def enrol(user: User) -> pyotp.TOTP:
    secret = new_totp_secret()
    earlier = clock.now() - timedelta(minutes=5)
    enrol_totp(user, secret, pyotp.TOTP(secret).at(earlier), now=earlier)
    db.session.commit()
    return pyotp.TOTP(secret)


def submit_code(client, code: str):
    page = client.get("/auth/second-factor")
    return client.post(
        "/auth/second-factor", data={"code": code, "csrf_token": csrf_from(page.text)}
    )


def test_user_with_totp_needs_the_code_after_the_password(client, cast: Cast):
    totp = enrol(cast.lea)
    response = sign_in(client, cast.lea)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/second-factor")
    assert client.get("/account").status_code == 302  # not signed in yet
    response = submit_code(client, totp.now())
    assert response.status_code == 302
    assert client.get("/account").status_code == 200


def test_replayed_totp_code_is_refused(app, cast: Cast):
    totp = enrol(cast.lea)
    code = totp.now()
    first = app.test_client()
    sign_in(first, cast.lea)
    assert submit_code(first, code).status_code == 302
    second = app.test_client()
    sign_in(second, cast.lea)
    replay = submit_code(second, code)
    assert replay.status_code == 401
    assert "already been used" in replay.text
    assert second.get("/account").status_code == 302


def test_wrong_totp_code_is_refused(client, cast: Cast):
    totp = enrol(cast.lea)
    sign_in(client, cast.lea)
    wrong = f"{(int(totp.now()) + 1) % 1_000_000:06d}"
    response = submit_code(client, wrong)
    assert response.status_code == 401
    assert "The code is not right" in response.text


@pytest.mark.parametrize("app_overrides", [{"TOTP_REQUIRED": True}])
def test_second_factor_is_mandatory_when_configured(client, cast: Cast, app_overrides):
    response = sign_in(client, cast.amina)
    assert response.headers["Location"].endswith("/auth/set-up-second-factor")
    page = client.get("/auth/set-up-second-factor")
    assert "data:image/svg+xml" in page.text  # the QR code
    assert client.get("/account").status_code == 302


def test_ten_wrong_passwords_throttle_the_account_without_revealing_it(app, cast: Cast):
    client = app.test_client()
    statuses = [
        sign_in(client, cast.amina, password="not-the-password-at-all").status_code
        for _ in range(10)
    ]
    assert statuses[:5] == [401] * 5
    assert set(statuses[5:]) == {429}
    throttled = sign_in(client, cast.amina)  # even the right password now waits
    assert throttled.status_code == 429
    assert "Try again in" in throttled.text
    assert "Retry-After" in throttled.headers or "minutes" in throttled.text
    unknown = app.test_client()
    answers = [sign_in_unknown(unknown).status_code for _ in range(6)]
    assert answers == [401] * 5 + [429]  # the same for an account that does not exist


def sign_in_unknown(client):
    page = client.get("/auth/sign-in")
    return client.post(
        "/auth/sign-in",
        data={
            "email": "nobody@nowhere.example",
            "password": "whatever-it-is",
            "csrf_token": csrf_from(page.text),
        },
    )


def test_failed_and_successful_sign_ins_are_audited(client, cast: Cast):
    sign_in(client, cast.amina, password="wrong-password-here")
    sign_in(client, cast.amina)
    actions = db.session.scalars(
        select(AuditRecord.action).where(AuditRecord.actor_id == cast.amina.id)
    ).all()
    assert "signin.failed" in actions
    assert "signin.succeeded" in actions


def test_session_id_changes_at_every_sign_in(app, cast: Cast):
    client = app.test_client()
    sign_in(client, cast.amina)
    first = db.session.scalars(select(UserSession.token_hash)).all()
    client.post("/auth/sign-out", data={"csrf_token": csrf_from(client.get("/account").text)})
    sign_in(client, cast.amina)
    second = db.session.scalars(select(UserSession.token_hash)).all()
    assert len(second) == 2
    assert set(first) < set(second)


def test_sign_out_needs_csrf_and_ends_the_session(client, cast: Cast):
    sign_in(client, cast.amina)
    assert client.post("/auth/sign-out").status_code == 400  # no CSRF token
    assert client.get("/account").status_code == 200
    token = csrf_from(client.get("/account").text)
    assert client.post("/auth/sign-out", data={"csrf_token": token}).status_code == 302
    assert client.get("/account").status_code == 302
    ended = db.session.scalars(select(UserSession.ended_at)).all()
    assert all(ended)


def test_idle_session_expires(app, cast: Cast):
    client = app.test_client()
    with time_machine.travel(clock.now(), tick=False) as traveller:
        sign_in(client, cast.amina)
        assert client.get("/account").status_code == 200
        traveller.shift(timedelta(minutes=31))
        assert client.get("/account").status_code == 302


def test_sign_out_everywhere_signs_out_other_browsers(app, cast: Cast):
    laptop, tablet = app.test_client(), app.test_client()
    sign_in(laptop, cast.amina)
    sign_in(tablet, cast.amina)
    token = csrf_from(laptop.get("/account").text)
    laptop.post("/account/sessions/end-all", data={"csrf_token": token})
    assert tablet.get("/account").status_code == 302
    assert laptop.get("/account").status_code == 302


def test_changing_password_asks_for_the_current_one(client, cast: Cast):
    sign_in(client, cast.amina)
    token = csrf_from(client.get("/account").text)
    refused = client.post(
        "/account/password",
        data={
            "current_password": "wrong-one-entirely",
            "new_password": "Brand-New-Passphrase-77",
            "csrf_token": token,
        },
    )
    assert refused.status_code == 422
    assert "current password is not right" in refused.text
    db.session.refresh(cast.amina)
    assert passwords.verify_password(cast.amina.password_hash, PASSWORD)


def test_replacing_the_authenticator_asks_for_the_current_password(client, cast: Cast):
    sign_in(client, cast.amina)
    page = client.get("/account/second-factor")
    secret = _secret_from(page.text)
    response = client.post(
        "/account/second-factor",
        data={
            "current_password": "not-my-password",
            "code": pyotp.TOTP(secret).now(),
            "csrf_token": csrf_from(page.text),
        },
    )
    assert response.status_code == 422
    db.session.refresh(cast.amina)
    assert cast.amina.totp_secret is None
    response = client.post(
        "/account/second-factor",
        data={
            "current_password": PASSWORD,
            "code": pyotp.TOTP(secret).now(),
            "csrf_token": csrf_from(page.text),
        },
    )
    assert response.status_code == 200
    assert "Your recovery codes" in response.text
    db.session.refresh(cast.amina)
    assert cast.amina.totp_secret == secret


def _secret_from(html: str) -> str:
    import re

    match = re.search(r'<code class="secret" dir="ltr">([A-Z2-7]+)</code>', html)
    assert match is not None
    return match.group(1)


def test_admin_reset_sends_the_code_to_the_user_only(app, client, cast: Cast, browser_as):
    admin = browser_as(cast.yao)
    page = admin.get("/admin/users")
    assert cast.amina.name in page.text
    assert cast.lea.name not in page.text  # another State's user
    response = admin.post(
        f"/admin/users/{cast.amina.id}/reset-sign-in",
        data={"csrf_token": csrf_from(page.text)},
        follow_redirects=True,
    )
    assert response.status_code == 200
    mail = app.extensions["arnet"]["mailer"].sent[-1]
    assert mail["To"] == cast.amina.email
    import re

    code = re.search(r"Enrolment code: (\S+)", mail.get_content()).group(1)
    assert code not in response.text
    # The user sets a new password with the code and must then enrol a new authenticator.
    page = client.get("/auth/enrol")
    done = client.post(
        "/auth/enrol",
        data={
            "email": cast.amina.email,
            "code": code,
            "password": "Reset-Passphrase-For-Amina",
            "csrf_token": csrf_from(page.text),
        },
    )
    assert done.headers["Location"].endswith("/auth/set-up-second-factor")


def test_the_reset_e_mail_is_in_the_users_language_not_the_administrators(
    app, cast: Cast, browser_as
):
    cast.amina.locale = "fr"
    db.session.commit()
    admin = browser_as(cast.yao)  # the administrator's pages are in English
    page = admin.get("/admin/users")
    admin.post(
        f"/admin/users/{cast.amina.id}/reset-sign-in",
        data={"csrf_token": csrf_from(page.text)},
        follow_redirects=True,
    )
    mail = app.extensions["arnet"]["mailer"].sent[-1]
    assert mail["To"] == cast.amina.email
    assert "Enrolment code" not in mail.get_content()
    assert "Bonjour Aminata Koné" in mail.get_content()


def test_national_admin_cannot_reset_another_states_user_over_html(cast: Cast, browser_as):
    admin = browser_as(cast.yao)
    token = csrf_from(admin.get("/admin/users").text)
    response = admin.post(f"/admin/users/{cast.lea.id}/reset-sign-in", data={"csrf_token": token})
    assert response.status_code == 403
    db.session.refresh(cast.lea)
    assert cast.lea.password_hash is not None


def test_security_headers_on_pages(client, cast: Cast, browser_as):
    response = client.get("/auth/sign-in")
    csp = response.headers["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    signed_in = browser_as(cast.amina).get("/account")
    assert signed_in.headers["Cache-Control"] == "no-store"


def test_session_cookie_is_httponly_and_samesite_lax(client, cast: Cast):
    response = sign_in(client, cast.amina)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_pages_need_a_signed_in_user(client):
    for path in ("/", "/account", "/admin/users"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/auth/sign-in" in response.headers["Location"]


def test_unknown_page_is_a_friendly_html_404(client, cast: Cast, browser_as):
    response = browser_as(cast.amina).get("/no/such/page")
    assert response.status_code == 404
    assert "<html" in response.text
    assert "Traceback" not in response.text
