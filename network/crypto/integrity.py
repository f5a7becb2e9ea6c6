"""Opening a record's sealed fields for display: one that fails its check is flagged, not fatal.

A flipped bit in one stored message must not hide the rest of the conversation.
The failure is logged with its table, row and field (never content) and the
record carries ``integrity == FAILED``; everything else is still served.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from network.crypto.errors import DecryptionFailed, UnsupportedScheme

OK = "ok"
FAILED = "failed"
INTEGRITY_STATES = (OK, FAILED)

# What a damaged value raises: authentication fails, the scheme byte is unknown, or (for a
# value that authenticates but was written wrongly) its text or JSON does not decode.
UNREADABLE = (DecryptionFailed, UnsupportedScheme, ValueError)

log = logging.getLogger("network.integrity")

T = TypeVar("T")


class SealedRecord:
    """Opens the sealed fields of one stored record; a field that fails comes back as None."""

    def __init__(self, table: str, row_id: int | str) -> None:
        self.table = table
        self.row_id = row_id
        self.failed: list[str] = []

    def open(self, field: str, opening: Callable[[], T]) -> T | None:
        """The opened value, or None (logged, and the record flagged) when it fails its check."""
        try:
            return opening()
        except UNREADABLE as error:
            log.warning(
                "sealed field failed its integrity check: table=%s id=%s field=%s (%s)",
                self.table,
                self.row_id,
                field,
                type(error).__name__,
            )
            self.failed.append(field)
            return None

    @property
    def integrity(self) -> str:
        """``ok`` when every field opened, ``failed`` when any did not."""
        return FAILED if self.failed else OK
