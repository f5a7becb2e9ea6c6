"""Specifications for network.crypto: keyring, data keys, sealed records and file streams."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import stat
import tracemalloc
from pathlib import Path

import pytest

from network.crypto import (
    SCHEME_HUB_V1,
    SEGMENT_SIZE,
    DecryptionFailed,
    FileTooLarge,
    InvalidKeyLength,
    Keyring,
    KeyringCorrupt,
    KeyringMissing,
    UnknownKeyVersion,
    UnsupportedScheme,
    decrypt_stream,
    encrypt_stream,
    new_data_key,
    open_sealed,
    record_aad,
    rewrap_data_key,
    scheme_of,
    seal,
    unwrap_data_key,
    wrap_data_key,
)
from network.crypto.stream import HEADER_SIZE

TAG_SIZE = 16
CYCLE = bytes(range(251))
STORED_SEGMENT = SEGMENT_SIZE + TAG_SIZE
FILE_AAD = b"attachments:7"


class PatternReader:
    """Produces size bytes on demand without ever holding them all."""

    def __init__(self, size: int, max_read: int | None = None) -> None:
        self.remaining = size
        self.max_read = max_read
        self.taken = 0

    def read(self, size: int, /) -> bytes:
        if self.max_read is not None:
            size = min(size, self.max_read)
        size = min(size, self.remaining)
        self.remaining -= size
        self.taken += size
        start = (self.taken - size) % len(CYCLE)
        return (CYCLE * (size // len(CYCLE) + 2))[start : start + size]


class CountingSink:
    """Discards what is written and only counts it."""

    def __init__(self) -> None:
        self.count = 0

    def write(self, data: bytes, /) -> int:
        self.count += len(data)
        return len(data)


def encrypt_bytes(key: bytes, plaintext: bytes, aad: bytes = FILE_AAD) -> bytes:
    sink = io.BytesIO()
    encrypt_stream(key, io.BytesIO(plaintext), sink, aad)
    return sink.getvalue()


def decrypt_bytes(key: bytes, ciphertext: bytes, aad: bytes = FILE_AAD) -> bytes:
    return b"".join(decrypt_stream(key, io.BytesIO(ciphertext), aad))


def write_keyring(path: Path, document: object) -> None:
    path.write_text(json.dumps(document))


def valid_document() -> dict[str, object]:
    key = base64.b64encode(os.urandom(32)).decode()
    return {"format": "arnet-keyring-1", "current": 1, "keys": {"1": key}}


# Keyring


def test_created_keyring_is_private_and_loads_back_the_same_keys(tmp_path: Path) -> None:
    path = tmp_path / "secrets" / "keyring.json"

    created = Keyring.load_or_create(path)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    loaded = Keyring.load(path)
    assert loaded.current_version == created.current_version == 1
    assert loaded.kek(1) == created.kek(1)
    assert len(loaded.kek(1)) == 32
    assert [p.name for p in path.parent.iterdir()] == ["keyring.json"]


def test_load_or_create_keeps_an_existing_keyring(tmp_path: Path) -> None:
    path = tmp_path / "keyring.json"
    first = Keyring.load_or_create(path)

    second = Keyring.load_or_create(path)

    assert second.kek(1) == first.kek(1)


def test_loading_a_missing_keyring_raises_keyring_missing(tmp_path: Path) -> None:
    with pytest.raises(KeyringMissing):
        Keyring.load(tmp_path / "absent.json")


@pytest.mark.parametrize(
    "corrupt",
    [
        "not json",
        "[]",
        {"format": "other", "current": 1, "keys": {}},
        {"current": "1"},
        {"current": True},
        {"current": 2},
        {"keys": []},
        {"keys": {"01": base64.b64encode(bytes(32)).decode()}},
        {"keys": {"1": "not base64!"}},
        {"keys": {"1": base64.b64encode(bytes(16)).decode()}},
        {"keys": {"1": 5}},
    ],
)
def test_corrupt_keyring_raises_keyring_corrupt(tmp_path: Path, corrupt: object) -> None:
    path = tmp_path / "keyring.json"
    if isinstance(corrupt, str):
        path.write_text(corrupt)
    elif isinstance(corrupt, list):
        write_keyring(path, corrupt)
    else:
        assert isinstance(corrupt, dict)
        write_keyring(path, {**valid_document(), **corrupt})

    with pytest.raises(KeyringCorrupt):
        Keyring.load(path)


def test_saved_keyring_replaces_the_file_and_stays_private(tmp_path: Path) -> None:
    path = tmp_path / "keyring.json"
    keyring = Keyring.load_or_create(path)
    keyring.add_version()

    keyring.save(path)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert Keyring.load(path).current_version == 2
    assert [p.name for p in tmp_path.iterdir()] == ["keyring.json"]


def test_asking_for_an_unknown_kek_version_raises_unknown_key_version() -> None:
    keyring = Keyring({1: os.urandom(32)}, current_version=1)

    with pytest.raises(UnknownKeyVersion):
        keyring.kek(2)


def test_a_sealed_keyring_opens_with_its_passphrase_only() -> None:
    keyring = Keyring({1: os.urandom(32), 2: os.urandom(32)}, current_version=2)
    sealed = keyring.sealed("Backup-Keyring-Passphrase-7")

    opened = Keyring.unsealed(sealed, "Backup-Keyring-Passphrase-7")
    assert [opened.kek(v) for v in (1, 2)] == [keyring.kek(v) for v in (1, 2)]
    assert (opened.current_version, opened.audit_key) == (2, keyring.audit_key)
    assert keyring.kek(2) not in sealed
    assert base64.b64encode(keyring.kek(2)) not in sealed
    with pytest.raises(DecryptionFailed):
        Keyring.unsealed(sealed, "Backup-Keyring-Passphrase-8")
    document = json.loads(sealed)
    document["kdf"]["salt"] = base64.b64encode(os.urandom(16)).decode()
    with pytest.raises(DecryptionFailed):
        Keyring.unsealed(json.dumps(document).encode(), "Backup-Keyring-Passphrase-7")
    with pytest.raises(KeyringCorrupt):
        Keyring.unsealed(b'{"format": "arnet-keyring-1"}', "Backup-Keyring-Passphrase-7")


def test_save_new_never_replaces_a_keyring(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "keyring.json"
    Keyring.create(path)
    before = path.read_bytes()

    with pytest.raises(FileExistsError):
        Keyring({1: os.urandom(32)}, current_version=1).save_new(path)
    assert path.read_bytes() == before


# Data keys


def test_rotation_rewraps_a_data_key_under_the_new_kek_and_keeps_the_old(tmp_path: Path) -> None:
    path = tmp_path / "keyring.json"
    keyring = Keyring.load_or_create(path)
    data_key = new_data_key()
    old_version, old_blob = wrap_data_key(keyring, data_key, b"channel:3")

    new_version = keyring.add_version()
    keyring.save(path)
    rotated = Keyring.load(path)
    version, blob = rewrap_data_key(rotated, old_version, old_blob, b"channel:3")

    assert (old_version, new_version, version) == (1, 2, 2)
    assert rotated.current_version == 2
    assert unwrap_data_key(rotated, version, blob, b"channel:3") == data_key
    assert unwrap_data_key(rotated, old_version, old_blob, b"channel:3") == data_key


def test_a_data_key_wrapped_for_one_channel_does_not_unwrap_for_another() -> None:
    keyring = Keyring({1: os.urandom(32)}, current_version=1)
    version, blob = wrap_data_key(keyring, new_data_key(), b"channel:3")

    with pytest.raises(DecryptionFailed):
        unwrap_data_key(keyring, version, blob, b"channel:4")


def test_a_data_key_unwrapped_under_another_kek_version_fails() -> None:
    keyring = Keyring({1: os.urandom(32), 2: os.urandom(32)}, current_version=2)
    _, blob = wrap_data_key(keyring, new_data_key(), b"channel:3")

    with pytest.raises(DecryptionFailed):
        unwrap_data_key(keyring, 1, blob, b"channel:3")


# Records


def test_a_sealed_value_opens_with_its_key_and_place() -> None:
    key = new_data_key()
    aad = record_aad("messages", 12, channel_id=3, seq=40, field="body")

    sealed = seal(key, b"Asset located in Geneva", aad)

    assert scheme_of(sealed) == SCHEME_HUB_V1
    assert sealed[0] == 0x01
    assert len(sealed) == 1 + 12 + len("Asset located in Geneva") + 16
    assert open_sealed(key, sealed, aad) == b"Asset located in Geneva"


@pytest.mark.parametrize(
    "other_place",
    [
        record_aad("messages", 13, channel_id=3, seq=40, field="body"),
        record_aad("messages", 12, channel_id=4, seq=40, field="body"),
        record_aad("messages", 12, channel_id=3, seq=41, field="body"),
        record_aad("messages", 12, channel_id=3, seq=40, field="subject"),
        record_aad("cases", 12, channel_id=3, seq=40, field="body"),
    ],
)
def test_a_sealed_value_moved_to_another_row_or_field_fails_to_open(other_place: bytes) -> None:
    key = new_data_key()
    sealed = seal(key, b"secret", record_aad("messages", 12, channel_id=3, seq=40, field="body"))

    with pytest.raises(DecryptionFailed):
        open_sealed(key, sealed, other_place)


def test_record_places_that_concatenate_alike_still_differ() -> None:
    assert record_aad("ab", 1) != record_aad("a", "b1")
    assert record_aad("cases", 1, field="title") != record_aad("cases", 1) + b"title"
    assert record_aad("cases", 1, channel_id=None) != record_aad("cases", 1, channel_id=0)
    assert record_aad("cases", 1, channel_id=5) != record_aad("cases", 1, seq=5)


@pytest.mark.parametrize("position", [1, 5, -1])
def test_a_sealed_value_with_one_byte_changed_fails_to_open(position: int) -> None:
    key = new_data_key()
    aad = record_aad("cases", 1, field="summary")
    sealed = bytearray(seal(key, b"summary text", aad))
    sealed[position] ^= 0x01

    with pytest.raises(DecryptionFailed):
        open_sealed(key, bytes(sealed), aad)


def test_a_sealed_value_opened_with_another_key_fails() -> None:
    aad = record_aad("cases", 1, field="summary")
    sealed = seal(new_data_key(), b"summary text", aad)

    with pytest.raises(DecryptionFailed):
        open_sealed(new_data_key(), sealed, aad)


def test_a_truncated_sealed_value_fails_to_open() -> None:
    key = new_data_key()

    with pytest.raises(DecryptionFailed):
        open_sealed(key, seal(key, b"", b"")[:20], b"")


def test_a_value_of_an_unknown_scheme_is_refused() -> None:
    key = new_data_key()
    foreign = b"\x02" + seal(key, b"x", b"")[1:]

    with pytest.raises(UnsupportedScheme):
        scheme_of(foreign)
    with pytest.raises(UnsupportedScheme):
        open_sealed(key, foreign, b"")
    with pytest.raises(UnsupportedScheme):
        scheme_of(b"")


def test_keys_shorter_than_256_bits_are_refused() -> None:
    with pytest.raises(InvalidKeyLength):
        seal(bytes(16), b"x", b"")


# Streams


@pytest.mark.parametrize(
    "size",
    [0, 1, SEGMENT_SIZE - 1, SEGMENT_SIZE, SEGMENT_SIZE + 1, 3 * SEGMENT_SIZE + 5],
)
def test_a_file_streams_through_encryption_and_back(size: int) -> None:
    key = new_data_key()
    plaintext = os.urandom(size)
    sink = io.BytesIO()

    result = encrypt_stream(key, io.BytesIO(plaintext), sink, FILE_AAD)

    ciphertext = sink.getvalue()
    assert result.size == size
    assert result.sha256 == hashlib.sha256(plaintext).hexdigest()
    assert result.ciphertext_size == len(ciphertext)
    assert ciphertext.startswith(b"ARNS\x01")
    assert decrypt_bytes(key, ciphertext) == plaintext


def test_short_reads_from_the_source_give_the_same_segments() -> None:
    key = new_data_key()
    size = 2 * SEGMENT_SIZE + 10
    sink = io.BytesIO()

    result = encrypt_stream(key, PatternReader(size, max_read=1000), sink, FILE_AAD)

    assert result.ciphertext_size == HEADER_SIZE + 3 * TAG_SIZE + size
    assert decrypt_bytes(key, sink.getvalue()) == PatternReader(size).read(size)


def test_a_file_cut_after_a_whole_segment_fails() -> None:
    key = new_data_key()
    ciphertext = encrypt_bytes(key, os.urandom(3 * SEGMENT_SIZE + 5))

    truncated = ciphertext[: HEADER_SIZE + 3 * STORED_SEGMENT]

    with pytest.raises(DecryptionFailed):
        decrypt_bytes(key, truncated)


def test_a_file_cut_to_its_header_fails() -> None:
    key = new_data_key()

    with pytest.raises(DecryptionFailed):
        decrypt_bytes(key, encrypt_bytes(key, b"")[:HEADER_SIZE])


def test_swapped_segments_fail() -> None:
    key = new_data_key()
    ciphertext = encrypt_bytes(key, os.urandom(2 * SEGMENT_SIZE + 5))
    header = ciphertext[:HEADER_SIZE]
    first = ciphertext[HEADER_SIZE : HEADER_SIZE + STORED_SEGMENT]
    second = ciphertext[HEADER_SIZE + STORED_SEGMENT : HEADER_SIZE + 2 * STORED_SEGMENT]
    rest = ciphertext[HEADER_SIZE + 2 * STORED_SEGMENT :]

    with pytest.raises(DecryptionFailed):
        decrypt_bytes(key, header + second + first + rest)


def test_a_segment_from_another_file_with_the_same_key_fails() -> None:
    key = new_data_key()
    plaintext = os.urandom(2 * SEGMENT_SIZE)
    one = encrypt_bytes(key, plaintext)
    other = encrypt_bytes(key, plaintext)

    spliced = one[: HEADER_SIZE + STORED_SEGMENT] + other[HEADER_SIZE + STORED_SEGMENT :]

    with pytest.raises(DecryptionFailed):
        decrypt_bytes(key, spliced)


@pytest.mark.parametrize("size", [5, SEGMENT_SIZE])
def test_data_appended_after_the_last_segment_fails(size: int) -> None:
    key = new_data_key()

    with pytest.raises(DecryptionFailed):
        decrypt_bytes(key, encrypt_bytes(key, os.urandom(size)) + b"garbage")


@pytest.mark.parametrize("position", [0, 10, HEADER_SIZE - 1, HEADER_SIZE + 3, -1])
def test_a_flipped_bit_anywhere_fails(position: int) -> None:
    key = new_data_key()
    ciphertext = bytearray(encrypt_bytes(key, os.urandom(SEGMENT_SIZE + 5)))
    ciphertext[position] ^= 0x10

    with pytest.raises(DecryptionFailed):
        decrypt_bytes(key, bytes(ciphertext))


def test_a_file_opened_with_another_aad_or_key_fails() -> None:
    key = new_data_key()
    ciphertext = encrypt_bytes(key, b"bank statement", aad=b"attachments:7")

    with pytest.raises(DecryptionFailed):
        decrypt_bytes(key, ciphertext, aad=b"attachments:8")
    with pytest.raises(DecryptionFailed):
        decrypt_bytes(new_data_key(), ciphertext, aad=b"attachments:7")


def test_a_file_over_max_size_is_refused_after_reading_one_byte_more() -> None:
    source = PatternReader(SEGMENT_SIZE * 4)

    with pytest.raises(FileTooLarge):
        encrypt_stream(new_data_key(), source, CountingSink(), FILE_AAD, max_size=SEGMENT_SIZE + 10)

    assert source.taken == SEGMENT_SIZE + 11


def test_a_file_of_exactly_max_size_is_accepted() -> None:
    size = SEGMENT_SIZE + 10

    result = encrypt_stream(new_data_key(), PatternReader(size), CountingSink(), b"", max_size=size)

    assert result.size == size


def test_encrypting_a_large_file_uses_constant_memory() -> None:
    size = 64 * 1024 * 1024 + 123
    source = PatternReader(size)
    sink = CountingSink()

    tracemalloc.start()
    try:
        result = encrypt_stream(new_data_key(), source, sink, FILE_AAD)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert result.size == size
    assert sink.count == result.ciphertext_size
    assert peak < 2 * 1024 * 1024
