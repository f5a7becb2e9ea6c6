"""Exceptions raised by network.crypto; callers catch CryptoError or one of its kinds."""

from __future__ import annotations


class CryptoError(Exception):
    """Base class, so the edge can turn any crypto failure into one response."""


class KeyringMissing(CryptoError):
    """The keyring file is absent; production refuses to start without it."""


class KeyringCorrupt(CryptoError):
    """The keyring file exists but cannot be trusted as a keyring."""


class KeyringBusy(CryptoError):
    """Another process holds the keyring (a rotation, a retirement or a backup is running)."""


class UnknownKeyVersion(CryptoError):
    """A ciphertext names a key version that the keyring does not hold."""


class DecryptionFailed(CryptoError):
    """Wrong key, tampered, moved to another row or field, or truncated."""


class UnsupportedScheme(CryptoError):
    """A ciphertext is tagged with a scheme this code cannot open."""


class FileTooLarge(CryptoError):
    """A streamed file is larger than the caller allows."""


class InvalidKeyLength(CryptoError):
    """A key is not 256 bits; AES-GCM would otherwise accept a weaker one silently."""
