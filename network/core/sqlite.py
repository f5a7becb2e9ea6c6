"""SQLite settings for the embedded default: write-ahead log and a busy timeout."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event


def tune(engine: Engine) -> None:
    """WAL lets readers run beside the one writer; synchronous stays FULL so an ack is durable."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()


def refresh_statistics(engine: Engine) -> None:
    """Give SQLite's planner statistics, which it never gathers by itself.

    Without them it guesses which index to use, and at full size read one case page four
    times slower. A sample of each index (``analysis_limit``) takes milliseconds even for a
    million messages; a server runs this at start. PostgreSQL's autovacuum does it there.
    """
    if engine.dialect.name != "sqlite":
        return
    with engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA analysis_limit=1000")
        connection.exec_driver_sql("ANALYZE")
