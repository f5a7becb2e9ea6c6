"""Writing and verifying the hash-chained audit trail."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import false, select, text, update

from network.audit.models import AuditRecord
from network.core import clock
from network.extensions import db

GENESIS = "0" * 64
# Any constant works: it only serialises audit writers on PostgreSQL.
_CHAIN_LOCK = 0x41524E4554


class Actor(Protocol):
    id: int


@dataclass(frozen=True)
class BrokenLink:
    """The first record whose digest or back-link does not match."""

    record_id: int
    reason: str


def _digest(record: AuditRecord) -> str:
    body = {
        "id": record.id,
        "at": record.at.isoformat(),
        "actor_id": record.actor_id,
        "action": record.action,
        "target_type": record.target_type,
        "target_id": record.target_id,
        "client_address": record.client_address,
        "details": record.details,
        "previous": record.previous_digest,
    }
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Entry:
    """One record to append with ``record_many``: what was done to which object."""

    action: str
    target_type: str | None = None
    target_id: object = None
    details: dict[str, Any] | None = None


def record(
    actor: Actor | None,
    action: str,
    target_type: str | None = None,
    target_id: object = None,
    details: dict[str, Any] | None = None,
    client_address: str | None = None,
    at: datetime | None = None,
) -> AuditRecord:
    """Append one record in the caller's transaction, linked to the latest one."""
    entry = Entry(action, target_type, target_id, details)
    return record_many(actor, [entry], client_address=client_address, at=at)[0]


def record_many(
    actor: Actor | None,
    entries: Sequence[Entry],
    *,
    client_address: str | None = None,
    at: datetime | None = None,
) -> list[AuditRecord]:
    """Append several records by one actor, chained in order, with one lock, read and flush.

    A bulk import changes thousands of entries; taking the chain's tail once keeps it
    linear instead of one round trip per record.
    """
    session = db.session
    # Two writers must not both link to the same predecessor: hold the chain before reading
    # its tail. SQLite's driver opens a transaction only at the first write, so a write that
    # changes nothing takes the database's write lock (or waits for it) before the read.
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK})
    elif dialect == "sqlite":
        session.execute(
            update(AuditRecord)
            .where(false())
            .values(id=AuditRecord.id)
            .execution_options(synchronize_session=False)
        )
    last = session.execute(
        select(AuditRecord.id, AuditRecord.digest).order_by(AuditRecord.id.desc()).limit(1)
    ).first()
    next_id, previous = (last.id + 1, last.digest) if last else (1, GENESIS)
    moment = (at or clock.now()).replace(microsecond=0)
    records = []
    for each in entries:
        entry = AuditRecord(
            id=next_id,
            at=moment,
            actor_id=actor.id if actor is not None else None,
            action=each.action,
            target_type=each.target_type,
            target_id=None if each.target_id is None else str(each.target_id),
            client_address=client_address,
            details=each.details or {},
            previous_digest=previous,
        )
        entry.digest = previous = _digest(entry)
        records.append(entry)
        next_id += 1
    session.add_all(records)
    session.flush()
    return records


def _in_order(batch: int = 1000) -> Iterator[AuditRecord]:
    after = 0
    while True:
        rows = db.session.scalars(
            select(AuditRecord).where(AuditRecord.id > after).order_by(AuditRecord.id).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        after = rows[-1].id


def verify_chain() -> tuple[int, BrokenLink | None]:
    """Walk the whole trail; return how many records were checked and the first broken link."""
    previous = GENESIS
    expected_id = 1
    count = 0
    for entry in _in_order():
        count += 1
        if entry.id != expected_id:
            return count, BrokenLink(expected_id, "a record is missing before this one")
        if entry.previous_digest != previous:
            return count, BrokenLink(entry.id, "its back-link does not match the record before")
        if _digest(entry) != entry.digest:
            return count, BrokenLink(entry.id, "its contents do not match its digest")
        previous = entry.digest
        expected_id += 1
    return count, None
