"""AES-256-GCM primitives shared by the data-key, record and stream modules."""

from __future__ import annotations

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from network.crypto.errors import InvalidKeyLength

KEY_SIZE = 32
NONCE_SIZE = 12
TAG_SIZE = 16


def aes256gcm(key: bytes) -> AESGCM:
    """Build a cipher, refusing 128- and 192-bit keys that AESGCM would accept."""
    if len(key) != KEY_SIZE:
        raise InvalidKeyLength(f"a key must be {KEY_SIZE} bytes, not {len(key)}")
    return AESGCM(key)
