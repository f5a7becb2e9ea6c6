"""A database restart costs at most one failed request: the pool recovers without a pre-ping."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool

from network.extensions import db
from tests.conftest import Cast

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


def _end_every_connection(app: Flask) -> int:
    """What a restart does to the app's pooled connections: the server ends them all."""
    url = make_url(app.config["DATABASE_URL"])
    admin = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            ended = connection.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalar_one()
    finally:
        admin.dispose()
    return int(ended)


def test_after_a_database_restart_at_most_one_request_fails_with_503_then_all_are_served(
    app: Flask, cast: Cast, api_as: Any
) -> None:
    assert "pool_pre_ping" not in app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    api = api_as(cast.amina)
    assert api.get("/me").status_code == 200
    db.session.rollback()
    held = [db.engine.connect() for _ in range(3)]  # three pooled connections, soon all stale
    for connection in held:
        connection.exec_driver_sql("SELECT 1")
        connection.close()

    assert _end_every_connection(app) >= 3

    statuses = [api.get("/me").status_code for _ in range(4)]
    assert statuses[0] in {200, 503}
    assert statuses[1:] == [200, 200, 200]
