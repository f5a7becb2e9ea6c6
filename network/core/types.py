"""Column types shared by the models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

# The largest number an Integer column holds on both databases (PostgreSQL's INTEGER; SQLite's
# is wider). Ids, sequence numbers and page numbers beyond it are refused at the edge, before a
# query, since the drivers would fail on them with an overflow instead of finding nothing.
INT_MAX = 2**31 - 1


def stored_int(raw: str) -> int:
    """A whole number an Integer column can hold; ValueError otherwise (so ``type=`` falls back)."""
    number = int(raw)
    if not -INT_MAX - 1 <= number <= INT_MAX:
        raise ValueError(f"{raw} is outside the range an Integer column holds")
    return number


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware UTC datetimes and always hands them back aware, on SQLite too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use core.clock")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
