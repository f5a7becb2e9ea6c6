"""The audit trail cannot be truncated or re-chained unseen: the chain is keyed with the
keyring's audit key and held against a checkpoint kept outside the database."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import delete, func, select, update

from network import create_app
from network.audit import service as audit
from network.audit.checkpoint import Checkpoint, Head
from network.audit.models import AuditRecord
from network.extensions import db
from network.wiring import audit_checkpoints
from tests.conftest import Cast

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)

WRONG_KEY = os.urandom(32)


def plain_sha256(record: AuditRecord) -> str:
    return hashlib.sha256(audit.canonical(record)).hexdigest()


def wrong_key(record: AuditRecord) -> str:
    return audit.keyed_digest(WRONG_KEY, record)


def append(count: int) -> int:
    """Append ``count`` everyday (not administrative) records; returns the newest number."""
    for number in range(count):
        audit.record(None, "case.viewed", "case", number)
    db.session.commit()
    return head().record_id


def head() -> Head:
    newest = db.session.scalars(select(AuditRecord).order_by(AuditRecord.id.desc())).first()
    assert newest is not None
    return Head(newest.id, newest.digest)


def checkpoint() -> Checkpoint | None:
    return audit_checkpoints().file.read()


def checkpointed() -> Head:
    written = checkpoint()
    assert written is not None
    return written.head


def verify_audit(app: Flask) -> Any:
    return app.test_cli_runner().invoke(args=["network", "verify-audit"])


def rechain(first: int, removed: int, digest: Callable[[AuditRecord], str]) -> None:
    """What a database administrator can do: delete records from ``first`` on, renumber the
    rest to close the gap and recompute every digest after it without the audit key."""
    db.session.execute(
        delete(AuditRecord).where(AuditRecord.id >= first, AuditRecord.id < first + removed)
    )
    later = db.session.scalars(
        select(AuditRecord.id).where(AuditRecord.id >= first + removed).order_by(AuditRecord.id)
    ).all()
    for number in later:
        db.session.execute(
            update(AuditRecord)
            .where(AuditRecord.id == number)
            .values(id=number - removed)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()
    db.session.expire_all()
    previous = db.session.get(AuditRecord, first - 1)
    assert previous is not None
    for record in db.session.scalars(
        select(AuditRecord).where(AuditRecord.id >= first).order_by(AuditRecord.id)
    ):
        record.previous_digest = previous.digest
        record.digest = digest(record)
        previous = record
    db.session.commit()


def test_an_untouched_chain_verifies_clean_against_its_checkpoint(app: Flask, cast: Cast):
    newest = append(30)
    audit_checkpoints().flush()

    result = verify_audit(app)

    assert result.exit_code == 0, result.output
    assert f"audit chain whole: {newest} records verified with the audit key" in result.output
    assert f"record {newest} matches the checkpoint" in result.output


def test_truncating_the_last_50_records_is_reported_against_the_checkpoint(
    app: Flask, cast: Cast
):
    newest = append(60)
    audit_checkpoints().flush()
    db.session.execute(delete(AuditRecord).where(AuditRecord.id > newest - 50))
    db.session.commit()

    assert audit.verify_chain() == (newest - 50, None)  # the chain alone looks whole
    result = verify_audit(app)

    assert result.exit_code == 1
    assert f"audit chain broken at record {newest - 49}: it is missing" in result.output
    assert f"vouches for records up to {newest}" in result.output


@pytest.mark.parametrize("forged_digest", [plain_sha256, wrong_key])
def test_deleting_records_and_rechaining_without_the_key_is_reported_at_the_first_forged_one(
    app: Flask, cast: Cast, forged_digest: Callable[[AuditRecord], str]
):
    append(60)
    audit_checkpoints().flush()

    rechain(20, 10, forged_digest)
    result = verify_audit(app)

    assert result.exit_code == 1
    assert "audit chain broken at record 20: its contents do not match its digest" in (
        result.output
    )


def test_a_chain_rechained_with_the_key_but_not_the_checkpointed_one_is_reported(
    app: Flask, cast: Cast
):
    newest = append(10)
    audit_checkpoints().flush()
    # Whoever holds the key can forge a whole chain; the checkpoint still names the old head.
    rechain(5, 1, lambda record: audit.keyed_digest(audit.audit_key(), record))
    append(5)

    count, broken = audit.verify_chain(checkpointed())

    assert broken == audit.BrokenLink(newest, "its digest is not the one checkpointed")
    assert count == newest


def test_an_administrative_action_writes_a_checkpoint_and_an_everyday_one_waits(
    cast: Cast, api_as: Any
):
    secretariat = api_as(cast.secretariat)  # a token made: an everyday record
    before = checkpoint()
    assert before is not None  # the cast's users were created by an administrator

    assert before.head.record_id < head().record_id
    changed = secretariat.patch("/states/CIV", json={"time_zone": "Africa/Abidjan"})
    assert changed.status_code == 200, changed.json

    state_edit = db.session.scalar(
        select(func.max(AuditRecord.id)).where(AuditRecord.action == "directory.state.updated")
    )
    assert checkpointed() == head()
    assert head().record_id == state_edit


def test_the_timer_checkpoints_everyday_records(cast: Cast):
    written = checkpoint()
    newest = append(3)
    assert checkpoint() == written  # not per record, not inside the request

    audit_checkpoints().flush()  # what the timer does every AUDIT_CHECKPOINT_MINUTES

    assert checkpointed() == Head(newest, head().digest)


def test_a_rolled_back_administrative_action_is_never_checkpointed(cast: Cast):
    written = checkpoint()
    audit.record(cast.secretariat, "user.deactivated", "user", cast.amina.id)
    db.session.rollback()
    append(1)

    audit_checkpoints().flush()

    assert checkpointed() == head()
    assert checkpoint() != written
    assert audit.verify_chain(checkpointed())[1] is None


def test_a_process_holding_an_older_head_does_not_move_the_checkpoint_back(
    app: Flask, cast: Cast
):
    other = create_app(  # another worker on the same database, keyring and checkpoint file
        {
            key: app.config[key]
            for key in ("ENV_NAME", "DATABASE_URL", "INSTANCE_PATH", "KEYRING", "ATTACHMENT_DIR")
        }
    )
    with other.app_context():
        audit.record(None, "case.viewed", "case", 1)
        db.session.commit()  # its head, not written yet
    append(5)
    audit.record(cast.secretariat, "user.deactivated", "user", cast.amina.id)
    db.session.commit()
    newest = head()

    with other.app_context():
        audit_checkpoints().flush()  # its timer fires with the older head
        db.engine.dispose()

    assert checkpointed() == newest
    assert audit.verify_chain(checkpointed()) == (newest.record_id, None)
