"""Attachments: encrypted uploads to a channel, their download, and the check of every file.

A file is uploaded first (``store_attachment``), named by id when a message is posted (or
filed with a request by ``network.assistance.documents``), and read back only by members of
its channel (before it is sent or filed, only by its uploader).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select

from network.audit import service as audit
from network.auth.models import User
from network.cases.access import access_channel
from network.core import outages
from network.core.errors import DomainError, InvalidInput, NotFound
from network.core.i18n import N_
from network.crypto import SCHEME_HUB_V1, CryptoError, FileTooLarge
from network.extensions import db
from network.messages import storage
from network.messages.models import Attachment
from network.sealing.integrity import OK, DataKeys, Failure, Opened, Report, reason


class AttachmentTooLarge(InvalidInput):
    """The file is larger than the configured limit; nothing of it was kept."""

    status = 413
    reason = "attachment_too_large"


class AttachmentStorageFull(DomainError):
    """The attachment store has no room left (disk full or quota spent); nothing was kept."""

    status = 507
    reason = "storage_full"


@dataclass(frozen=True)
class AttachmentView:
    """An attachment with its file name opened; never its content.

    A name that fails its integrity check is None, and ``integrity`` says ``failed``.
    """

    id: int
    channel_id: int
    message_id: int | None
    filename: str | None
    size: int
    sha256: str
    content_type: str
    uploaded_at: datetime
    integrity: str = OK


def attachment_view(attachment: Attachment) -> AttachmentView:
    """An attachment as members see it, its file name opened."""
    sealed = Opened(attachment)
    return AttachmentView(
        id=attachment.id,
        channel_id=attachment.channel_id,
        message_id=attachment.message_id,
        filename=sealed[Attachment.name],
        size=attachment.size,
        sha256=attachment.sha256,
        content_type=attachment.content_type,
        uploaded_at=attachment.uploaded_at,
        integrity=sealed.integrity,
    )


def _too_large(max_bytes: int) -> AttachmentTooLarge:
    return AttachmentTooLarge(
        N_("The file is too large."), {"file": [N_("At most %(max)s bytes.")]}, max=max_bytes
    )


def _checked_name(filename: str) -> str:
    try:
        return storage.sanitise_filename(filename)
    except storage.BadFilename:
        raise InvalidInput(
            N_("The file name is not accepted."),
            {"file": [N_("Rename the file: no slashes, backslashes or control characters.")]},
        ) from None


def store_attachment(
    actor: User,
    channel_id: int,
    *,
    filename: str,
    stream: storage.ByteSource,
    declared_size: int | None,
    store: storage.AttachmentStore,
    max_bytes: int,
    now: datetime,
) -> AttachmentView:
    """Encrypt an upload to a server-named file, streaming; attach it later with post_message.

    An oversized upload, or one shorter than its declared size, leaves no file and
    no row. The SHA-256 is of the plaintext, so the recipient can verify it.
    """
    channel = access_channel(actor, channel_id)
    name = _checked_name(filename)
    if declared_size is not None and declared_size > max_bytes:
        raise _too_large(max_bytes)
    attachment = Attachment(
        channel_id=channel.id,
        uploader_id=actor.id,
        stored_name=storage.new_stored_name(),
        scheme=SCHEME_HUB_V1,
        key_id=channel.data_key_id,
    )
    stored_name = attachment.stored_name
    sniffer = storage.HeadCapture(stream)
    try:
        key, aad = Attachment.content.sealing(attachment)
        result = store.write(stored_name, key, aad, sniffer, max_bytes)
    except FileTooLarge:
        raise _too_large(max_bytes) from None
    except OSError as error:
        if error.errno not in outages.NO_SPACE:
            raise
        raise AttachmentStorageFull(
            N_("There is no room left to store the file. Nothing of it was kept; try again later.")
        ) from None
    try:
        if declared_size is not None and result.size != declared_size:
            raise InvalidInput(
                N_("The upload is incomplete."),
                {"file": [N_("Fewer bytes arrived than announced. Send the file again.")]},
            )
        attachment.name = name
        attachment.size = result.size
        attachment.sha256 = result.sha256
        attachment.content_type = storage.sniff_content_type(sniffer.head)
        attachment.uploaded_at = now
        db.session.add(attachment)
        db.session.flush()
        audit.record(
            actor,
            "attachment.uploaded",
            "attachment",
            attachment.id,
            {"channel": channel.id, "size": result.size, "sha256": result.sha256},
            at=now,
        )
    except BaseException:
        store.discard(stored_name)
        raise
    return attachment_view(attachment)


def open_attachment(
    actor: User, attachment_id: int, *, store: storage.AttachmentStore, now: datetime
) -> tuple[AttachmentView, Iterator[bytes]]:
    """An attachment and its plaintext as a stream of segments, each authenticated.

    Members of its channel may download it once it is attached to a message or filed with a
    request; before that, only its uploader. The download is audited.
    """
    attachment = db.session.get(Attachment, attachment_id)
    try:
        if attachment is None:
            raise NotFound(N_("No such attachment."), reason="attachment_not_found")
        access_channel(actor, attachment.channel_id)
        if not _placed(attachment) and attachment.uploader_id != actor.id:
            raise NotFound(N_("No such attachment."), reason="attachment_not_found")
    except NotFound:
        raise NotFound(N_("No such attachment."), reason="attachment_not_found") from None
    view = attachment_view(attachment)
    chunks = store.read(attachment.stored_name, *Attachment.content.sealing(attachment))
    audit.record(
        actor,
        "attachment.downloaded",
        "attachment",
        attachment.id,
        {"channel": attachment.channel_id},
        at=now,
    )
    return view, chunks


def _placed(attachment: Attachment) -> bool:
    """Attached to a message or filed with a request: its channel's members may read it."""
    return attachment.message_id is not None or attachment.request_id is not None


def forget_unattached(before: datetime, now: datetime) -> list[str]:
    """Delete the rows of uploads left unattached since before ``before``; their stored names.

    The caller removes the files after its commit (``AttachmentStore.discard``), so no row
    ever names a missing file. The condition stands in the DELETE itself: an upload attached to
    a message or filed with a request meanwhile is kept.
    """
    gone = db.session.execute(
        delete(Attachment)
        .where(
            Attachment.message_id.is_(None),
            Attachment.request_id.is_(None),
            Attachment.uploaded_at < before,
        )
        .returning(Attachment.id, Attachment.channel_id, Attachment.stored_name)
        .execution_options(synchronize_session=False)
    ).all()
    if gone:
        entries = [
            audit.Entry("attachment.discarded", "attachment", row.id, {"channel": row.channel_id})
            for row in gone
        ]
        audit.record_many(None, entries, at=now)
    return [row.stored_name for row in gone]


def verify_files(store: storage.AttachmentStore, data_keys: DataKeys, report: Report) -> None:
    """For verify-integrity: stream every attachment through decryption; size and hash must match.

    Each segment is authenticated on the way; a file that fails is named in the
    report, never read out.
    """
    for attachment in db.session.scalars(select(Attachment).order_by(Attachment.id)):
        key = data_keys.get(attachment.key_id)
        if key is None:
            continue  # already reported with the file's name
        place = Attachment.content.place.of(attachment)
        digest, size = hashlib.sha256(), 0
        try:
            for chunk in store.read(attachment.stored_name, key, place):
                digest.update(chunk)
                size += len(chunk)
        except FileNotFoundError:
            why = "the file is missing"
        except CryptoError as error:
            why = reason(error)
        else:
            if (size, digest.hexdigest()) == (attachment.size, attachment.sha256):
                report.opened += 1
                continue
            why = "opens, but its size or SHA-256 differs from the record"
        report.failures.append(Failure("attachments", attachment.id, "content", why))
