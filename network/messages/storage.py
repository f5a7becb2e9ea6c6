"""Encrypted attachment files: server-chosen names, all or nothing, streamed both ways.

Files on disk by default (``DirectoryStore``); ``network.messages.segments`` keeps them in
PostgreSQL instead. Both answer to ``AttachmentStore``, so attachments never ask which.
"""

from __future__ import annotations

import os
import secrets
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from network.core import outages
from network.crypto import ByteSource, StreamResult, decrypt_stream, encrypt_stream

MAX_FILENAME_LENGTH = 255
_SNIFF_BYTES = 2048

# Magic numbers of the kinds of evidence files practitioners exchange; anything else
# is text (valid UTF-8 without NUL) or opaque bytes.
_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"%PDF-", 0, "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"GIF87a", 0, "image/gif"),
    (b"GIF89a", 0, "image/gif"),
    (b"II*\x00", 0, "image/tiff"),
    (b"MM\x00*", 0, "image/tiff"),
    (b"WEBP", 8, "image/webp"),
    (b"PK\x03\x04", 0, "application/zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "application/x-ole-storage"),
    (b"{\\rtf", 0, "application/rtf"),
    (b"\x1f\x8b", 0, "application/gzip"),
    (b"7z\xbc\xaf\x27\x1c", 0, "application/x-7z-compressed"),
    (b"Rar!\x1a\x07", 0, "application/vnd.rar"),
    (b"%!PS", 0, "application/postscript"),
    (b"ID3", 0, "audio/mpeg"),
    (b"ftyp", 4, "video/mp4"),
)


class BadFilename(ValueError):
    """The name has path separators, control characters or no usable characters."""


def sanitise_filename(raw: str) -> str:
    """Keep the sender's name for display only; refuse anything that could act as a path."""
    name = unicodedata.normalize("NFC", raw).strip()
    if not name or name in {".", ".."}:
        raise BadFilename("empty")
    if len(name) > MAX_FILENAME_LENGTH:
        raise BadFilename("too long")
    for char in name:
        # Cc: control characters (NUL, newline ...); Cf: format characters such as the
        # right-to-left override that disguises "exe.pdf" as "fdp.exe".
        if char in "/\\" or unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"}:
            raise BadFilename("separator or control character")
    return name


def sniff_content_type(head: bytes) -> str:
    """Name the content by its first bytes, never by the name or the type the client claims."""
    for magic, offset, content_type in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            return content_type
    if head and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            # A multi-byte character cut by the sniffing window is still text.
            if error.start < len(head) - 3:
                return "application/octet-stream"
        return "text/plain"
    return "application/octet-stream"


class HeadCapture:
    """Passes reads through and keeps the first bytes for sniffing."""

    def __init__(self, source: ByteSource) -> None:
        self._source = source
        self.head = b""

    def read(self, size: int, /) -> bytes:
        chunk = self._source.read(size)
        if len(self.head) < _SNIFF_BYTES:
            self.head += chunk[: _SNIFF_BYTES - len(self.head)]
        return chunk


def new_stored_name() -> str:
    return secrets.token_hex(20)


def path_of(directory: Path, stored_name: str) -> Path:
    """Two-level fan-out keeps directories small; the name is ours, never the sender's."""
    return directory / stored_name[:2] / stored_name


def write_encrypted(
    directory: Path,
    stored_name: str,
    key: bytes,
    aad: bytes,
    source: ByteSource,
    max_bytes: int,
) -> StreamResult:
    """Encrypt the source into its file; on any failure nothing is left behind.

    A disk without room (or a spent quota) raises its OSError as any failure does, and
    opens a disk outage episode; the next file written whole closes it.
    """
    try:
        result = _write_whole(directory, stored_name, key, aad, source, max_bytes)
    except OSError as error:
        if error.errno in outages.NO_SPACE:
            outages.began(outages.DISK, f"attachments in {directory}: {error.strerror}")
        raise
    outages.ended(outages.DISK)
    return result


def _write_whole(
    directory: Path,
    stored_name: str,
    key: bytes,
    aad: bytes,
    source: ByteSource,
    max_bytes: int,
) -> StreamResult:
    target = path_of(directory, stored_name)
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = target.with_name(f".{stored_name}.part")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            result = encrypt_stream(key, source, handle, aad, max_size=max_bytes)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return result


def partial_files(directory: Path, before: float) -> list[Path]:
    """What broken-off uploads (a crash, a lost connection) left, last written before ``before``.

    ``before`` is in epoch seconds. Whole files are never judged here: a file without its
    row may be a database restored from an older backup, and evidence is not deleted on a guess.
    """
    found: list[Path] = []
    for path in directory.glob("*/.*.part"):
        try:
            if path.stat().st_mtime < before:
                found.append(path)
        except FileNotFoundError:  # finished or removed meanwhile
            continue
    return found


def discard(directory: Path, stored_name: str) -> None:
    path_of(directory, stored_name).unlink(missing_ok=True)


def read_decrypted(directory: Path, stored_name: str, key: bytes, aad: bytes) -> Iterator[bytes]:
    """Open the file now (so a missing file fails before a response starts), decrypt lazily."""
    handle = path_of(directory, stored_name).open("rb")

    def chunks() -> Iterator[bytes]:
        with handle:
            yield from decrypt_stream(key, handle, aad)

    return chunks()


class AttachmentStore(Protocol):
    """Where encrypted attachments live; each one is named by its attachment's stored name."""

    def write(
        self, stored_name: str, key: bytes, aad: bytes, source: ByteSource, max_bytes: int
    ) -> StreamResult:
        """Encrypt the source as it streams; on any failure nothing of it is kept."""

    def read(self, stored_name: str, key: bytes, aad: bytes) -> Iterator[bytes]:
        """The plaintext, lazily; FileNotFoundError now when nothing is stored under the name."""

    def discard(self, stored_name: str) -> None:
        """Remove what is stored under the name, if anything."""

    def remove_partial(self, before: float) -> int:
        """Remove what broken-off uploads left, last written before ``before``; how many."""


class DirectoryStore:
    """Attachments as files in one directory, fanned out by the first two characters."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def write(
        self, stored_name: str, key: bytes, aad: bytes, source: ByteSource, max_bytes: int
    ) -> StreamResult:
        return write_encrypted(self.directory, stored_name, key, aad, source, max_bytes)

    def read(self, stored_name: str, key: bytes, aad: bytes) -> Iterator[bytes]:
        return read_decrypted(self.directory, stored_name, key, aad)

    def discard(self, stored_name: str) -> None:
        discard(self.directory, stored_name)

    def remove_partial(self, before: float) -> int:
        partial = partial_files(self.directory, before)
        for path in partial:
            path.unlink(missing_ok=True)
        return len(partial)
