"""Versioned key-encryption keys, kept in a file outside the database."""

from __future__ import annotations

import base64
import binascii
import fcntl
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from network.crypto._aead import KEY_SIZE, NONCE_SIZE, aes256gcm
from network.crypto.errors import (
    DecryptionFailed,
    KeyringBusy,
    KeyringCorrupt,
    KeyringMissing,
    UnknownKeyVersion,
)

FORMAT = "arnet-keyring-1"
# A keyring copy for a backup, sealed with a passphrase the operator keeps elsewhere.
SEALED_FORMAT = "arnet-sealed-keyring-1"
# scrypt's cost (2**17 × 8 × 128 bytes = 128 MiB, about half a second): a stolen backup
# does not give up its passphrase to a cheap guess.
_SCRYPT = {"n": 2**17, "r": 8, "p": 1}
_SALT_SIZE = 16
# The audit chain's secret: beside the KEKs, never rotated or retired with them.
_AUDIT_KEY = "audit_key"
_VERSION_PATTERN = re.compile(r"[1-9][0-9]*")


class Keyring:
    """Versioned 256-bit key-encryption keys (KEKs), kept in a file outside the database."""

    def __init__(
        self, keys: dict[int, bytes], current_version: int, audit_key: bytes | None = None
    ) -> None:
        """Hold the KEKs; the current one wraps new data keys, older ones only unwrap.

        A keyring made without an audit key gets a fresh one; a loaded one keeps its own.
        """
        if current_version not in keys:
            raise KeyringCorrupt(f"the current key version {current_version} is not in the keyring")
        for version, key in keys.items():
            if len(key) != KEY_SIZE:
                raise KeyringCorrupt(f"key version {version} is {len(key)} bytes, not {KEY_SIZE}")
        if audit_key is not None and len(audit_key) != KEY_SIZE:
            raise KeyringCorrupt(f"the audit key is {len(audit_key)} bytes, not {KEY_SIZE}")
        self._keys = dict(keys)
        self._current_version = current_version
        self._audit_key = audit_key if audit_key is not None else os.urandom(KEY_SIZE)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Keyring:
        """Read the keyring, failing closed when it is absent or malformed.

        A keyring file older than the audit key gets one, written back before it is used.
        """
        try:
            raw = Path(path).read_bytes()
        except FileNotFoundError:
            raise KeyringMissing(f"no keyring at {os.fspath(path)}") from None
        keyring, had_audit_key = cls._parse(raw, os.fspath(path))
        return keyring if had_audit_key else cls._add_audit_key(Path(path))

    @classmethod
    def _add_audit_key(cls, path: Path) -> Keyring:
        """Give an older keyring file its audit key once, however many processes load it.

        The lock is on the file itself and the file is read again under it: a process that
        waited finds the key its predecessor wrote (by path, since saving replaces the file).
        """
        where = os.fspath(path)
        try:
            with path.open("rb") as held:
                fcntl.flock(held.fileno(), fcntl.LOCK_EX)
                keyring, had_audit_key = cls._parse(path.read_bytes(), where)
                if not had_audit_key:
                    keyring.save(path)
        except OSError as error:
            raise KeyringCorrupt(
                f"the keyring at {where} has no audit key and cannot be written to add one "
                f"({error.strerror})"
            ) from None
        return keyring

    @classmethod
    def create(cls, path: str | os.PathLike[str]) -> Keyring:
        """A new keyring with one fresh KEK, written to ``path``; FileExistsError if one exists."""
        target = Path(path)
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        keyring = cls({1: os.urandom(KEY_SIZE)}, current_version=1)
        _write_private(target, keyring._serialise(), replace=False)
        return keyring

    @classmethod
    def load_or_create(cls, path: str | os.PathLike[str]) -> Keyring:
        """Development only: load the keyring, or create one with a single fresh KEK."""
        target = Path(path)
        if target.exists():
            return cls.load(target)
        try:
            return cls.create(target)
        except FileExistsError:
            # Another process created it first; its keyring is the one to use.
            return cls.load(target)

    def save_new(self, path: str | os.PathLike[str]) -> None:
        """Write the keyring where none is; FileExistsError rather than replace one."""
        target = Path(path)
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        _write_private(target, self._serialise(), replace=False)

    def sealed(self, passphrase: str) -> bytes:
        """This keyring encrypted with a key derived from ``passphrase`` (scrypt, AES-256-GCM)."""
        salt, nonce = os.urandom(_SALT_SIZE), os.urandom(NONCE_SIZE)
        key = _passphrase_key(passphrase, salt, _SCRYPT)
        document = {
            "format": SEALED_FORMAT,
            "kdf": {"name": "scrypt", **_SCRYPT, "salt": _b64(salt)},
            "nonce": _b64(nonce),
            "ciphertext": _b64(
                aes256gcm(key).encrypt(nonce, self._serialise(), SEALED_FORMAT.encode())
            ),
        }
        return json.dumps(document, indent=2).encode("utf-8") + b"\n"

    @classmethod
    def unsealed(cls, raw: bytes, passphrase: str) -> Keyring:
        """The keyring in a sealed copy; DecryptionFailed for a wrong passphrase or a change."""
        try:
            document = json.loads(raw)
            if document["format"] != SEALED_FORMAT or document["kdf"]["name"] != "scrypt":
                raise ValueError(document["format"])
            kdf = document["kdf"]
            cost = {"n": int(kdf["n"]), "r": int(kdf["r"]), "p": int(kdf["p"])}
            salt = base64.b64decode(kdf["salt"], validate=True)
            nonce = base64.b64decode(document["nonce"], validate=True)
            ciphertext = base64.b64decode(document["ciphertext"], validate=True)
        except (ValueError, TypeError, KeyError, binascii.Error):
            raise KeyringCorrupt("this is not a sealed ARNet keyring") from None
        key = _passphrase_key(passphrase, salt, cost)
        try:
            plain = aes256gcm(key).decrypt(nonce, ciphertext, SEALED_FORMAT.encode())
        except InvalidTag:
            raise DecryptionFailed(
                "the passphrase is wrong, or the sealed keyring was changed"
            ) from None
        return cls._parse(plain, "the sealed copy")[0]

    def save(self, path: str | os.PathLike[str]) -> None:
        """Replace the keyring file atomically, so a crash never leaves half a keyring."""
        _write_private(Path(path), self._serialise(), replace=True)

    @property
    def current_version(self) -> int:
        """The version that wraps new data keys."""
        return self._current_version

    def kek(self, version: int) -> bytes:
        """Return the KEK of a version, as named by a wrapped data key."""
        try:
            return self._keys[version]
        except KeyError:
            raise UnknownKeyVersion(f"the keyring has no key version {version}") from None

    @property
    def audit_key(self) -> bytes:
        """The secret that keys the audit chain; KEK rotation and retirement leave it alone."""
        return self._audit_key

    @property
    def versions(self) -> list[int]:
        """Every version held, oldest first."""
        return sorted(self._keys)

    def remove_version(self, version: int) -> None:
        """Drop an old KEK; the caller has made sure no data key is wrapped by it any more."""
        if version == self._current_version:
            raise KeyringCorrupt(f"the current key version {version} cannot be removed")
        self.kek(version)  # an unknown version raises UnknownKeyVersion
        del self._keys[version]

    def add_version(self) -> int:
        """Add a fresh KEK and make it current; save the keyring before re-wrapping with it."""
        version = max(self._keys) + 1
        self._keys[version] = os.urandom(KEY_SIZE)
        self._current_version = version
        return version

    def _serialise(self) -> bytes:
        document = {
            "format": FORMAT,
            "current": self._current_version,
            "keys": {str(version): _b64(key) for version, key in sorted(self._keys.items())},
            _AUDIT_KEY: _b64(self._audit_key),
        }
        return json.dumps(document, indent=2).encode("utf-8") + b"\n"

    @classmethod
    def _parse(cls, raw: bytes, where: str) -> tuple[Keyring, bool]:
        """The keyring in a file, and whether the file held its audit key."""
        try:
            document = json.loads(raw)
        except ValueError:
            raise KeyringCorrupt(f"the keyring at {where} is not JSON") from None
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise KeyringCorrupt(f"the keyring at {where} is not in format {FORMAT}")
        current = document.get("current")
        encoded_keys = document.get("keys")
        if isinstance(current, bool) or not isinstance(current, int):
            raise KeyringCorrupt(f"the keyring at {where} has no integer current version")
        if not isinstance(encoded_keys, dict):
            raise KeyringCorrupt(f"the keyring at {where} has no keys object")
        keys: dict[int, bytes] = {}
        for version, encoded in encoded_keys.items():
            if not _VERSION_PATTERN.fullmatch(version) or not isinstance(encoded, str):
                raise KeyringCorrupt(f"the keyring at {where} has a malformed key entry")
            try:
                keys[int(version)] = base64.b64decode(encoded, validate=True)
            except binascii.Error:
                raise KeyringCorrupt(f"key version {version} at {where} is not base64") from None
        audit_key = document.get(_AUDIT_KEY)
        if audit_key is None:
            return cls(keys, current), False
        if not isinstance(audit_key, str):
            raise KeyringCorrupt(f"the keyring at {where} has a malformed audit key")
        try:
            return cls(keys, current, base64.b64decode(audit_key, validate=True)), True
        except binascii.Error:
            raise KeyringCorrupt(f"the audit key at {where} is not base64") from None


@contextmanager
def holding_keyring(path: str | os.PathLike[str]) -> Iterator[None]:
    """Hold the keyring for a change that spans loading, saving and re-wrapping, or for a
    read that must not see it change (a backup); one holder at a time.

    Two rotations at once would each add "the next" version and the second save would
    drop the first's KEK, with data keys already wrapped by it. A second holder is refused
    (``KeyringBusy``) rather than queued. The lock is on a file beside the keyring, since
    saving replaces the keyring file and a lock on the old one would exclude nobody.
    """
    target = Path(path)
    descriptor = os.open(target.with_name(f".{target.name}.lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise KeyringBusy(f"another process holds the keyring at {target}") from None
        yield
    finally:
        os.close(descriptor)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _passphrase_key(passphrase: str, salt: bytes, cost: dict[str, int]) -> bytes:
    return Scrypt(salt=salt, length=KEY_SIZE, **cost).derive(passphrase.encode("utf-8"))


def _write_private(target: Path, data: bytes, *, replace: bool) -> None:
    """Write a mode-0600 temporary file, then publish it whole by rename or by link.

    Linking refuses to overwrite, so concurrent creators agree on one keyring
    and no reader ever sees a partly written file.
    """
    temporary = target.with_name(f".{target.name}.{os.urandom(8).hex()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            os.replace(temporary, target)
        else:
            os.link(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    _fsync_directory(target.parent)


def _fsync_directory(directory: Path) -> None:
    """Make the rename durable: rewrapped data keys must never outlive their KEK."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
