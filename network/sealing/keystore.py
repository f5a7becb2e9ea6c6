"""Every data key (cases, channels, disclosures, accounts): made, unwrapped, re-wrapped.

The keyring reaches this module through a provider installed at start-up
(``provide_keyring``), so the services keep their plain signatures and never
import Flask. A data key never changes once made (rotation only re-wraps it), so
each is unwrapped once per process (``_Opened``), and a send neither reads its
channel's key row nor unwraps it. Only keys read committed are kept: a key made
in a transaction that rolls back may see its id given to another key, so a
transaction keeps its own new keys to itself. The process keeps them for one
keyring and forgets them all when it changes (a rotation seen, a reload).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import cast

from sqlalchemy import event, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, SessionTransaction

from network.core.locking import hold_write_lock
from network.crypto import Keyring, UnknownKeyVersion, new_data_key, unwrap_data_key, wrap_data_key
from network.extensions import db
from network.sealing.models import DataKey

_CONTEXT_PREFIX = b"data_keys:"
# Where a session keeps the data keys unwrapped in its current transaction, by id.
_UNWRAPPED = "network.sealing.unwrapped"
# Where it notes the ids of the data keys its transaction made, not committed yet.
_MADE = "network.sealing.made"
# Random labels are hexadecimal, so this one can never be drawn for another key.
ACCOUNTS_LABEL = "accounts"

# Data keys a process keeps unwrapped: 32 bytes each, far more than its busy channels.
PROCESS_KEYS = 4096

_provider: Callable[[], Keyring] | None = None
_reloader: Callable[[], Keyring] | None = None


class _Opened:
    """Committed data keys, unwrapped, by id, for one keyring; the least recently used go first.

    Data keys are never deleted, so a committed key's id names it for good.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._keyring: Keyring | None = None
        self._keys: OrderedDict[int, bytes] = OrderedDict()

    def get(self, keyring: Keyring, key_id: int) -> bytes | None:
        with self._lock:
            self._follow(keyring)
            key = self._keys.get(key_id)
            if key is not None:
                self._keys.move_to_end(key_id)
            return key

    def keep(self, keyring: Keyring, key_id: int, key: bytes) -> None:
        with self._lock:
            self._follow(keyring)
            self._keys[key_id] = key
            self._keys.move_to_end(key_id)
            if len(self._keys) > self._size:
                self._keys.popitem(last=False)

    def forget(self) -> None:
        with self._lock:
            self._follow(None)

    def _follow(self, keyring: Keyring | None) -> None:
        """Another keyring than the one the keys were kept under: forget them all."""
        if keyring is not self._keyring:
            self._keyring = keyring
            self._keys = OrderedDict()


_opened = _Opened(PROCESS_KEYS)


class KeyringUnavailable(RuntimeError):
    """No keyring provider was installed; the application wiring is incomplete."""


def provide_keyring(
    provider: Callable[[], Keyring], reloader: Callable[[], Keyring] | None = None
) -> None:
    """Install where the keyring comes from, and how to re-read it after a rotation elsewhere."""
    global _provider, _reloader
    _provider = provider
    _reloader = reloader
    _opened.forget()


def current_keyring() -> Keyring:
    if _provider is None:
        raise KeyringUnavailable("no keyring provider is installed")
    return _provider()


# Domain separation: a match key is never the audit chain's key, nor another State's.
_MATCH_CONTEXT = b"match_keys:v1:"


def match_key(state_code: str) -> bytes:
    """The secret keying one State's match digests (``recovery.matching``).

    Derived from the keyring's audit secret, which KEK rotation leaves alone, so digests stay
    comparable across rotations; one per State, so two States' digests never compare.
    """
    context = _MATCH_CONTEXT + state_code.encode("ascii")
    return hmac.new(current_keyring().audit_key, context, hashlib.sha256).digest()


def _context(row: DataKey) -> bytes:
    return _CONTEXT_PREFIX + row.label.encode("ascii")


def _unwrapped() -> dict[int, bytes]:
    return cast(dict[int, bytes], db.session.info.setdefault(_UNWRAPPED, {}))


@event.listens_for(Session, "after_transaction_end")
def _forget_unwrapped(session: Session, transaction: SessionTransaction) -> None:
    """A transaction's keys go with it; a savepoint's too (a key made in it may be undone)."""
    if transaction.parent is None or transaction.nested:
        session.info.pop(_UNWRAPPED, None)
    if transaction.parent is None:
        session.info.pop(_MADE, None)


def _keep(keyring: Keyring, row: DataKey, key: bytes) -> None:
    """Keep a key read from its row for the process, unless this transaction made the row.

    A row the transaction did not write is one some transaction committed.
    """
    if row.id not in db.session.info.get(_MADE, ()):
        _opened.keep(keyring, row.id, key)


def create_data_key(now: datetime, label: str | None = None) -> DataKey:
    """Make, wrap and store a fresh data key; sealing with it needs no unwrapping."""
    key = new_data_key()
    row = DataKey(label=label or secrets.token_hex(16), kek_version=0, wrapped=b"", created_at=now)
    row.kek_version, row.wrapped = wrap_data_key(current_keyring(), key, _context(row))
    db.session.add(row)
    db.session.flush()
    db.session.info.setdefault(_MADE, set()).add(row.id)
    _unwrapped()[row.id] = key
    return row


def accounts_key_id(now: datetime) -> int:
    """The one data key that seals account secrets (TOTP seeds); made on first use.

    Its label is fixed, so concurrent first uses agree on one row: the loser of
    the race rolls back its savepoint and takes the winner's.
    """
    found = db.session.scalar(select(DataKey.id).where(DataKey.label == ACCOUNTS_LABEL))
    if found is not None:
        return found
    try:
        with db.session.begin_nested():
            row = create_data_key(now, ACCOUNTS_LABEL)
        return row.id
    except IntegrityError:
        return db.session.execute(
            select(DataKey.id).where(DataKey.label == ACCOUNTS_LABEL)
        ).scalar_one()


def unwrap(row: DataKey) -> bytes:
    """The data key of a row; re-reads the keyring once if another process rotated it."""
    try:
        return unwrap_data_key(current_keyring(), row.kek_version, row.wrapped, _context(row))
    except UnknownKeyVersion:
        if _reloader is None:
            raise
        return unwrap_data_key(_reloader(), row.kek_version, row.wrapped, _context(row))


def data_key(key_id: int) -> bytes:
    """A data key by id, unwrapped once per process (for sealing/fields.py, not services)."""
    unwrapped = _unwrapped()
    if key_id not in unwrapped:
        keyring = current_keyring()
        key = _opened.get(keyring, key_id)
        if key is None:
            row = db.session.get(DataKey, key_id)
            if row is None:
                raise LookupError(f"data key {key_id} is missing")
            key = unwrap(row)
            _keep(keyring, row, key)
        unwrapped[key_id] = key
    return unwrapped[key_id]


def unwrap_ahead(key_ids: Iterable[int | None]) -> None:
    """Unwrap the keys a page of records will need with one query, not one per record."""
    unwrapped = _unwrapped()
    wanted = {each for each in key_ids if each is not None and each not in unwrapped}
    if not wanted:
        return
    keyring = current_keyring()
    for key_id in list(wanted):
        key = _opened.get(keyring, key_id)
        if key is not None:
            unwrapped[key_id] = key
            wanted.discard(key_id)
    if wanted:
        for row in db.session.scalars(select(DataKey).where(DataKey.id.in_(wanted))):
            unwrapped[row.id] = unwrap(row)
            _keep(keyring, row, unwrapped[row.id])


def rewrap_batch(keyring: Keyring, *, batch_size: int, now: datetime) -> int:
    """Move up to ``batch_size`` data keys to the keyring's current KEK; returns how many.

    Only ``data_keys`` rows change: messages, files and case fields stay as they
    are, since the data keys that sealed them do not change. Rows already under
    the current version are skipped, so an interrupted rotation simply resumes.
    The rows are locked before they are read (on SQLite, the database), so no key
    is re-wrapped from a state another batch has just changed.
    """
    hold_write_lock(db.session, DataKey)
    rows = db.session.scalars(
        select(DataKey)
        .where(DataKey.kek_version != keyring.current_version)
        .order_by(DataKey.id)
        .limit(batch_size)
        .with_for_update()
    ).all()
    for row in rows:
        key = unwrap_data_key(keyring, row.kek_version, row.wrapped, _context(row))
        row.kek_version, row.wrapped = wrap_data_key(keyring, key, _context(row))
        row.rewrapped_at = now
    db.session.flush()
    return len(rows)


def keys_behind(keyring: Keyring) -> int:
    """How many data keys are still wrapped by an older KEK."""
    return (
        db.session.scalar(
            select(func.count(DataKey.id)).where(DataKey.kek_version != keyring.current_version)
        )
        or 0
    )


def versions_in_use(keyring: Keyring) -> dict[int, int]:
    """How many data keys each KEK version other than the current one still wraps."""
    rows = db.session.execute(
        select(DataKey.kek_version, func.count(DataKey.id))
        .where(DataKey.kek_version != keyring.current_version)
        .group_by(DataKey.kek_version)
        .order_by(DataKey.kek_version)
    ).all()
    return {version: count for version, count in rows}


def hold_new_data_keys() -> None:
    """Wait for every transaction writing data keys to end, and keep new ones out until commit.

    A process that wrapped a key with an old KEK version just before it saw a
    rotation has then either committed (and the caller counts its key) or waits
    for the caller's commit; so a count of keys behind, taken after this, is final.
    Call it first in a transaction, so that its reads come after the wait.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("LOCK TABLE data_keys IN SHARE ROW EXCLUSIVE MODE"))
    hold_write_lock(db.session, DataKey)  # SQLite has one writer at a time: wait to be it
