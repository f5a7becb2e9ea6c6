"""Encrypted attachments in PostgreSQL: one row per segment, written and read as they stream.

Chosen with ``ATTACHMENT_STORE = "database"``, so that every machine on the database serves
every file. A segment is exactly one write of ``encrypt_stream`` (the header, then each
sealed segment); no more than a few segments are ever in memory, whatever the file's size.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Engine, delete, exists, insert, select
from sqlalchemy.orm import Session

from network.crypto import ByteSource, StreamResult, decrypt_stream, encrypt_stream
from network.messages.models import Attachment, AttachmentSegment

# Segments fetched by one SELECT while reading: about half a MiB in memory at a time.
READ_BATCH = 8


class _SegmentSink:
    """Inserts each write of the cipher as the next segment at once; nothing accumulates."""

    def __init__(self, session: Session, stored_name: str) -> None:
        self._session = session
        self._stored_name = stored_name
        self._number = 0

    def write(self, data: bytes, /) -> None:
        self._session.execute(
            insert(AttachmentSegment).values(
                stored_name=self._stored_name, number=self._number, data=data
            )
        )
        self._number += 1


def _batch(engine: Engine, stored_name: str, start: int) -> list[bytes]:
    """Segments from ``start`` on, in order; a connection of its own, held for one query only.

    A download is read after its request committed and let go of its session, and a slow
    client must not keep a pooled connection for the length of its download.
    """
    with engine.connect() as connection:
        return list(
            connection.scalars(
                select(AttachmentSegment.data)
                .where(
                    AttachmentSegment.stored_name == stored_name,
                    AttachmentSegment.number >= start,
                )
                .order_by(AttachmentSegment.number)
                .limit(READ_BATCH)
            )
        )


class _SegmentSource:
    """The segments as one byte stream for ``decrypt_stream``, fetched a batch at a time.

    A missing or reordered segment is not looked for here: its authentication fails.
    """

    def __init__(self, engine: Engine, stored_name: str, first: list[bytes]) -> None:
        self._engine = engine
        self._stored_name = stored_name
        self._pending = first
        self._next = len(first)
        self._exhausted = len(first) < READ_BATCH
        self._buffer = bytearray()

    def read(self, size: int, /) -> bytes:
        while len(self._buffer) < size and (self._pending or not self._exhausted):
            if not self._pending:
                self._pending = _batch(self._engine, self._stored_name, self._next)
                self._next += len(self._pending)
                self._exhausted = len(self._pending) < READ_BATCH
                continue
            self._buffer += self._pending.pop(0)
        chunk = bytes(self._buffer[:size])
        del self._buffer[:size]
        return chunk


class DatabaseStore:
    """Attachments as segments in the ``attachment_segments`` table of the service's database.

    Writes go through the caller's session, so a file and its attachment row commit or roll
    back together; reads use the engine, one short connection per batch.
    """

    def __init__(self, session: Session, engine: Engine) -> None:
        self._session = session
        self._engine = engine

    def write(
        self, stored_name: str, key: bytes, aad: bytes, source: ByteSource, max_bytes: int
    ) -> StreamResult:
        # A savepoint: an oversized or broken upload takes its segments back with it, and
        # the caller's transaction goes on.
        with self._session.begin_nested():
            sink = _SegmentSink(self._session, stored_name)
            return encrypt_stream(key, source, sink, aad, max_size=max_bytes)

    def read(self, stored_name: str, key: bytes, aad: bytes) -> Iterator[bytes]:
        first = _batch(self._engine, stored_name, 0)
        if not first:
            raise FileNotFoundError(f"no segments stored for attachment {stored_name}")
        source = _SegmentSource(self._engine, stored_name, first)

        def chunks() -> Iterator[bytes]:
            yield from decrypt_stream(key, source, aad)

        return chunks()

    def discard(self, stored_name: str) -> None:
        self._session.execute(
            delete(AttachmentSegment).where(AttachmentSegment.stored_name == stored_name)
        )

    def remove_partial(self, before: float) -> int:
        """Segments no attachment names: a clean-up cut off between its two commits.

        ``before`` does not matter here: an upload under way writes in a transaction of its
        own, invisible to this one, and a finished upload committed its row with its segments.
        """
        orphaned = ~exists().where(Attachment.stored_name == AttachmentSegment.stored_name)
        gone = self._session.execute(
            delete(AttachmentSegment)
            .where(orphaned)
            .returning(AttachmentSegment.stored_name)
            .execution_options(synchronize_session=False)
        ).scalars()
        return len(set(gone))
