"""Every migration, applied to an empty database, matches the models (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from network import create_app
from network.extensions import db
from tests.conftest import POSTGRES_URL, postgres_available, skip_or_fail


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_upgrade_from_empty_matches_the_models_and_downgrades(engine: str, tmp_path: Path):
    if engine == "postgresql" and not postgres_available():
        skip_or_fail("PostgreSQL is not reachable")
    url = POSTGRES_URL if engine == "postgresql" else f"sqlite:///{tmp_path / 'm.db'}"
    app = create_app(
        {"ENV_NAME": "testing", "DATABASE_URL": url, "INSTANCE_PATH": str(tmp_path),
         "KEYRING": str(tmp_path / "k.json")}
    )
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True}
            )
            differences = compare_metadata(context, db.metadata)
        assert differences == []
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()
