"""Sealed fields, declared once on their model: which column, which data key, which place.

A model declares each sealed column beside it (``title = sealed_text(OWN_KEY)`` for
``title_sealed``), and services read and assign ``case.title`` as a plain
attribute: the value is sealed with the data key the declaration names, bound to
its place, by default (table, row id, field), so that a copy into another row or
field does not open. A place that needs the row id is sealed right after the
row's INSERT. ``declared()`` lists every declaration, for ``verify-integrity``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar, cast, overload

from sqlalchemy import ColumnElement, ScalarSelect, Table, event, inspect, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper, QueryableAttribute, Session, UOWTransaction
from sqlalchemy.orm.attributes import set_committed_value

from network.core import clock
from network.crypto import open_sealed, record_aad, seal
from network.extensions import Model, db
from network.sealing import keystore
from network.sealing.models import DataKey

T = TypeVar("T")
# A column of the row, of a row it hangs off, or a scalar subquery (the accounts key).
KeyExpression = ColumnElement[Any] | QueryableAttribute[Any] | ScalarSelect[Any]
Join = tuple[type[Model], ColumnElement[bool]]


class SealingIncomplete(RuntimeError):
    """A sealed value cannot be sealed yet: its data key or its place is not known."""


# --- which data key --------------------------------------------------------------------------


@dataclass(frozen=True)
class DataKeyOf:
    """The data key a column names, on the row itself or on a row it hangs off.

    ``hops`` lead from the row to the holder of that column, each a foreign key and
    the model it points at: a stage change reaches its case's key through ``case_id``.
    """

    column: str = "data_key_id"
    hops: tuple[tuple[str, type[Model]], ...] = ()

    def via(self, foreign_key: str, model: type[Model]) -> DataKeyOf:
        """The same key, reached from a row one step further away."""
        return DataKeyOf(self.column, ((foreign_key, model), *self.hops))

    def key_id(self, row: Model) -> int | None:
        """The data key's id, or None while a foreign key on the way is not set."""
        holder: Model | None = row
        for foreign_key, model in self.hops:
            reference = getattr(holder, foreign_key)
            if reference is None:
                return None
            holder = db.session.get(model, reference)
            if holder is None:
                raise LookupError(f"{model.__tablename__} {reference} is missing")
        found = getattr(holder, self.column)
        return None if found is None else int(found)

    def expression(self, model: type[Model]) -> tuple[KeyExpression, tuple[Join, ...]]:
        """The key id as a column of a scan over ``model``, and the joins it needs."""
        joins: list[Join] = []
        holder = model
        for foreign_key, parent in self.hops:
            joins.append((parent, inspect(parent).primary_key[0] == getattr(holder, foreign_key)))
            holder = parent
        return getattr(holder, self.column), tuple(joins)


class AccountsKey:
    """The one data key of account secrets (TOTP seeds), made on first use."""

    def key_id(self, row: Model) -> int | None:
        return keystore.accounts_key_id(clock.now())

    def expression(self, model: type[Model]) -> tuple[KeyExpression, tuple[Join, ...]]:
        label = DataKey.label == keystore.ACCOUNTS_LABEL
        return select(DataKey.id).where(label).scalar_subquery(), ()


OWN_KEY = DataKeyOf()
ACCOUNTS_KEY = AccountsKey()
KeySource = DataKeyOf | AccountsKey


# --- which place -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where a value is bound (its associated data), made from these columns of its row."""

    columns: tuple[str, ...]
    build: Callable[..., bytes]

    def known(self, row: Model) -> bool:
        """Whether every column the place is made from holds a value yet (an id after INSERT)."""
        return all(getattr(row, each) is not None for each in self.columns)

    def of(self, row: Model) -> bytes:
        return self.build(*(getattr(row, each) for each in self.columns))


def _row_place(table: str, field: str, row_id: int) -> bytes:
    return record_aad(table, row_id, None, None, field)


# --- the declaration -------------------------------------------------------------------------


@dataclass
class FieldValue:
    """A field's plaintext and the stored value it belongs to; ``sealed`` None: not sealed yet."""

    text: str
    sealed: bytes | None
    key: bytes | None = None


_DECLARED: list[Sealed[Any]] = []
_STATE = "_sealed_values"


class Sealed(Generic[T]):
    """One sealed column of a model, read and assigned as a plain attribute."""

    def __init__(
        self,
        key: KeySource,
        encode: Callable[[Any], str],
        decode: Callable[[str | None], T],
        place: Place | None = None,
    ) -> None:
        self.key = key
        self._encode = encode
        self._decode = decode
        self._place = place

    def __set_name__(self, owner: type[Model], name: str) -> None:
        self.model = owner
        self.name = name
        self.column = f"{name}_sealed"
        if self.column not in owner.__dict__:
            raise TypeError(f"{owner.__name__}.{name} is declared sealed without a {self.column}")
        self.table = str(owner.__tablename__)
        self.place = self._place or Place(("id",), partial(_row_place, self.table, name))
        _DECLARED.append(self)

    @overload
    def __get__(self, row: None, owner: type[Model]) -> Sealed[T]: ...

    @overload
    def __get__(self, row: Model, owner: type[Model]) -> T: ...

    def __get__(self, row: Model | None, owner: type[Model]) -> Sealed[T] | T:
        if row is None:
            return self
        return self.read(row)

    def __set__(self, row: Model, value: T) -> None:
        values = _values(row)
        if value is None:
            values.pop(self.name, None)
            setattr(row, self.column, None)
            return
        pending = FieldValue(self._encode(value), None, self._key_now(row))
        values[self.name] = pending
        if not self.seal_pending(row, pending):
            setattr(row, self.column, b"")  # stands in until sealed, at the flush

    # -- reading

    def read(self, row: Model) -> T:
        """The value, opened; raises if it fails its integrity check (see integrity.Opened)."""
        return self._decode(self.text(row))

    def text(self, row: Model) -> str | None:
        """The stored text, opened (or as assigned, before it is sealed)."""
        stored: bytes | None = getattr(row, self.column)
        known = _values(row).get(self.name)
        if known is not None and known.sealed == (None if stored == b"" else stored):
            return known.text  # assigned and not sealed yet (the column holds b""), or opened
        if not stored:
            return None if stored is None else ""
        text = open_sealed(self.key_of(row), stored, self.place.of(row)).decode("utf-8")
        _values(row)[self.name] = FieldValue(text, stored)
        return text

    def unwrap_keys(self, rows: Iterable[Model]) -> None:
        """Make ready, in one query, the keys that reading this field of ``rows`` needs."""
        keystore.unwrap_ahead(self.key.key_id(row) for row in rows)

    # -- sealing

    def _key_now(self, row: Model) -> bytes | None:
        key_id = self.key.key_id(row)
        return None if key_id is None else keystore.data_key(key_id)

    def key_of(self, row: Model) -> bytes:
        """The data key of the row's value; the row must name it (or the row it hangs off)."""
        key = self._key_now(row)
        if key is None:
            raise SealingIncomplete(f"{self.table}.{self.name} names no data key")
        return key

    def ciphertext(self, row: Model, pending: FieldValue) -> bytes:
        """Seal an assigned value with its key, bound to its place (both must be known)."""
        if pending.key is None or not self.place.known(row):
            raise SealingIncomplete(f"{self.table}.{self.name} has no data key or place yet")
        pending.sealed = seal(pending.key, pending.text.encode("utf-8"), self.place.of(row))
        return pending.sealed

    def seal_pending(self, row: Model, pending: FieldValue) -> bool:
        """Seal an assigned value once its key and place are known; False while they are not."""
        if pending.key is None or not self.place.known(row):
            return False
        setattr(row, self.column, self.ciphertext(row, pending))
        return True


def _values(row: Model) -> dict[str, FieldValue]:
    return cast(dict[str, FieldValue], row.__dict__.setdefault(_STATE, {}))


def _pending(row: Model) -> Iterator[tuple[Sealed[Any], FieldValue]]:
    for name, value in list(row.__dict__.get(_STATE, {}).items()):
        if value.sealed is None:
            yield getattr(type(row), name), value


def declared() -> tuple[Sealed[Any], ...]:
    """Every sealed field of every model imported so far (``network.models`` imports them all)."""
    return tuple(_DECLARED)


# --- the two kinds of values -------------------------------------------------------------------


def _same(text: str) -> str:
    return text


def _text(text: str | None) -> str:
    return text or ""


def _optional_text(text: str | None) -> str | None:
    return text


def _json_text(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _json_value(text: str | None) -> dict[str, Any]:
    return dict(json.loads(text)) if text else {}


def sealed_text(key: KeySource, place: Place | None = None) -> Sealed[str]:
    """Text; a column that holds nothing reads as the empty text."""
    return Sealed(key, _same, _text, place)


def sealed_optional_text(key: KeySource) -> Sealed[str | None]:
    """Text that may be absent (no answer yet, no seed): a column that holds nothing reads None."""
    return Sealed(key, _same, _optional_text)


def sealed_json(key: KeySource) -> Sealed[dict[str, Any]]:
    """A JSON object, sealed as its canonical text (sorted keys, no spaces)."""
    return Sealed(key, _json_text, _json_value)


# --- files -----------------------------------------------------------------------------------


class SealedFile:
    """A file sealed outside the database, its data key and place declared like a field's."""

    def __init__(self, key: KeySource, place: Place) -> None:
        self.key = key
        self.place = place

    def sealing(self, row: Model) -> tuple[bytes, bytes]:
        """The data key and the associated data a row's file is sealed with."""
        key_id = self.key.key_id(row)
        if key_id is None:
            raise SealingIncomplete("the file names no data key")
        return keystore.data_key(key_id), self.place.of(row)


# --- at the flush ----------------------------------------------------------------------------


@event.listens_for(Session, "before_flush")
def _seal_before_flush(session: Session, _flush: UOWTransaction, _instances: object) -> None:
    """Seal what was assigned before its key or place was known; keys are looked up here.

    A new row's value bound to its id waits for the INSERT; any other must seal now.
    """
    for row in session.new:
        for field, pending in _pending(row):
            pending.key = pending.key or field.key_of(row)
            field.seal_pending(row, pending)
    for row in session.dirty:
        for field, pending in _pending(row):
            pending.key = pending.key or field.key_of(row)
            setattr(row, field.column, field.ciphertext(row, pending))


@event.listens_for(Mapper, "after_insert")
def _seal_after_insert(mapper: Mapper[Any], connection: Connection, row: Model) -> None:
    """Seal the values bound to the row id the INSERT just gave, with one UPDATE of the row."""
    sealed = {field.column: field.ciphertext(row, pending) for field, pending in _pending(row)}
    if not sealed:
        return
    table = cast(Table, mapper.local_table)  # a model of one table, not a join
    (row_id,) = mapper.primary_key_from_instance(row)
    connection.execute(update(table).where(table.c.id == row_id).values(sealed))
    for column, value in sealed.items():
        set_committed_value(row, column, value)
