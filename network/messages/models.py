"""Message tables: sealed messages and attachments, each bound to its channel."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from network.auth.models import User
from network.core.types import UTCDateTime
from network.crypto import record_aad
from network.extensions import Model
from network.sealing.fields import DataKeyOf, Place, SealedFile, sealed_text


def body_aad(channel_id: int, seq: int) -> bytes:
    """Where a body belongs: (channel, seq) is unique, fixed before the row exists, never reused."""
    return record_aad("messages", f"{channel_id}/{seq}", channel_id, seq, "body")


def name_aad(channel_id: int, stored_name: str) -> bytes:
    """Where a file name belongs: the server-chosen stored name of its attachment."""
    return record_aad("attachments", stored_name, channel_id, None, "filename")


def file_aad(channel_id: int, stored_name: str) -> bytes:
    """Where a file's content belongs, so a file swapped for another one fails to open."""
    return record_aad("attachments", stored_name, channel_id, None, "content")


# The data key named on the row (today always its channel's).
ROW_KEY = DataKeyOf("key_id")


class Message(Model):
    """One append-only message; the body is sealed and bound to (channel, seq)."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("channel_id", "seq", name="uq_messages_channel_seq"),
        # A client-chosen id makes a retried send idempotent, per sender and channel.
        UniqueConstraint("channel_id", "sender_id", "client_id", name="uq_messages_client_id"),
        # Unread counts leave out the reader's own messages past their read position: a
        # range of this index, counted without reading a message row.
        Index("ix_messages_channel_sender_seq", "channel_id", "sender_id", "seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"))
    seq: Mapped[int]
    sender_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    client_id: Mapped[str] = mapped_column(String(64))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())
    handling_code: Mapped[str] = mapped_column(String(2))
    reply_to_seq: Mapped[int | None]
    corrects_seq: Mapped[int | None]
    scheme: Mapped[str] = mapped_column(String(32))
    # The data key that sealed the body (today always the channel's).
    key_id: Mapped[int] = mapped_column(ForeignKey("data_keys.id"))
    body_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    body = sealed_text(ROW_KEY, Place(("channel_id", "seq"), body_aad))

    sender: Mapped[User] = relationship(lazy="joined")


class Attachment(Model):
    """An encrypted file uploaded to a channel, then attached to a message or filed with a request.

    ``stored_name`` is chosen by the server and binds the file's ciphertext to
    this row; the original file name is sealed like a message body.
    """

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), index=True)
    # Or filed with a request of the channel's relationship: its signed request or an annex.
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("assistance_requests.id"), index=True
    )
    document_kind: Mapped[str | None] = mapped_column(String(16))
    uploader_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    scheme: Mapped[str] = mapped_column(String(32))
    key_id: Mapped[int] = mapped_column(ForeignKey("data_keys.id"))
    name_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    name = sealed_text(ROW_KEY, Place(("channel_id", "stored_name"), name_aad))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(100))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime())

    content = SealedFile(ROW_KEY, Place(("channel_id", "stored_name"), file_aad))


class AttachmentSegment(Model):
    """One piece of an attachment's ciphertext, where ``ATTACHMENT_STORE`` is ``database``.

    Each piece is one write of the streaming cipher (the header, then one sealed segment), so
    a file is written and read a segment at a time. No foreign key: the segments are written
    before their attachment's row, in the same transaction.
    """

    __tablename__ = "attachment_segments"

    stored_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    number: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)
