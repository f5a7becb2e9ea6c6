"""Slicing long lists of keys so that one IN (...) query stays within a database's limits."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

# Bound parameters per statement: well under SQLite's limit (32,766; 999 before 3.32).
BATCH_SIZE = 500


def batches(items: Sequence[T], size: int = BATCH_SIZE) -> Iterator[Sequence[T]]:
    """Consecutive slices of at most ``size`` items."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
