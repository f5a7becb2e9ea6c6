"""Account pages: the secretariat offers only what it may still do to a State's accounts."""

from __future__ import annotations

from typing import Any

from network.extensions import db
from tests.conftest import Cast, csrf_from


def test_the_secretariat_sees_a_states_administrators_but_cannot_reset_or_deactivate_them(
    cast: Cast, browser_as: Any
) -> None:
    secretariat = browser_as(cast.secretariat)
    page = secretariat.get("/admin/users")
    assert cast.yao.name in page.text
    assert f"/admin/users/{cast.yao.id}/reset-sign-in" not in page.text
    assert f"/admin/users/{cast.yao.id}/active" not in page.text
    assert f"/admin/users/{cast.observer.id}/reset-sign-in" in page.text

    token = csrf_from(page.text)
    reset = secretariat.post(
        f"/admin/users/{cast.yao.id}/reset-sign-in", data={"csrf_token": token}
    )
    assert reset.status_code == 403
    off = secretariat.post(
        f"/admin/users/{cast.yao.id}/active", data={"active": "0", "csrf_token": token}
    )
    assert off.status_code == 403
    db.session.refresh(cast.yao)
    assert cast.yao.active
    assert cast.yao.password_hash is not None


def test_a_national_administrator_still_keeps_their_states_users(
    cast: Cast, browser_as: Any
) -> None:
    page = browser_as(cast.yao).get("/admin/users")
    assert f"/admin/users/{cast.amina.id}/reset-sign-in" in page.text
    assert f"/admin/users/{cast.yao.id}/reset-sign-in" not in page.text  # not themself
