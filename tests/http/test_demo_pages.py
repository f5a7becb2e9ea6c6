"""The demo as a visitor meets it: the accounts on the sign-in page, the case's pages open."""

from __future__ import annotations

import pytest

from network.auth.accounts import find_user_by_email
from network.cases.references import case_with_reference
from network.demo.seed import DEMO_PASSWORD, DEMO_USERS
from network.demo.story import CASE_REFERENCE
from tests.conftest import sign_in

DEVELOPMENT = {"DEMO_PASSWORD_ONLY": True}


def seed_demo(app) -> None:
    result = app.test_cli_runner().invoke(args=["network", "seed-demo"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("app_overrides", [DEVELOPMENT])
def test_in_development_the_sign_in_page_lists_the_demo_accounts_and_password(app, client):
    seed_demo(app)

    page = client.get("/auth/sign-in")

    assert page.status_code == 200
    assert DEMO_PASSWORD in page.text
    for email, *_rest in DEMO_USERS:
        assert email in page.text
    assert "中文" in page.text
    assert "Español" in page.text


@pytest.mark.parametrize("app_overrides", [DEVELOPMENT])
def test_without_demo_data_the_sign_in_page_lists_nothing(client):
    page = client.get("/auth/sign-in")

    assert page.status_code == 200
    assert "demo-accounts" not in page.text
    assert DEMO_PASSWORD not in page.text


def test_where_demo_users_need_the_second_factor_the_page_lists_nothing(app, client):
    seed_demo(app)

    page = client.get("/auth/sign-in")

    assert "demo-accounts" not in page.text
    assert DEMO_PASSWORD not in page.text


@pytest.mark.parametrize("app_overrides", [DEVELOPMENT])
def test_in_production_the_sign_in_page_never_lists_the_demo_accounts(app, client):
    seed_demo(app)
    app.config["ENV_NAME"] = "production"

    page = client.get("/auth/sign-in")

    assert DEMO_PASSWORD not in page.text
    assert "aminata.kone@civ.demo" not in page.text


@pytest.mark.parametrize(
    ("email", "lang"), [("aminata.kone@civ.demo", "fr"), ("wang.wei@chn.demo", "zh")]
)
def test_a_demo_user_opens_the_case_pages_in_their_language(app, client, email, lang):
    seed_demo(app)
    case_id = case_with_reference("CIV", CASE_REFERENCE)
    user = find_user_by_email(email)
    assert user is not None
    sign_in(client, user, DEMO_PASSWORD)

    pages = ["/"]
    if lang == "fr":  # Aminata is on the case; Wang Wei of China is not
        pages += [f"/cases/{case_id}", f"/cases/{case_id}/timeline", f"/cases/{case_id}/tracking"]
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200, url
        assert f'lang="{lang}"' in page.text, url
