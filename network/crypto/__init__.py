"""Keyring, data-key wrapping, AEAD for records and streaming AEAD for files; no Flask, no DB."""

from __future__ import annotations

from network.crypto.datakeys import new_data_key, rewrap_data_key, unwrap_data_key, wrap_data_key
from network.crypto.errors import (
    CryptoError,
    DecryptionFailed,
    FileTooLarge,
    InvalidKeyLength,
    KeyringBusy,
    KeyringCorrupt,
    KeyringMissing,
    UnknownKeyVersion,
    UnsupportedScheme,
)
from network.crypto.keyring import Keyring, holding_keyring
from network.crypto.keyring_file import KeyringFile
from network.crypto.records import SCHEME_HUB_V1, open_sealed, record_aad, scheme_of, seal
from network.crypto.stream import (
    SEGMENT_SIZE,
    ByteSink,
    ByteSource,
    StreamResult,
    decrypt_stream,
    encrypt_stream,
)

__all__ = [
    "SCHEME_HUB_V1",
    "SEGMENT_SIZE",
    "ByteSink",
    "ByteSource",
    "CryptoError",
    "DecryptionFailed",
    "FileTooLarge",
    "InvalidKeyLength",
    "Keyring",
    "KeyringBusy",
    "KeyringCorrupt",
    "KeyringFile",
    "KeyringMissing",
    "StreamResult",
    "UnknownKeyVersion",
    "UnsupportedScheme",
    "decrypt_stream",
    "encrypt_stream",
    "holding_keyring",
    "new_data_key",
    "open_sealed",
    "record_aad",
    "rewrap_data_key",
    "scheme_of",
    "seal",
    "unwrap_data_key",
    "wrap_data_key",
]
