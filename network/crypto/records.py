"""AES-256-GCM for database fields, each ciphertext bound to its row and field."""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag

from network.crypto._aead import NONCE_SIZE, TAG_SIZE, aes256gcm
from network.crypto.errors import DecryptionFailed, UnsupportedScheme

SCHEME_HUB_V1 = "hub-aes256gcm-v1"
# A later "sealed" scheme (keys held by members' browsers) gets its own id here.
_SCHEME_IDS = {0x01: SCHEME_HUB_V1}
_HUB_V1_ID = b"\x01"
_AAD_LABEL = b"arnet:record:v1"


def record_aad(
    table: str,
    row_id: int | str,
    channel_id: int | None = None,
    seq: int | None = None,
    field: str = "",
) -> bytes:
    """Encode a ciphertext's place so a copy in another row or field fails to open.

    Every part is length-prefixed, so no two different places share an
    encoding; an absent channel or seq encodes as empty, never as "0".
    """
    parts = (
        _AAD_LABEL,
        table.encode("utf-8"),
        str(row_id).encode("utf-8"),
        b"" if channel_id is None else str(channel_id).encode("ascii"),
        b"" if seq is None else str(seq).encode("ascii"),
        field.encode("utf-8"),
    )
    return b"".join(len(part).to_bytes(4, "big") + part for part in parts)


def seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """Encrypt under the hub scheme: scheme id, random nonce, ciphertext and tag."""
    nonce = os.urandom(NONCE_SIZE)
    return _HUB_V1_ID + nonce + aes256gcm(key).encrypt(nonce, plaintext, aad)


def open_sealed(key: bytes, sealed: bytes, aad: bytes) -> bytes:
    """Decrypt a hub-scheme value; fails on a wrong key, tampering or another row's AAD."""
    if not sealed.startswith(_HUB_V1_ID):
        raise UnsupportedScheme(f"the value is not sealed with {SCHEME_HUB_V1}")
    cipher = aes256gcm(key)
    if len(sealed) < 1 + NONCE_SIZE + TAG_SIZE:
        raise DecryptionFailed("the sealed value is truncated")
    try:
        return cipher.decrypt(sealed[1 : 1 + NONCE_SIZE], sealed[1 + NONCE_SIZE :], aad)
    except InvalidTag:
        raise DecryptionFailed("the sealed value does not open with this key and place") from None


def scheme_of(sealed: bytes) -> str:
    """Name the scheme of a stored value, so hub and sealed values can live side by side."""
    if not sealed:
        raise UnsupportedScheme("an empty value names no scheme")
    try:
        return _SCHEME_IDS[sealed[0]]
    except KeyError:
        raise UnsupportedScheme(f"scheme id {sealed[0]:#04x} is not known") from None
