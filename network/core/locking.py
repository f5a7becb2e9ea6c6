"""Read-decide-write under a lock: one of two concurrent steps on a record wins, never both."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import false, inspect, update
from sqlalchemy.orm import Session, scoped_session

T = TypeVar("T")


def hold_write_lock(session: Session | scoped_session[Any], model: type[Any]) -> None:
    """On SQLite, take the database's write lock now, before the reads a decision rests on.

    SQLite has no row locks, and its driver opens a transaction only at the first write,
    so a read would see a state another writer may change before ours commits. An update
    that matches nothing takes the lock (or waits for it) as ``BEGIN IMMEDIATE`` would.
    PostgreSQL needs nothing here: the row itself is locked by ``load_for_change``.
    A transaction that has already written holds the lock until it ends (the driver begins
    one only at a write), so it needs no second statement: a message's audit record, added
    after the message, costs no extra round trip.
    """
    if session.get_bind().dialect.name != "sqlite":
        return
    if session.connection().connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
        return
    key = inspect(model).primary_key[0]
    session.execute(
        update(model)
        .where(false())
        .values({key.name: key})
        .execution_options(synchronize_session=False)
    )


def load_for_change(session: Session | scoped_session[Any], model: type[T], ident: Any) -> T | None:
    """Load a record to decide on it and change it; no other writer may do so until commit.

    PostgreSQL locks the row (``SELECT ... FOR UPDATE``), SQLite the database. The row is
    read afresh rather than taken from the session, so the decision sees the last commit.
    The lock names the record's table: PostgreSQL refuses to lock the outer join a
    relationship loaded with it (``lazy="joined"``) adds, and needs no lock on that row.
    """
    hold_write_lock(session, model)
    return session.get(model, ident, with_for_update={"of": model}, populate_existing=True)
