"""Streaming AES-256-GCM for files: fixed-size segments, so memory does not grow with size."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from network.crypto._aead import KEY_SIZE, TAG_SIZE, aes256gcm
from network.crypto.errors import DecryptionFailed, FileTooLarge

SEGMENT_SIZE = 64 * 1024
MAGIC = b"ARNS"
VERSION = b"\x01"
SALT_SIZE = 32
NONCE_PREFIX_SIZE = 7
HEADER_SIZE = len(MAGIC) + len(VERSION) + SALT_SIZE + NONCE_PREFIX_SIZE
_NOT_LAST = b"\x00"
_LAST = b"\x01"


class ByteSource(Protocol):
    """Anything with read(n): a file, BytesIO, or werkzeug's FileStorage.stream (an IO[bytes])."""

    def read(self, size: int, /) -> bytes:
        """Return up to size bytes, or b"" at the end."""


class ByteSink(Protocol):
    """Anything with write(data): a file, BytesIO, or a storage backend's writer."""

    def write(self, data: bytes, /) -> object:
        """Take all of data."""


@dataclass(frozen=True)
class StreamResult:
    """What the caller stores beside the ciphertext; sha256 is of the plaintext."""

    size: int
    sha256: str
    ciphertext_size: int


def encrypt_stream(
    key: bytes,
    source: ByteSource,
    sink: ByteSink,
    aad: bytes,
    max_size: int | None = None,
) -> StreamResult:
    """Encrypt source into sink one segment at a time, never holding the whole file.

    On FileTooLarge the sink holds a partial ciphertext, which the caller discards.
    """
    salt = os.urandom(SALT_SIZE)
    prefix = os.urandom(NONCE_PREFIX_SIZE)
    cipher = aes256gcm(_file_key(key, salt, aad))
    sink.write(MAGIC + VERSION + salt + prefix)
    digest = hashlib.sha256()
    size = 0
    ciphertext_size = HEADER_SIZE
    read_segment = _bounded_reader(source, max_size)
    # One segment of lookahead tells whether the current one is the last.
    current = read_segment()
    index = 0
    while True:
        following = read_segment()
        is_last = not following
        segment = cipher.encrypt(_nonce(prefix, index, is_last), current, aad)
        sink.write(segment)
        digest.update(current)
        size += len(current)
        ciphertext_size += len(segment)
        if is_last:
            return StreamResult(size, digest.hexdigest(), ciphertext_size)
        current = following
        index += 1


def decrypt_stream(key: bytes, source: ByteSource, aad: bytes) -> Iterator[bytes]:
    """Yield plaintext segments, each authenticated before it is yielded.

    A truncated or extended file is only detected at its end, so a consumer
    must not act on the output until the iterator finishes without an error.
    """
    header = _read_up_to(source, HEADER_SIZE)
    if len(header) != HEADER_SIZE or not header.startswith(MAGIC + VERSION):
        raise DecryptionFailed("the file does not start with an ARNS version 1 header")
    salt = header[len(MAGIC) + len(VERSION) : -NONCE_PREFIX_SIZE]
    prefix = header[-NONCE_PREFIX_SIZE:]
    cipher = aes256gcm(_file_key(key, salt, aad))
    current = _read_up_to(source, SEGMENT_SIZE + TAG_SIZE)
    if not current:
        raise DecryptionFailed("the file has no segments")
    index = 0
    while True:
        # Whatever comes last on disk must carry the last flag, so a file cut at a
        # segment boundary, or with data appended, fails to authenticate.
        following = _read_up_to(source, SEGMENT_SIZE + TAG_SIZE)
        is_last = not following
        try:
            plaintext = cipher.decrypt(_nonce(prefix, index, is_last), current, aad)
        except InvalidTag:
            raise DecryptionFailed(f"segment {index} is tampered, misplaced or truncated") from None
        if plaintext:
            yield plaintext
        if is_last:
            return
        current = following
        index += 1


def _file_key(key: bytes, salt: bytes, aad: bytes) -> bytes:
    """Derive a key per file, so segments cannot be swapped between files."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_SIZE, salt=salt, info=b"arnet:file:" + aad)
    return hkdf.derive(key)


def _nonce(prefix: bytes, index: int, is_last: bool) -> bytes:
    """Bind each segment to its position and to being (or not being) the last."""
    return prefix + index.to_bytes(4, "big") + (_LAST if is_last else _NOT_LAST)


def _bounded_reader(source: ByteSource, max_size: int | None) -> Callable[[], bytes]:
    """Return a reader of whole segments that reads at most max_size + 1 bytes in all."""
    taken = 0

    def read_segment() -> bytes:
        nonlocal taken
        wanted = SEGMENT_SIZE if max_size is None else min(SEGMENT_SIZE, max_size + 1 - taken)
        chunk = _read_up_to(source, wanted)
        taken += len(chunk)
        if max_size is not None and taken > max_size:
            raise FileTooLarge(f"the file is larger than {max_size} bytes")
        return chunk

    return read_segment


def _read_up_to(source: ByteSource, size: int) -> bytes:
    """Read size bytes, or fewer only at the end; raw streams may return short reads."""
    chunk = source.read(size)
    if len(chunk) == size or not chunk:
        return chunk
    buffer = bytearray(chunk)
    while len(buffer) < size:
        more = source.read(size - len(buffer))
        if not more:
            break
        buffer += more
    return bytes(buffer)
