"""Per-channel data keys, stored only wrapped by a key-encryption key."""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag

from network.crypto._aead import KEY_SIZE, NONCE_SIZE, TAG_SIZE, aes256gcm
from network.crypto.errors import DecryptionFailed
from network.crypto.keyring import Keyring

_AAD_PREFIX = b"arnet:datakey:"


def new_data_key() -> bytes:
    """Make a fresh 256-bit data key for one channel (or other unit of retention)."""
    return os.urandom(KEY_SIZE)


def wrap_data_key(keyring: Keyring, data_key: bytes, context: bytes) -> tuple[int, bytes]:
    """Wrap under the current KEK; the context binds the blob to its owner (e.g. one channel)."""
    version = keyring.current_version
    nonce = os.urandom(NONCE_SIZE)
    wrapped = aes256gcm(keyring.kek(version)).encrypt(nonce, data_key, _AAD_PREFIX + context)
    return version, nonce + wrapped


def unwrap_data_key(keyring: Keyring, kek_version: int, blob: bytes, context: bytes) -> bytes:
    """Recover a data key; fails if the blob was altered or belongs to another context."""
    cipher = aes256gcm(keyring.kek(kek_version))
    if len(blob) < NONCE_SIZE + TAG_SIZE:
        raise DecryptionFailed("the wrapped data key is too short")
    try:
        return cipher.decrypt(blob[:NONCE_SIZE], blob[NONCE_SIZE:], _AAD_PREFIX + context)
    except InvalidTag:
        raise DecryptionFailed(
            "the wrapped data key does not open with this KEK and context"
        ) from None


def rewrap_data_key(
    keyring: Keyring, kek_version: int, blob: bytes, context: bytes
) -> tuple[int, bytes]:
    """Move a data key to the current KEK; messages sealed with it stay untouched."""
    return wrap_data_key(keyring, unwrap_data_key(keyring, kek_version, blob, context), context)
