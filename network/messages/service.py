"""Message services: sealed messages with gapless seqs, read positions, search and attachments.

Every function takes the acting user and plain values, checks access through
``access_channel``/``access_case``, writes its audit record in the caller's
transaction and flushes; the entry point commits once. Events for the socket
layer are queued on the session and leave only after that commit.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update

from network.audit import service as audit
from network.auth.models import User
from network.cases.access import (
    access_case,
    access_channel,
    channel_rooms_for,
    current_membership,
    is_member,
    may_hold,
    memberships_in_case,
)
from network.cases.models import Channel, ChannelMember
from network.core.errors import Conflict, InvalidInput, NotFound
from network.core.events import DomainEvent, queue
from network.core.i18n import N_
from network.crypto import SCHEME_HUB_V1, CryptoError, FileTooLarge
from network.extensions import db
from network.messages import storage
from network.messages.models import Attachment, Message
from network.schemas.vocabularies import HANDLING_CODES, MemberKind
from network.sealing.integrity import OK, DataKeys, Failure, Opened, Report, reason

__all__ = [
    "DEFAULT_MESSAGE_MAX_BYTES",
    "HANDLING_CODES",
    "AttachmentTooLarge",
    "AttachmentView",
    "ChannelView",
    "MemberView",
    "MessageView",
    "ReadPosition",
    "access_channel",
    "channel_rooms_for",
    "channel_view",
    "is_member",
    "mark_read",
    "membership_changes_since",
    "message_payload",
    "message_view",
    "messages_after",
    "open_attachment",
    "post_message",
    "read_positions",
    "search_messages",
    "store_attachment",
    "unread_counts",
    "verify_files",
]

DEFAULT_MESSAGE_MAX_BYTES = 64 * 1024
MAX_PAGE = 500
MAX_ATTACHMENTS_PER_MESSAGE = 20
MAX_SEARCH_RESULTS = 200
_CLIENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")


class AttachmentTooLarge(InvalidInput):
    """The file is larger than the configured limit; nothing of it was kept."""

    status = 413


# --- views: what the edges serialise and the socket layer emits -----------------------------


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

    def as_payload(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "filename": self.filename,
            "size": self.size,
            "sha256": self.sha256,
            "content_type": self.content_type,
            "integrity": self.integrity,
        }


@dataclass(frozen=True)
class MessageView:
    """A message with its body opened, as members see it.

    A body that fails its integrity check is None, and ``integrity`` says ``failed``;
    the other messages are served as usual.
    """

    id: int
    channel_id: int
    seq: int
    sender_id: int
    sender_name: str
    sender_state: str | None
    sender_body: str | None
    sent_at: datetime
    handling_code: str
    body: str | None
    reply_to_seq: int | None
    corrects_seq: int | None
    attachments: tuple[AttachmentView, ...] = ()
    integrity: str = OK

    def as_payload(self) -> dict[str, Any]:
        """The JSON-ready ``message`` event and REST item; both use exactly these keys."""
        return {
            "id": self.id,
            "channel": self.channel_id,
            "seq": self.seq,
            "sender": {
                "id": self.sender_id,
                "name": self.sender_name,
                "state": self.sender_state,
                "observer_body": self.sender_body,
            },
            "sent_at": self.sent_at.isoformat(),
            "handling_code": self.handling_code,
            "body": self.body,
            "reply_to_seq": self.reply_to_seq,
            "corrects_seq": self.corrects_seq,
            "attachments": [each.as_payload() for each in self.attachments],
            "integrity": self.integrity,
        }


@dataclass(frozen=True)
class ReadPosition:
    """How far one member has read a channel."""

    user_id: int
    name: str
    state: str | None
    observer_body: str | None
    kind: str
    seq: int
    read_at: datetime | None


@dataclass(frozen=True)
class MemberView:
    user_id: int
    name: str
    state: str | None
    observer_body: str | None
    kind: str
    invited_by_state: str | None


@dataclass(frozen=True)
class ChannelView:
    id: int
    case_id: int
    requesting_state: str
    requested_state: str
    last_seq: int
    read_seq: int
    members: list[MemberView] = field(default_factory=list)


def _person(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "name": user.name,
        "state": user.state_code,
        "observer_body": user.body.acronym if user.body else None,
    }


# --- sealing ---------------------------------------------------------------------------------


def _attachment_view(attachment: Attachment) -> AttachmentView:
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


def _views(messages: Sequence[Message]) -> list[MessageView]:
    """Open a batch of messages of one channel, with their attachments in one query."""
    by_message: dict[int, list[AttachmentView]] = {}
    if messages:
        attached = db.session.scalars(
            select(Attachment)
            .where(Attachment.message_id.in_([each.id for each in messages]))
            .order_by(Attachment.id)
        ).all()
        for attachment in attached:
            by_message.setdefault(attachment.message_id or 0, []).append(
                _attachment_view(attachment)
            )
    return [_view(each, tuple(by_message.get(each.id, ()))) for each in messages]


def _view(message: Message, attachments: tuple[AttachmentView, ...]) -> MessageView:
    """A message as members see it; a body that fails its integrity check is None, flagged."""
    sealed = Opened(message)
    return MessageView(
        id=message.id,
        channel_id=message.channel_id,
        seq=message.seq,
        sender_id=message.sender_id,
        sender_name=message.sender.name,
        sender_state=message.sender.state_code,
        sender_body=message.sender.body.acronym if message.sender.body else None,
        sent_at=message.sent_at,
        handling_code=message.handling_code,
        body=sealed[Message.body],
        reply_to_seq=message.reply_to_seq,
        corrects_seq=message.corrects_seq,
        attachments=attachments,
        integrity=sealed.integrity,
    )


def message_payload(view: MessageView) -> dict[str, Any]:
    """The JSON-ready dict of a message, as in the ``message`` event."""
    return view.as_payload()


def message_view(message: Message) -> MessageView:
    """Open one message already obtained through this module (e.g. from ``post_message``)."""
    return _views([message])[0]


# --- messages --------------------------------------------------------------------------------


def _check_message(client_id: str, body: str, handling_code: str, max_bytes: int) -> None:
    errors: dict[str, list[str]] = {}
    if not isinstance(client_id, str) or not _CLIENT_ID.fullmatch(client_id):
        errors["client_id"] = [N_("1 to 64 letters, digits, dots, colons, dashes or underscores.")]
    if not isinstance(body, str) or not body.strip():
        errors["body"] = [N_("Write a message.")]
    elif len(body.encode("utf-8")) > max_bytes:
        errors["body"] = [N_("The message is too long.")]
    if handling_code not in HANDLING_CODES:
        errors["handling_code"] = [N_("Choose a handling code from H0 to H3.")]
    if errors:
        raise InvalidInput(N_("The message cannot be sent."), errors)


def _check_references(
    actor: User, channel_id: int, last_seq: int, reply_to_seq: int | None, corrects_seq: int | None
) -> None:
    errors: dict[str, list[str]] = {}
    if reply_to_seq is not None and not 1 <= reply_to_seq <= last_seq:
        errors["reply_to_seq"] = [N_("No message with this number in the channel.")]
    if corrects_seq is not None:
        corrected = db.session.scalar(
            select(Message).where(Message.channel_id == channel_id, Message.seq == corrects_seq)
        )
        if corrected is None or corrected.sender_id != actor.id:
            errors["corrects_seq"] = [N_("You can correct only your own messages in this channel.")]
    if errors:
        raise InvalidInput(N_("The message cannot be sent."), errors)


def _pending_attachments(
    actor: User, channel_id: int, attachment_ids: Sequence[int]
) -> list[Attachment]:
    wanted = sorted(set(attachment_ids))
    if len(wanted) > MAX_ATTACHMENTS_PER_MESSAGE:
        raise InvalidInput(
            N_("The message cannot be sent."),
            {"attachment_ids": [N_("At most %(max)s files per message.")]},
            max=MAX_ATTACHMENTS_PER_MESSAGE,
        )
    found = db.session.scalars(
        select(Attachment).where(
            Attachment.id.in_(wanted),
            Attachment.channel_id == channel_id,
            Attachment.uploader_id == actor.id,
            Attachment.message_id.is_(None),
        )
    ).all()
    if len(found) != len(wanted):
        raise InvalidInput(
            N_("The message cannot be sent."),
            {
                "attachment_ids": [
                    N_("Attach only files you uploaded to this channel and not yet sent.")
                ]
            },
        )
    return list(found)


def _find_sent(channel_id: int, sender_id: int, client_id: str) -> Message | None:
    return db.session.scalar(
        select(Message).where(
            Message.channel_id == channel_id,
            Message.sender_id == sender_id,
            Message.client_id == client_id,
        )
    )


def _replay(
    existing: Message,
    body: str,
    handling_code: str,
    reply_to_seq: int | None,
    corrects_seq: int | None,
    attachment_ids: Sequence[int],
) -> tuple[Message, bool]:
    """A retried send: the stored message if it is the same one, a conflict otherwise."""
    view = message_view(existing)
    same = (
        view.body == body
        and view.handling_code == handling_code
        and view.reply_to_seq == reply_to_seq
        and view.corrects_seq == corrects_seq
        and sorted(each.id for each in view.attachments) == sorted(set(attachment_ids))
    )
    if not same:
        raise Conflict(N_("This client_id was already used for a different message."))
    return existing, False


def post_message(
    actor: User,
    channel_id: int,
    *,
    client_id: str,
    body: str,
    handling_code: str = "H0",
    reply_to_seq: int | None = None,
    corrects_seq: int | None = None,
    attachment_ids: Sequence[int] = (),
    max_bytes: int = DEFAULT_MESSAGE_MAX_BYTES,
    now: datetime,
) -> tuple[Message, bool]:
    """Append a message once per client_id; returns it and whether it was new.

    The seq comes from ``channels.last_seq``, incremented by an UPDATE that
    locks the channel row until commit (PostgreSQL) or takes the database write
    lock (SQLite), so concurrent senders get consecutive numbers and a rolled
    back send leaves no gap. Attachments are uploaded first (``store_attachment``)
    and named here by id.
    """
    channel = access_channel(actor, channel_id)
    _check_message(client_id, body, handling_code, max_bytes)
    seq = db.session.execute(
        update(Channel)
        .where(Channel.id == channel.id)
        .values(last_seq=Channel.last_seq + 1)
        .returning(Channel.last_seq)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    db.session.expire(channel, ["last_seq"])
    # Asked under the lock, so a concurrent retry of the same send cannot slip in between;
    # a retry gives back its number (no gap) and answers with the stored message.
    existing = _find_sent(channel.id, actor.id, client_id)
    if existing is not None:
        db.session.execute(
            update(Channel)
            .where(Channel.id == channel.id)
            .values(last_seq=Channel.last_seq - 1)
            .execution_options(synchronize_session=False)
        )
        return _replay(existing, body, handling_code, reply_to_seq, corrects_seq, attachment_ids)

    _check_references(actor, channel.id, seq - 1, reply_to_seq, corrects_seq)
    attachments = _pending_attachments(actor, channel.id, attachment_ids) if attachment_ids else []
    message = Message(
        channel_id=channel.id,
        seq=seq,
        sender_id=actor.id,
        client_id=client_id,
        sent_at=now,
        handling_code=handling_code,
        reply_to_seq=reply_to_seq,
        corrects_seq=corrects_seq,
        scheme=SCHEME_HUB_V1,
        key_id=channel.data_key_id,
        body=body,
    )
    db.session.add(message)
    db.session.flush()
    for attachment in attachments:
        attachment.message_id = message.id
    audit.record(
        actor,
        "message.sent",
        "message",
        message.id,
        {"channel": channel.id, "seq": seq, "attachments": [each.id for each in attachments]},
        at=now,
    )
    # The sender's own words and files, not read back: this path runs once per message sent.
    view = _view(message, tuple(_attachment_view(each) for each in attachments))
    queue(db.session(), DomainEvent("message", f"channel:{channel.id}", view.as_payload()))
    return message, True


def messages_after(actor: User, channel_id: int, after_seq: int, limit: int) -> list[MessageView]:
    """Messages after after_seq, in order, opened; audited by seq range, never content."""
    channel = access_channel(actor, channel_id)
    if after_seq < 0 or not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(
            N_("Invalid range."),
            {"after_seq": [N_("0 or more.")], "limit": [N_("From 1 to %(max)s.")]},
            max=MAX_PAGE,
        )
    messages = db.session.scalars(
        select(Message)
        .where(Message.channel_id == channel.id, Message.seq > after_seq)
        .order_by(Message.seq)
        .limit(limit)
    ).all()
    if not messages:
        return []
    views = _views(messages)
    audit.record(
        actor,
        "messages.read",
        "channel",
        channel.id,
        {"from_seq": views[0].seq, "to_seq": views[-1].seq, "count": len(views)},
    )
    return views


def mark_read(actor: User, channel_id: int, seq: int, now: datetime) -> int:
    """Move the actor's read position forward (never back); returns the position now held."""
    channel = access_channel(actor, channel_id)
    membership = current_membership(actor.id, channel.id)
    assert membership is not None  # noqa: S101 - access_channel has just checked it
    if seq < 0 or seq > channel.last_seq:
        raise InvalidInput(
            N_("Invalid read position."), {"seq": [N_("No message with this number.")]}
        )
    if seq <= membership.read_seq:
        return membership.read_seq
    previous = membership.read_seq
    moved = db.session.execute(
        update(ChannelMember)
        .where(ChannelMember.id == membership.id, ChannelMember.read_seq < seq)
        .values(read_seq=seq, read_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(membership, ["read_seq", "read_at"])
    if moved.rowcount == 1:  # type: ignore[attr-defined]  # CursorResult has rowcount
        # Messages shown live are read here, when the member's client marks them read.
        audit.record(
            actor,
            "messages.marked_read",
            "channel",
            channel.id,
            {"after_seq": previous, "to_seq": seq},
            at=now,
        )
        queue(
            db.session(),
            DomainEvent(
                "receipt",
                f"channel:{channel.id}",
                {
                    "channel": channel.id,
                    "user": _person(actor),
                    "seq": seq,
                    "read_at": now.isoformat(),
                },
            ),
        )
    return membership.read_seq


def read_positions(actor: User, channel_id: int) -> list[ReadPosition]:
    """Every current member's read position, so a sender sees who has read what."""
    channel = access_channel(actor, channel_id)
    members = db.session.scalars(
        select(ChannelMember)
        .where(ChannelMember.channel_id == channel.id, ChannelMember.removed_at.is_(None))
        .order_by(ChannelMember.id)
    ).all()
    return [
        ReadPosition(
            user_id=each.user_id,
            name=each.user.name,
            state=each.user.state_code,
            observer_body=each.user.body.acronym if each.user.body else None,
            kind=each.kind,
            seq=each.read_seq,
            read_at=each.read_at,
        )
        for each in members
        if may_hold(each.user, each)
    ]


def channel_view(actor: User, channel_id: int) -> ChannelView:
    """A channel's sides, members (observers included, visible to all) and the actor's position."""
    channel = access_channel(actor, channel_id)
    members = db.session.scalars(
        select(ChannelMember)
        .where(ChannelMember.channel_id == channel.id, ChannelMember.removed_at.is_(None))
        .order_by(ChannelMember.kind.desc(), ChannelMember.id)
    ).all()
    own = next(each for each in members if each.user_id == actor.id)
    return ChannelView(
        id=channel.id,
        case_id=channel.case_id,
        requesting_state=channel.case.requesting_state,
        requested_state=channel.requested_state,
        last_seq=channel.last_seq,
        read_seq=own.read_seq,
        members=[
            MemberView(
                user_id=each.user_id,
                name=each.user.name,
                state=each.user.state_code,
                observer_body=each.user.body.acronym if each.user.body else None,
                kind=each.kind,
                invited_by_state=each.invited_by_state,
            )
            for each in members
            if may_hold(each.user, each)
        ],
    )


def unread_counts(actor: User) -> dict[int, int]:
    """Per case the actor belongs to: messages from others past the actor's read positions.

    Every case the actor may read has an entry, zero included.
    """
    memberships = db.session.execute(
        select(ChannelMember, Channel.case_id)
        .join(Channel, Channel.id == ChannelMember.channel_id)
        .where(ChannelMember.user_id == actor.id, ChannelMember.removed_at.is_(None))
    ).all()
    counts: dict[int, int] = {}
    readable: list[int] = []
    for membership, case_id in memberships:
        if may_hold(actor, membership):
            counts.setdefault(case_id, 0)
            readable.append(membership.id)
    if not readable:
        return counts
    rows = db.session.execute(
        select(Channel.case_id, func.count(Message.id))
        .join(ChannelMember, ChannelMember.channel_id == Channel.id)
        .join(Message, Message.channel_id == Channel.id)
        .where(
            ChannelMember.id.in_(readable),
            Message.seq > ChannelMember.read_seq,
            Message.sender_id != actor.id,
        )
        .group_by(Channel.case_id)
    ).all()
    for case_id, count in rows:
        counts[case_id] = count
    return counts


def search_messages(actor: User, case_id: int, query: str) -> list[MessageView]:
    """Messages of the case's channels the actor belongs to whose body contains the query.

    Bodies are sealed, so the database cannot search them: this opens every
    message of those channels and filters in memory (case-insensitively). That
    is acceptable at the size of one case's conversation; an encrypted index
    would be needed for more. Returns at most MAX_SEARCH_RESULTS, newest first.
    """
    access_case(actor, case_id)
    needle = query.strip().casefold()
    if not needle or len(needle) > 200:
        raise InvalidInput(N_("Invalid search."), {"q": [N_("1 to 200 characters.")]})
    found: list[MessageView] = []
    for membership in memberships_in_case(actor, case_id):
        channel = db.session.get(Channel, membership.channel_id)
        assert channel is not None  # noqa: S101 - a membership's channel exists (foreign key)
        after = 0
        while True:
            batch = db.session.scalars(
                select(Message)
                .where(Message.channel_id == channel.id, Message.seq > after)
                .order_by(Message.seq)
                .limit(MAX_PAGE)
            ).all()
            if not batch:
                break
            # A message that fails its integrity check cannot be searched: it is listed, flagged.
            found.extend(
                each
                for each in _views(batch)
                if each.body is None or needle in each.body.casefold()
            )
            after = batch[-1].seq
    found.sort(key=lambda each: each.sent_at, reverse=True)
    found = found[:MAX_SEARCH_RESULTS]
    audit.record(actor, "case.searched", "case", case_id, {"matches": len(found)})
    return found


def membership_changes_since(moment: datetime) -> list[tuple[int, int]]:
    """(user_id, channel_id) of memberships ended at or after ``moment``, for evicting sockets.

    Works across processes because it reads the database; the socket layer polls it.
    """
    rows = db.session.execute(
        select(ChannelMember.user_id, ChannelMember.channel_id)
        .where(ChannelMember.removed_at.is_not(None), ChannelMember.removed_at >= moment)
        .order_by(ChannelMember.removed_at)
    ).all()
    return [(user_id, channel_id) for user_id, channel_id in rows]


# --- attachments -----------------------------------------------------------------------------


def store_attachment(
    actor: User,
    channel_id: int,
    *,
    filename: str,
    stream: storage.ByteSource,
    declared_size: int | None,
    directory: Path,
    max_bytes: int,
    now: datetime,
) -> AttachmentView:
    """Encrypt an upload to a server-named file, streaming; attach it later with post_message.

    An oversized upload, or one shorter than its declared size, leaves no file and
    no row. The SHA-256 is of the plaintext, so the recipient can verify it.
    """
    channel = access_channel(actor, channel_id)
    try:
        name = storage.sanitise_filename(filename)
    except storage.BadFilename:
        raise InvalidInput(
            N_("The file name is not accepted."),
            {"file": [N_("Rename the file: no slashes, backslashes or control characters.")]},
        ) from None
    if declared_size is not None and declared_size > max_bytes:
        raise AttachmentTooLarge(
            N_("The file is too large."), {"file": [N_("At most %(max)s bytes.")]}, max=max_bytes
        )
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
        result = storage.write_encrypted(
            directory, stored_name, *Attachment.content.sealing(attachment), sniffer, max_bytes
        )
    except FileTooLarge:
        raise AttachmentTooLarge(
            N_("The file is too large."), {"file": [N_("At most %(max)s bytes.")]}, max=max_bytes
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
        storage.discard(directory, stored_name)
        raise
    return _attachment_view(attachment)


def open_attachment(
    actor: User, attachment_id: int, *, directory: Path, now: datetime
) -> tuple[AttachmentView, Iterator[bytes]]:
    """An attachment and its plaintext as a stream of segments, each authenticated.

    Members of its channel may download it once it is attached to a message;
    before that, only its uploader. The download is audited.
    """
    attachment = db.session.get(Attachment, attachment_id)
    try:
        if attachment is None:
            raise NotFound(N_("No such attachment."))
        access_channel(actor, attachment.channel_id)
        if attachment.message_id is None and attachment.uploader_id != actor.id:
            raise NotFound(N_("No such attachment."))
    except NotFound:
        raise NotFound(N_("No such attachment.")) from None
    view = _attachment_view(attachment)
    chunks = storage.read_decrypted(
        directory, attachment.stored_name, *Attachment.content.sealing(attachment)
    )
    audit.record(
        actor,
        "attachment.downloaded",
        "attachment",
        attachment.id,
        {"channel": attachment.channel_id},
        at=now,
    )
    return view, chunks


def verify_files(directory: Path, data_keys: DataKeys, report: Report) -> None:
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
            for chunk in storage.read_decrypted(directory, attachment.stored_name, key, place):
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


def is_party(actor: User, channel_id: int) -> bool:
    """Whether the actor sits in the channel for a State (not as an observer)."""
    membership = current_membership(actor.id, channel_id)
    return (
        may_hold(actor, membership)
        and membership is not None
        and (membership.kind == MemberKind.PARTY.value)
    )
