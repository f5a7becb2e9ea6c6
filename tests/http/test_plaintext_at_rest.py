"""Secrets and identifying fields are sealed at rest: none of them is in the database in clear."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from network.auth.totp import enrol_totp, new_totp_secret
from network.core import clock
from network.extensions import db
from network.recovery import measures
from tests.conftest import Cast, csrf_from, sign_in
from tests.stories import Freeze, open_freeze

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)

AUTHORITY = "Juge d'instruction Quetzal-Ombrelle-5519"
ORDER_REFERENCE = "ORD-Narval-77310"


def _values_of_every_row() -> list[Any]:
    values: list[Any] = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)):
            values.extend(row)
    return values


def _in_clear(needle: str, values: list[Any]) -> bool:
    encoded = needle.encode("utf-8")
    return any(
        (isinstance(value, str) and needle in value)
        or (isinstance(value, bytes | memoryview) and encoded in bytes(value))
        or (isinstance(value, dict | list) and needle in repr(value))
        for value in values
    )


def _database_files(app: Flask) -> bytes:
    url = app.config["DATABASE_URL"]
    if not url.startswith("sqlite:///"):
        return b""
    path = Path(url.removeprefix("sqlite:///"))
    return b"".join(
        each.read_bytes() for each in (path, path.with_name(path.name + "-wal")) if each.exists()
    )


def _sign_in_with_code(client: FlaskClient, cast: Cast, code: str) -> Any:
    assert sign_in(client, cast.lea).headers["Location"].endswith("/auth/second-factor")
    page = client.get("/auth/second-factor")
    return client.post(
        "/auth/second-factor", data={"code": code, "csrf_token": csrf_from(page.text)}
    )


def test_totp_seeds_and_measure_issuers_are_not_stored_in_clear_and_totp_still_signs_in(
    app: Flask, client: FlaskClient, cast: Cast
) -> None:
    freeze: Freeze = open_freeze(cast)
    seed = new_totp_secret()
    earlier = clock.now() - timedelta(minutes=5)
    enrol_totp(cast.lea, seed, pyotp.TOTP(seed).at(earlier), now=earlier)
    measure = measures.record_measure(
        cast.lea,
        freeze.story.case.id,
        kind="freezing",
        asset_ids=[freeze.asset.id],
        issuing_authority=AUTHORITY,
        issuing_state="CHE",
        legal_basis="54_2_b",
        order_reference=ORDER_REFERENCE,
        now=clock.now(),
    )
    db.session.commit()

    stored = _values_of_every_row()
    files = _database_files(app)
    for secret in (seed, AUTHORITY, ORDER_REFERENCE):
        assert not _in_clear(secret, stored), secret
        assert secret.encode() not in files, secret

    view = measures.measure_view(cast.lea, measure.id, clock.now())
    db.session.commit()
    assert (view.issuing_authority, view.order_reference) == (AUTHORITY, ORDER_REFERENCE)
    response = _sign_in_with_code(client, cast, pyotp.TOTP(seed).now())
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
