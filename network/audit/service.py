"""Writing and verifying the audit trail: an HMAC-SHA-256 chain keyed with the keyring's
audit key, whose head is checkpointed outside the database after each commit that matters."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, cast

from sqlalchemy import Table, event, insert, inspect, select
from sqlalchemy.orm import Session, make_transient_to_detached, scoped_session
from sqlalchemy.orm.util import identity_key

from network.audit.checkpoint import CheckpointKeeper, Head
from network.audit.models import AuditRecord
from network.core import clock
from network.core.locking import hold_write_lock
from network.extensions import db

GENESIS = "0" * 64
_COLUMNS = list(inspect(AuditRecord).column_attrs)
_TABLE = cast(Table, AuditRecord.__table__)
# What a commit appended, held on the session until the commit is known to have happened.
_PENDING = "arnet_audit_head"

# Actions that change who may do what, the keys, or the network's reference data: their
# commit writes a checkpoint at once instead of waiting for the timer. Case and channel seats
# are all here (a national administrator's included), since each decides who reads a case.
ADMINISTRATIVE_ACTIONS = frozenset(
    {
        "user.created",
        "user.activated",
        "user.deactivated",
        "user.sign_in_reset",
        "case.team_member_added",
        "case.team_member_removed",
        "channel.observer_invited",
        "channel.observer_revoked",
        "keyring.rotated",
        "keyring.retired",
        "directory.state.updated",
        "directory.observer_body.created",
        "directory.observer_body.updated",
        "directory.authority.imported",
        "directory.focal_point.imported",
        "directory.profile.imported",
    }
)


class Actor(Protocol):
    id: int


class Chained(Protocol):
    """The fields a digest covers: an ``AuditRecord``, or a row read by a migration."""

    id: int
    at: datetime
    actor_id: int | None
    action: str
    target_type: str | None
    target_id: str | None
    client_address: str | None
    details: dict[str, Any]
    previous_digest: str


class AuditUnavailable(RuntimeError):
    """No audit key provider was installed; the application wiring is incomplete."""


_key_provider: Callable[[], bytes] | None = None
_keeper_provider: Callable[[], CheckpointKeeper] | None = None


def provide(key: Callable[[], bytes], keeper: Callable[[], CheckpointKeeper]) -> None:
    """Install where the audit key and this application's checkpoint keeper come from."""
    global _key_provider, _keeper_provider
    _key_provider, _keeper_provider = key, keeper


def audit_key() -> bytes:
    """The keyring's audit key, through the provider the application installed."""
    if _key_provider is None:
        raise AuditUnavailable("no audit key provider is installed")
    return _key_provider()


def keeper() -> CheckpointKeeper:
    """The running application's checkpoint keeper."""
    if _keeper_provider is None:
        raise AuditUnavailable("no audit checkpoint provider is installed")
    return _keeper_provider()


@dataclass(frozen=True)
class BrokenLink:
    """The first record whose digest or back-link does not match."""

    record_id: int
    reason: str


def canonical(record: Chained) -> bytes:
    """The bytes a record's digest covers, its back-link included."""
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
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def keyed_digest(key: bytes, record: Chained) -> str:
    """HMAC-SHA-256: as cheap as the plain hash, and impossible to recompute without the key."""
    return hmac.new(key, canonical(record), hashlib.sha256).hexdigest()


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


# On PostgreSQL the chain's lock and its tail in one round trip: two statements sent as one
# simple query (no parameters). Each statement of it takes its own snapshot, so the tail is
# read after the lock is granted and sees the commit of the writer that held it before.
_LOCKED_TAIL_POSTGRESQL = (
    # Any constant works as the key ("ARNET" in hex): it only serialises audit writers.
    "SELECT pg_advisory_xact_lock(280553735508); "
    "SELECT id, digest FROM audit_records ORDER BY id DESC LIMIT 1"
)
_TAIL = select(AuditRecord.id, AuditRecord.digest).order_by(AuditRecord.id.desc()).limit(1)


def _locked_tail(session: Session | scoped_session[Any]) -> tuple[int, str] | None:
    """Hold the chain until commit, then read its last record (id, digest), if any.

    Two writers must not both link to the same predecessor: the chain is held before its
    tail is read. SQLite's driver opens a transaction only at the first write, so there the
    database's write lock is taken first (no statement if the transaction already wrote).
    """
    if session.get_bind().dialect.name == "postgresql":
        result = session.connection().exec_driver_sql(_LOCKED_TAIL_POSTGRESQL)
        try:
            cursor = result.cursor
            cursor.nextset()
            row = cursor.fetchone()
        finally:
            result.close()
    else:
        hold_write_lock(session, AuditRecord)
        row = session.execute(_TAIL).first()
    return None if row is None else (int(row[0]), str(row[1]))


def record_many(
    actor: Actor | None,
    entries: Sequence[Entry],
    *,
    client_address: str | None = None,
    at: datetime | None = None,
) -> list[AuditRecord]:
    """Append several records by one actor, chained in order: one lock, one read, one insert.

    A bulk import changes thousands of entries; taking the chain's tail once keeps it
    linear instead of one round trip per record. The records are inserted with one Core
    statement and join the session as if loaded, with no flush of their own.
    """
    session = db.session
    last = _locked_tail(session)
    next_id, previous = (last[0] + 1, last[1]) if last else (1, GENESIS)
    moment = (at or clock.now()).replace(microsecond=0)
    key = audit_key()
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
        entry.digest = previous = keyed_digest(key, entry)
        records.append(entry)
        next_id += 1
    if not records:
        return records
    # What the caller added before is written first, as a flush of everything would.
    session.flush()
    session.execute(insert(_TABLE), [_row(made) for made in records])
    for made in records:
        _as_loaded(session, made)
    _hold_head(session.info, records[-1], {each.action for each in entries})
    return records


def _row(entry: AuditRecord) -> dict[str, Any]:
    return {attribute.columns[0].key: getattr(entry, attribute.key) for attribute in _COLUMNS}


def _as_loaded(session: Session | scoped_session[Any], entry: AuditRecord) -> None:
    """Put an inserted record in the session as if read back (changes to it are tracked)."""
    make_transient_to_detached(entry)
    # A record of a rolled-back transaction may still sit in the session under this id
    # (ids are given again after a rollback); the database holds this one now.
    stale = session.identity_map.get(identity_key(AuditRecord, entry.id))
    if stale is not None:
        session.expunge(stale)
    session.add(entry)


def last_change(target_type: str, target_id: object) -> AuditRecord | None:
    """The newest record of a change to one object; readings (``*viewed``) are not changes."""
    return db.session.scalars(
        select(AuditRecord)
        .where(
            AuditRecord.target_type == target_type,
            AuditRecord.target_id == str(target_id),
            ~AuditRecord.action.endswith("viewed"),
        )
        .order_by(AuditRecord.id.desc())
        .limit(1)
    ).first()


@dataclass(frozen=True)
class _PendingHead:
    head: Head
    administrative: bool


def _hold_head(info: dict[Any, Any], last: AuditRecord, actions: set[str]) -> None:
    """Note the transaction's newest record on its session; checkpointed only once committed."""
    earlier = info.get(_PENDING)
    administrative = bool(actions & ADMINISTRATIVE_ACTIONS) or (
        earlier is not None and earlier.administrative
    )
    info[_PENDING] = _PendingHead(Head(last.id, last.digest), administrative)


_listening = False


def install(session_class: type[Session]) -> None:
    """Once per process: hand each committed head to the application's checkpoint keeper.

    The chain lock is held until commit, so heads are committed in record order and a
    committed head vouches for every record before it.
    """
    global _listening
    if _listening:
        return

    def after_commit(session: Session) -> None:
        pending = session.info.pop(_PENDING, None)
        if pending is not None:
            keeper().committed(pending.head, administrative=pending.administrative)

    def after_rollback(session: Session) -> None:
        session.info.pop(_PENDING, None)

    event.listen(session_class, "after_commit", after_commit)
    event.listen(session_class, "after_rollback", after_rollback)
    _listening = True


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


def verify_chain(checkpoint: Head | None = None) -> tuple[int, BrokenLink | None]:
    """Walk the whole trail under the audit key and hold it against a checkpoint.

    Returns how many records were checked and the first that fails: a gap, a broken
    back-link, a digest not made with the key (an edited or re-chained record), a record the
    checkpoint names that no longer matches it, or one it vouches for that is gone.
    """
    key = audit_key()
    checkpointed = {checkpoint.record_id: checkpoint.digest} if checkpoint else {}
    previous = GENESIS
    expected_id = 1
    count = 0
    for entry in _in_order():
        count += 1
        if entry.id != expected_id:
            return count, BrokenLink(expected_id, "it is missing")
        if entry.previous_digest != previous:
            return count, BrokenLink(entry.id, "its back-link does not match the record before")
        if keyed_digest(key, entry) != entry.digest:
            return count, BrokenLink(entry.id, "its contents do not match its digest")
        if checkpointed.get(entry.id, entry.digest) != entry.digest:
            return count, BrokenLink(entry.id, "its digest is not the one checkpointed")
        previous = entry.digest
        expected_id += 1
    if checkpoint is not None and checkpoint.record_id >= expected_id:
        return count, BrokenLink(
            expected_id,
            f"it is missing: the checkpoint vouches for records up to {checkpoint.record_id}",
        )
    return count, None
