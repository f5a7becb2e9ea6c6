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
