"""Sealed values that fail their integrity check: flagged when read, named by ``verify-integrity``.

A flipped bit in one stored message must not hide the rest of the conversation:
``Opened`` reads a record's sealed fields for display, logs a failure with its
table, row and field (never content) and flags the record ``integrity == FAILED``;
everything else is still served.

``verify`` opens every sealed value of every table once, walking the declarations
of ``sealing/fields.py``: each says where its rows' data key comes from and which
place its ciphertext is bound to, the same the models use, so no sealed column
can be left out of the walk.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import Row, select

from network.core import metrics, outages
from network.crypto import CryptoError, open_sealed
from network.crypto.errors import DecryptionFailed, UnsupportedScheme
from network.extensions import Model, db
from network.sealing import keystore
from network.sealing.fields import Sealed, declared
from network.sealing.models import DataKey

OK = "ok"
FAILED = "failed"
INTEGRITY_STATES = (OK, FAILED)

# What a damaged value raises: authentication fails, the scheme byte is unknown, or (for a
# value that authenticates but was written wrongly) its text or JSON does not decode.
UNREADABLE = (DecryptionFailed, UnsupportedScheme, ValueError)

log = logging.getLogger("network.integrity")

M = TypeVar("M", bound=Model)
T = TypeVar("T")

BATCH = 500


class Opened(Generic[M]):
    """A record's sealed fields, opened for display: one that fails reads None and flags it.

    ``opened[Case.title]`` is the title, or None (logged) when it fails its check;
    ``integrity`` says ``failed`` once any field read so far has failed.
    """

    def __init__(self, record: M) -> None:
        self.record = record
        self.failed: list[str] = []

    def __getitem__(self, sealed: Sealed[T]) -> T | None:
        try:
            return sealed.read(self.record)
        except UNREADABLE as error:
            log.warning(
                "sealed field failed its integrity check: table=%s id=%s field=%s (%s)",
                sealed.table,
                getattr(self.record, "id", None),
                sealed.name,
                type(error).__name__,
            )
            self.failed.append(sealed.name)
            metrics.INTEGRITY_FAILURES.labels(table=sealed.table).inc()
            outages.began(
                outages.INTEGRITY,
                f"a sealed value in {sealed.table} failed its check; run verify-integrity",
            )
            return None

    @property
    def integrity(self) -> str:
        """``ok`` when every field read opened, ``failed`` when any did not."""
        return FAILED if self.failed else OK


# --- verify-integrity ------------------------------------------------------------------------


@dataclass(frozen=True)
class Failure:
    """One sealed value that did not open: where it is, never what it says."""

    table: str
    row_id: int
    field: str
    reason: str

    def line(self) -> str:
        return f"{self.table} {self.row_id} {self.field}: {self.reason}"


@dataclass
class Report:
    """How many sealed values (and files) opened, and each one that did not."""

    opened: int = 0
    failures: list[Failure] = field(default_factory=list)


class DataKeys:
    """Data keys unwrapped once each; one that does not unwrap is reported once, as itself."""

    def __init__(self, report: Report) -> None:
        self._report = report
        self._opened: dict[int, bytes | None] = {}

    def get(self, key_id: int | None) -> bytes | None:
        if key_id is None:
            return None
        if key_id not in self._opened:
            self._opened[key_id] = self._unwrap(key_id)
        return self._opened[key_id]

    def _unwrap(self, key_id: int) -> bytes | None:
        row = db.session.get(DataKey, key_id)
        if row is None:
            self._report.failures.append(Failure("data_keys", key_id, "wrapped", "missing"))
            return None
        try:
            return keystore.unwrap(row)
        except CryptoError as error:
            self._report.failures.append(Failure("data_keys", key_id, "wrapped", reason(error)))
            return None


# Checks what lies outside the database (attachment files), with the same data keys.
FileCheck = Callable[[DataKeys, Report], None]


def reason(error: Exception) -> str:
    """Why a value did not open, in words; never its content."""
    return {
        "DecryptionFailed": "does not open (altered, moved, or the wrong key)",
        "UnsupportedScheme": "is not sealed with a known scheme",
        "UnknownKeyVersion": "names a key version the keyring does not hold",
        "UnicodeDecodeError": "opens, but is not UTF-8 text",
    }.get(type(error).__name__, type(error).__name__)


def _rows(sealed: Sealed[Any]) -> Iterator[Row[Any]]:
    """The rows holding a value, in id order, a batch at a time."""
    model: Any = sealed.model
    column = getattr(model, sealed.column)
    key_id, joins = sealed.key.expression(model)
    place = sealed.place.columns
    places = [getattr(model, each).label(f"place_{n}") for n, each in enumerate(place)]
    query = select(model.id, column.label("sealed"), key_id.label("key_id"), *places)
    query = query.select_from(model)
    for target, onclause in joins:
        query = query.join(target, onclause)
    query = query.where(column.is_not(None)).order_by(model.id)
    after = 0
    while True:
        batch = db.session.execute(query.where(model.id > after).limit(BATCH)).all()
        if not batch:
            return
        yield from batch
        after = batch[-1].id


def _check(sealed: Sealed[Any], data_keys: DataKeys, report: Report) -> None:
    for row in _rows(sealed):
        if not row.sealed:
            continue  # an empty value holds nothing (e.g. a field never filled)
        key = data_keys.get(row.key_id)
        if key is None:
            why = "its data key does not open" if row.key_id else "has no data key"
            report.failures.append(Failure(sealed.table, row.id, sealed.name, why))
            continue
        place = sealed.place.build(*row[3:])  # the place columns follow id, value and key
        try:
            open_sealed(key, row.sealed, place).decode("utf-8")
        except (CryptoError, UnicodeDecodeError) as error:
            report.failures.append(Failure(sealed.table, row.id, sealed.name, reason(error)))
            continue
        report.opened += 1


def verify(files: FileCheck | None = None) -> Report:
    """Open every declared sealed value (and check the files, given how); name each failure."""
    report = Report()
    data_keys = DataKeys(report)
    for sealed in declared():
        _check(sealed, data_keys, report)
    if files is not None:
        files(data_keys, report)
    return report
