"""One-way digests of the secrets we hand out (sessions, tokens, codes): we store only these."""

from __future__ import annotations

import hashlib


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()
