"""Every migration, applied to an empty database, matches the models (SQLite and PostgreSQL)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from network import create_app
from network.audit.models import AuditRecord
from network.audit.service import GENESIS, canonical, verify_chain
from network.core import clock
from network.extensions import db
from network.services import audit_checkpoints
from tests.conftest import POSTGRES_URL, postgres_available, skip_or_fail

BEFORE_KEYED_CHAIN = "6887dca679fd"


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


def plain_chain(count: int) -> list[AuditRecord]:
    """Records as the code before the keyed chain wrote them: plain SHA-256 digests."""
    previous, made = GENESIS, []
    for number in range(1, count + 1):
        record = AuditRecord(
            id=number,
            at=clock.now().replace(microsecond=0),
            actor_id=None,
            action="case.viewed",
            target_type="case",
            target_id=str(number),
            client_address=None,
            details={"n": number, "name": "Ольга"},
            previous_digest=previous,
        )
        record.digest = previous = hashlib.sha256(canonical(record)).hexdigest()
        made.append(record)
    return made


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_the_upgrade_rechains_the_plain_audit_trail_under_the_key_and_checkpoints_it(
    engine: str, tmp_path: Path
):
    if engine == "postgresql" and not postgres_available():
        skip_or_fail("PostgreSQL is not reachable")
    url = POSTGRES_URL if engine == "postgresql" else f"sqlite:///{tmp_path / 'm.db'}"
    app = create_app(
        {"ENV_NAME": "testing", "DATABASE_URL": url, "INSTANCE_PATH": str(tmp_path),
         "KEYRING": str(tmp_path / "k.json")}
    )
    count = 1234  # more than one batch of the migration
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        upgrade(revision=BEFORE_KEYED_CHAIN)
        records = plain_chain(count)
        plain_digests = [record.digest for record in records]
        db.session.add_all(records)
        db.session.commit()

        upgrade()

        written = audit_checkpoints().file.read()
        assert written is not None
        assert written.head.record_id == count
        assert verify_chain(written.head) == (count, None)
        downgrade(revision=BEFORE_KEYED_CHAIN)
        db.session.expire_all()
        stored = db.session.scalars(select(AuditRecord.digest).order_by(AuditRecord.id)).all()
        assert stored == plain_digests
        db.session.remove()
        downgrade(revision="base")
        db.engine.dispose()


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_the_upgrade_refuses_a_plain_trail_altered_before_it(
    engine: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]
):
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
        upgrade(revision=BEFORE_KEYED_CHAIN)
        records = plain_chain(1500)
        records[1200].details = {"n": "forged"}  # in the second batch of the migration
        stored = [record.digest for record in records]
        db.session.add_all(records)
        db.session.commit()

        with pytest.raises(SystemExit):
            upgrade()

        assert "audit record 1201 does not verify" in capfd.readouterr().err
        db.session.expire_all()
        assert db.session.scalars(select(AuditRecord.digest).order_by(AuditRecord.id)).all() == (
            stored
        )
        assert audit_checkpoints().file.read() is None
        db.session.remove()
        downgrade(revision="base")
        db.engine.dispose()
