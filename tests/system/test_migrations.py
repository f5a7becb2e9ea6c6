"""Every migration, applied to an empty database, matches the models (SQLite and PostgreSQL)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import Connection, inspect, select, text

from network import create_app
from network.audit.models import AuditRecord
from network.audit.service import GENESIS, canonical, verify_chain
from network.auth.models import User
from network.core import clock
from network.extensions import db
from network.recovery import measures
from network.recovery.models import ProvisionalMeasure
from network.sealing import keystore
from network.wiring import audit_checkpoints
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


SEED = "JBSWY3DPEHPK3PXPQUETZAL2"
AUTHORITY = "Tribunal Ombrelle-Narval"
SEALING_REVISION = "75dc3549fb09"


def _rows_at_initial_schema(connection: Connection, case_key_id: int) -> None:
    """A user with a TOTP seed and a case with a freezing order, as the first schema kept them."""
    now = clock.now()
    statements = [
        (
            "INSERT INTO states (code, names, uncac_status, time_zone, is_demo_data,"
            " is_observer_state, search_text)"
            " VALUES ('CHE', '{}', 'party', 'UTC', false, false, '')",
            {},
        ),
        (
            "INSERT INTO users (id, email, name, role, state_code, totp_secret, active, is_demo,"
            " created_at) VALUES (1, 'lea@che.example', 'Léa', 'practitioner', 'CHE', :seed,"
            " true, false, :now)",
            {"seed": SEED, "now": now},
        ),
        (
            "INSERT INTO cases (id, requesting_state, data_key_id, scheme, title_sealed,"
            " summary_sealed, stage, opened_by_id, opened_at) VALUES (1, 'CHE', :key, 'hub',"
            " :blank, :blank, 'informal_consultation', 1, :now)",
            {"key": case_key_id, "blank": b"", "now": now},
        ),
        (
            "INSERT INTO provisional_measures (id, case_id, requested_state, kind,"
            " issuing_authority, issuing_state, legal_basis, enforcement, order_reference,"
            " confiscation_reference, recorded_by_id, recorded_at) VALUES (1, 1, 'CHE',"
            " 'freezing', :authority, 'CHE', 'domestic', 'direct', 'ORD-1', '', 1, :now)",
            {"authority": AUTHORITY, "now": now},
        ),
    ]
    for statement, values in statements:
        connection.execute(text(statement), values)


@contextmanager
def at_the_initial_schema(engine: str, tmp_path: Path) -> Iterator[None]:
    """An app context on a database at the first schema that holds a user and an order."""
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
        upgrade(revision="6887dca679fd")
        case_key = keystore.create_data_key(clock.now())
        db.session.commit()
        with db.engine.begin() as connection:
            _rows_at_initial_schema(connection, case_key.id)
        yield


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_sealing_migration_seals_existing_seeds_and_issuers_and_downgrades(
    engine: str, tmp_path: Path
):
    with at_the_initial_schema(engine, tmp_path):

        upgrade()  # through the sealing step to the head, whose models the reads below use

        columns = {c["name"] for c in inspect(db.engine).get_columns("users")}
        assert "totp_secret" not in columns
        user = db.session.get(User, 1)
        assert user is not None
        assert SEED.encode() not in (user.totp_secret_sealed or b"")
        assert user.totp_secret == SEED
        measure = db.session.get(ProvisionalMeasure, 1)
        assert measure is not None
        assert AUTHORITY.encode() not in measure.issuing_authority_sealed
        opened = measures.measure_summaries([measure], clock.now())[0]
        assert (opened.issuing_authority, opened.order_reference) == (AUTHORITY, "ORD-1")
        db.session.rollback()
        db.session.close()

        downgrade(revision="6887dca679fd")
        with db.engine.connect() as connection:
            row = connection.execute(
                text("SELECT issuing_authority, order_reference FROM provisional_measures")
            ).one()
            seed = connection.execute(text("SELECT totp_secret FROM users")).scalar_one()
        assert (tuple(row), seed) == ((AUTHORITY, "ORD-1"), SEED)
        downgrade(revision="base")
        db.engine.dispose()


LINKS = {
    1: ("/cases/1/timeline", 1, ("case_timeline", "1")),
    2: ("/cases/1", 1, ("case", "1")),
    3: ("/directory/states/CHE", None, ("state", "CHE")),
}


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_notification_links_become_targets_and_downgrade_to_the_same_links(
    engine: str, tmp_path: Path
):
    with at_the_initial_schema(engine, tmp_path):
        with db.engine.begin() as connection:
            for number, (link, case_id, _target) in LINKS.items():
                connection.execute(
                    text(
                        "INSERT INTO notifications (id, user_id, kind, case_id, subject, link,"
                        " created_at, in_app, email_state) VALUES (:id, 1, 'measure_lapsed',"
                        " :case_id, 'a subject', :link, :now, true, 'none')"
                    ),
                    {"id": number, "case_id": case_id, "link": link, "now": clock.now()},
                )

        upgrade()
        db.session.remove()  # the sealing step's session must not hold the table

        with db.engine.connect() as connection:
            targets = connection.execute(
                text("SELECT id, target, target_id FROM notifications ORDER BY id")
            ).all()
        assert {row[0]: (row[1], row[2]) for row in targets} == {
            number: target for number, (_link, _case, target) in LINKS.items()
        }
        downgrade(revision=SEALING_REVISION)
        with db.engine.connect() as connection:
            links = connection.execute(text("SELECT id, link FROM notifications ORDER BY id")).all()
        assert dict(links) == {number: link for number, (link, _case, _target) in LINKS.items()}
        downgrade(revision="base")
        db.engine.dispose()


BEFORE_HOLDINGS = "9a9f6762588b"  # the revision just before holdings


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_an_assets_holder_becomes_its_direct_holding_and_index_matches_reads_it(
    engine: str, tmp_path: Path
):
    from network.auth.accounts import create_user
    from network.cases import opening
    from network.directory.affiliation import Affiliation
    from network.directory.models import State
    from network.recovery.matching import index_everything
    from network.recovery.models import Asset, AssetHolding, MatchKey, Subject

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
        upgrade(revision=BEFORE_HOLDINGS)
        now = clock.now()
        for code in ("CIV", "CHE"):
            db.session.add(State(code=code, names={"en": code}, time_zone="UTC"))
        amina, lea = (
            create_user(None, email=f"{name}@{state.lower()}.example", name=name,
                        role="practitioner", affiliation=Affiliation(state), now=now)
            for name, state in (("amina", "CIV"), ("lea", "CHE"))
        )
        case = opening.open_case(
            amina, title="Before holdings", summary="", reference="", requested_states=["CHE"],
            counterparts=[lea.id], now=now,
        )
        db.session.flush()
        # Rows as the release before holdings wrote them: no holding, no match key.
        subject = Subject(case_id=case.id, requested_state="CHE", kind="natural", roles=[],
                          identity={"names": ["José García"]}, recorded_by_id=lea.id,
                          recorded_at=now)
        db.session.add(subject)
        db.session.flush()
        db.session.add(Asset(case_id=case.id, requested_state="CHE", kind="bank_account",
                             location_state="CHE", holder_id=subject.id, status="identified",
                             status_since=now, details={"identifiers": {}},
                             recorded_by_id=lea.id, recorded_at=now))
        subject_id = subject.id
        db.session.commit()
        db.session.remove()

        upgrade()

        holding = db.session.scalars(select(AssetHolding)).one()
        assert (holding.subject_id, holding.kind, holding.via_subject_id) == (
            subject_id, "direct", None,
        )
        assert index_everything() == 2
        db.session.commit()
        kinds = db.session.scalars(select(MatchKey.kind).where(MatchKey.subject_id.is_not(None)))
        assert sorted(kinds) == ["name", "name"]  # once for CIV, once for CHE
        db.session.remove()
        downgrade(revision=BEFORE_HOLDINGS)
        downgrade(revision="base")
        db.engine.dispose()
