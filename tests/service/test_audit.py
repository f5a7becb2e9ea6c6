"""The audit trail stays one verifiable chain when many records are appended at once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from network.audit import service as audit
from network.audit.models import AuditRecord
from network.core import clock
from network.extensions import db
from tests.conftest import Cast

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


def test_records_appended_in_bulk_continue_the_chain_in_order(cast: Cast):
    before = db.session.scalar(select(func.max(AuditRecord.id)))
    tail = db.session.get(AuditRecord, before)
    entries = [
        audit.Entry("directory.authority.imported", "authority", number, {"new": {"n": number}})
        for number in range(1, 4)
    ]
    records = audit.record_many(cast.secretariat, entries, at=clock.now())
    after = audit.record(cast.secretariat, "directory.state.updated", "state", "CIV", {})
    db.session.commit()

    assert [r.id for r in records] == [before + 1, before + 2, before + 3]
    assert [r.target_id for r in records] == ["1", "2", "3"]
    assert records[0].previous_digest == tail.digest
    assert after.previous_digest == records[-1].digest
    assert audit.verify_chain() == (before + 4, None)


def test_a_changed_record_among_a_bulk_append_breaks_the_chain(cast: Cast):
    entries = [audit.Entry("directory.focal_point.imported", "focal_point", n) for n in (7, 8)]
    _first, second = audit.record_many(None, entries, at=clock.now())
    db.session.commit()
    second.details = {"new": {"name": "Forged"}}
    db.session.commit()
    _count, broken = audit.verify_chain()
    assert broken == audit.BrokenLink(second.id, "its contents do not match its digest")
