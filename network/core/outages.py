"""Outages of what ARNet depends on, as episodes: one line when one begins, one when it ends.

A database, a queue or a disk that is away fails every request until it is back; logging
each failure would bury the one fact an operator needs, when it began and when it ended.
Each kind is tracked per process: the first failure opens the episode (logged, counted in
``arnet_outage_episodes_total``, ``arnet_outage_active`` set to 1), later failures are
quiet, and the next success of the same kind closes it. Damage found by an integrity check
stays until the process restarts: no later read proves it repaired. No Flask here.
"""

from __future__ import annotations

import errno
import logging
import sqlite3
import threading
import time

import redis.exceptions
from sqlalchemy import Engine, event
from sqlalchemy import exc as sql

from network.core import metrics

DATABASE = "database"
QUEUE = "queue"  # Redis: the Socket.IO message queue and the shared throttle counters
DISK = "disk"
INTEGRITY = "integrity"
KINDS = (DATABASE, QUEUE, DISK, INTEGRITY)

# A full disk or a spent quota: retrying will not help until an operator frees space.
NO_SPACE = frozenset({errno.ENOSPC, errno.EDQUOT})

# What a request cannot be served without: errors that may mean the database or Redis is away
# (``outage_of`` tells which of them does).
SERVICE_ERRORS: tuple[type[Exception], ...] = (
    sql.OperationalError,
    sql.DisconnectionError,
    sql.TimeoutError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)

# SQLite's words for a file it cannot use now: held by another writer, missing, or full.
_SQLITE_AWAY = (
    "database is locked",
    "database table is locked",
    "unable to open database",
    "disk i/o error",
    "database or disk is full",
)
# PostgreSQL's SQLSTATE classes for a server that cannot serve: 08 connection exception,
# 53 insufficient resources (too many connections, disk full), 57 operator intervention
# (shutting down, starting up), save 57014, a statement cancelled by its own timeout.
_PG_AWAY_CLASSES = frozenset({"08", "53", "57"})
_PG_QUERY_CANCELED = "57014"

log = logging.getLogger("network.outages")

_lock = threading.Lock()
_began: dict[str, float] = {}  # kind -> monotonic time its episode began


def outage_of(error: BaseException) -> str | None:
    """The kind of outage an error shows (its causes included), or None for any other error.

    Only errors that say the service is away count: a database refusing connections, a
    connection lost or a pool exhausted, Redis unreachable, a disk without space. An
    integrity violation or a bad statement is a bug or a conflict, not an outage.
    """
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, sql.DisconnectionError | sql.TimeoutError):
            return DATABASE
        if isinstance(current, sql.DBAPIError) and _database_away(current):
            return DATABASE
        if isinstance(current, redis.exceptions.ConnectionError | redis.exceptions.TimeoutError):
            return QUEUE
        if isinstance(current, OSError) and current.errno in NO_SPACE:
            return DISK
        current = current.__cause__ or current.__context__
    return None


def _database_away(error: sql.DBAPIError) -> bool:
    """Whether the driver says the database cannot be reached or cannot serve now.

    A deadlock, a serialization failure, a cancelled statement or (on SQLite, where most
    errors are "operational") a missing table is a failure of one request, not an outage.
    """
    if error.connection_invalidated:
        return True
    if not isinstance(error, sql.OperationalError):
        return False
    if isinstance(error.orig, sqlite3.Error):
        text = str(error.orig).lower()
        return any(words in text for words in _SQLITE_AWAY)
    state = getattr(error.orig, "sqlstate", None)
    # No SQLSTATE: the server never answered (refused, timed out, gone mid-connect).
    return state is None or (state[:2] in _PG_AWAY_CLASSES and state != _PG_QUERY_CANCELED)


def began(kind: str, detail: str) -> None:
    """A failure of ``kind``: the first one opens an episode (logged once, counted)."""
    with _lock:
        if kind in _began:
            return
        _began[kind] = time.monotonic()
    metrics.OUTAGE_EPISODES.labels(kind=kind).inc()
    metrics.OUTAGE_ACTIVE.labels(kind=kind).set(1)
    log.error("outage began: %s (%s)", kind, detail)


def ended(kind: str) -> None:
    """A success of ``kind``: closes its episode, if one is open; cheap when none is."""
    if kind not in _began:  # the common case, read without the lock
        return
    with _lock:
        start = _began.pop(kind, None)
    if start is None:
        return
    metrics.OUTAGE_ACTIVE.labels(kind=kind).set(0)
    log.warning("outage ended: %s, after %.1f s", kind, time.monotonic() - start)


def active(kind: str) -> bool:
    """Whether an episode of ``kind`` is open in this process."""
    return kind in _began


def watch_database(engine: Engine) -> None:
    """Close a database outage at the first statement that runs again."""
    if not event.contains(engine, "after_cursor_execute", _database_answered):
        event.listen(engine, "after_cursor_execute", _database_answered)


def _database_answered(*_arguments: object) -> None:
    ended(DATABASE)


def describe(error: BaseException) -> str:
    """The first line of an error, for the episode's log line (never a statement's values)."""
    text = str(getattr(error, "orig", None) or error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__
