"""Which errors are outages, and a Redis outage under the send limit logged once per episode."""

from __future__ import annotations

import errno
import logging
import sqlite3

import pytest
import redis.exceptions
from limits import RateLimitItem
from sqlalchemy import exc as sql

from network.auth.throttle import MemoryCounters, SendThrottle
from network.core import outages


def operational(driver_error: Exception) -> sql.OperationalError:
    return sql.OperationalError("SELECT 1", {}, driver_error)


class Unsettled(Exception):
    """A driver error carrying a SQLSTATE, as psycopg's do."""

    def __init__(self, sqlstate: str | None) -> None:
        super().__init__(f"sqlstate {sqlstate}")
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (operational(sqlite3.OperationalError("unable to open database file")), "database"),
        (operational(sqlite3.OperationalError("database is locked")), "database"),
        (operational(Unsettled(None)), "database"),  # refused before the server said anything
        (operational(Unsettled("57P01")), "database"),  # the server is shutting down
        (operational(Unsettled("53300")), "database"),  # too many connections
        (sql.TimeoutError("QueuePool limit reached"), "database"),
        (redis.exceptions.ConnectionError("Error 111 connecting"), "queue"),
        (OSError(errno.ENOSPC, "No space left on device"), "disk"),
        (OSError(errno.EDQUOT, "Disk quota exceeded"), "disk"),
        (operational(sqlite3.OperationalError("no such table: cases")), None),
        (operational(Unsettled("40P01")), None),  # a deadlock: one request's failure
        (operational(Unsettled("57014")), None),  # a statement cancelled by its timeout
        (sql.IntegrityError("INSERT", {}, sqlite3.IntegrityError("UNIQUE")), None),
        (OSError(errno.EACCES, "Permission denied"), None),
    ],
)
def test_outage_of_names_only_a_service_that_is_away(error: Exception, kind: str | None):
    assert outages.outage_of(error) == kind


def test_outage_of_looks_through_the_errors_that_wrap_one():
    wrapped = RuntimeError("counting failed")
    wrapped.__cause__ = redis.exceptions.ConnectionError("Error 111 connecting")
    assert outages.outage_of(wrapped) == outages.QUEUE


class RedisAway(MemoryCounters):
    """Counters whose Redis is unreachable until ``back`` is set."""

    back = False

    def hit(self, item: RateLimitItem, *identifiers: str) -> bool:
        if not self.back:
            raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379.")
        return super().hit(item, *identifiers)


def test_sends_during_a_redis_outage_log_it_once_and_its_end_once(
    caplog: pytest.LogCaptureFixture,
):
    counters = RedisAway()
    throttle = SendThrottle(counters, "10/minute")
    caplog.set_level(logging.INFO)

    for _ in range(3):
        throttle.spend(7)  # allowed: the database is the record
    counters.back = True
    throttle.spend(7)
    throttle.spend(7)

    lines = [r.getMessage() for r in caplog.records]
    assert len([line for line in lines if line.startswith("outage began: queue")]) == 1
    assert len([line for line in lines if line.startswith("outage ended: queue")]) == 1
    assert not [line for line in lines if "message send limit unavailable" in line]
