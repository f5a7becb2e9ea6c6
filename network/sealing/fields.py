"""Sealing fields with a data key, each ciphertext bound to its table, row and field."""

from __future__ import annotations

import json
from typing import Any

from network.crypto import open_sealed, record_aad, seal
from network.sealing import keystore


def seal_text(key_id: int, table: str, row_id: int, field: str, text: str) -> bytes:
    """Seal one field with a data key; a copy into another row or field will not open."""
    return seal(
        keystore.data_key(key_id),
        text.encode("utf-8"),
        record_aad(table, row_id, None, None, field),
    )


def open_text(key_id: int, table: str, row_id: int, field: str, sealed: bytes) -> str:
    if not sealed:
        return ""
    return open_sealed(
        keystore.data_key(key_id), sealed, record_aad(table, row_id, None, None, field)
    ).decode("utf-8")


def seal_json(key_id: int, table: str, row_id: int, field: str, value: Any) -> bytes:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return seal_text(key_id, table, row_id, field, text)


def open_json(key_id: int, table: str, row_id: int, field: str, sealed: bytes) -> Any:
    text = open_text(key_id, table, row_id, field, sealed)
    return json.loads(text) if text else None
