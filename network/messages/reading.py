"""Reading channels: messages opened in order, read positions, unread counts and case search.

Every function takes the acting user, checks access through ``access_channel`` or
``access_case`` and returns read models; reads of content are audited by seq range,
never by content.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import lazyload

from network.audit import service as audit
from network.auth.models import User
from network.cases.access import (
    access_case,
    access_channel,
    current_membership,
    may_hold,
    memberships_in_case,
    seat_kinds,
)
from network.cases.models import Channel, ChannelMember
from network.core.errors import InvalidInput
from network.core.events import DomainEvent, queue
from network.core.i18n import N_
from network.directory.models import ObserverBody
from network.extensions import db
from network.messages.attachments import AttachmentView, attachment_view
from network.messages.models import Attachment, Message
from network.schemas.vocabularies import ChannelKind, MemberKind
from network.sealing.integrity import OK, Opened

MAX_PAGE = 500
MAX_SEARCH_RESULTS = 200


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


@dataclass(frozen=True)
class ReadPosition:
    """How far one member has read a channel; also the ``receipt`` event when it moves."""

    channel_id: int
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
    # None for a multilateral channel, whose accepted States are in ``parties``.
    requested_state: str | None
    last_seq: int
    read_seq: int
    members: list[MemberView] = field(default_factory=list)
    kind: str = ChannelKind.BILATERAL.value


# --- opening messages ------------------------------------------------------------------------


@dataclass(frozen=True)
class Sender:
    """What a message shows of its sender: read with a page's messages, not per message."""

    name: str
    state: str | None
    body: str | None


def sender_of(user: User) -> Sender:
    return Sender(user.name, user.state_code, user.body.acronym if user.body else None)


def message_views(
    messages: Sequence[Message], senders: Sequence[Sender] | None = None
) -> list[MessageView]:
    """Open a batch of messages of one channel, with their attachments in one query.

    ``senders``, one per message, when the page's query read them beside the messages.
    """
    by_message: dict[int, list[AttachmentView]] = {}
    if messages:
        attached = db.session.scalars(
            select(Attachment)
            .where(Attachment.message_id.in_([each.id for each in messages]))
            .order_by(Attachment.id)
        ).all()
        for attachment in attached:
            by_message.setdefault(attachment.message_id or 0, []).append(
                attachment_view(attachment)
            )
    shown: Sequence[Sender | None] = senders or [None] * len(messages)
    return [
        opened(each, tuple(by_message.get(each.id, ())), sender)
        for each, sender in zip(messages, shown, strict=True)
    ]


def opened(
    message: Message, attachments: tuple[AttachmentView, ...], sender: Sender | None = None
) -> MessageView:
    """A message as members see it; a body that fails its integrity check is None, flagged."""
    sealed = Opened(message)
    shown = sender or sender_of(message.sender)
    return MessageView(
        id=message.id,
        channel_id=message.channel_id,
        seq=message.seq,
        sender_id=message.sender_id,
        sender_name=shown.name,
        sender_state=shown.state,
        sender_body=shown.body,
        sent_at=message.sent_at,
        handling_code=message.handling_code,
        body=sealed[Message.body],
        reply_to_seq=message.reply_to_seq,
        corrects_seq=message.corrects_seq,
        attachments=attachments,
        integrity=sealed.integrity,
    )


def message_view(message: Message) -> MessageView:
    """Open one message already obtained through this package (e.g. from ``post_message``)."""
    return message_views([message])[0]


@dataclass(frozen=True)
class MessagePage:
    """Messages after a seq, and the channel's last seq when they were read."""

    items: list[MessageView]
    last_seq: int


def messages_after(actor: User, channel_id: int, after_seq: int, limit: int) -> list[MessageView]:
    """Messages after after_seq, in order, opened; audited by seq range, never content."""
    return message_page(actor, channel_id, after_seq, limit).items


def message_page(actor: User, channel_id: int, after_seq: int, limit: int) -> MessagePage:
    """``messages_after`` with the channel's last seq, read with the same access check.

    Three reads whatever the page holds: the channel with the membership, the messages with
    their senders' names (not each sender's user, State and body loaded per message), and
    their attachments; then the audit record of the range.
    """
    channel = access_channel(actor, channel_id)
    if after_seq < 0 or not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(
            N_("Invalid range."),
            {"after_seq": [N_("0 or more.")], "limit": [N_("From 1 to %(max)s.")]},
            max=MAX_PAGE,
        )
    rows = db.session.execute(
        select(Message, User.name, User.state_code, ObserverBody.acronym)
        .join(User, User.id == Message.sender_id)
        .outerjoin(ObserverBody, ObserverBody.id == User.body_id)
        .options(lazyload(Message.sender))
        .where(Message.channel_id == channel.id, Message.seq > after_seq)
        .order_by(Message.seq)
        .limit(limit)
    ).all()
    if not rows:
        return MessagePage([], channel.last_seq)
    views = message_views([row.Message for row in rows], [Sender(*row[1:]) for row in rows])
    audit.record(
        actor,
        "messages.read",
        "channel",
        channel.id,
        {"from_seq": views[0].seq, "to_seq": views[-1].seq, "count": len(views)},
    )
    # Not behind its own last message, should one have been committed since the channel was read.
    return MessagePage(views, max(channel.last_seq, views[-1].seq))


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
                for each in message_views(batch)
                if each.body is None or needle in each.body.casefold()
            )
            after = batch[-1].seq
    found.sort(key=lambda each: each.sent_at, reverse=True)
    found = found[:MAX_SEARCH_RESULTS]
    audit.record(actor, "case.searched", "case", case_id, {"matches": len(found)})
    return found


# --- read positions --------------------------------------------------------------------------


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
        # The moment of this read as given, whatever precision the database keeps.
        receipt = replace(_position(membership, actor), seq=seq, read_at=now)
        queue(db.session(), DomainEvent("receipt", receipt, channel_id=channel.id))
    return membership.read_seq


def read_positions(actor: User, channel_id: int) -> list[ReadPosition]:
    """Every current member's read position, so a sender sees who has read what."""
    channel = access_channel(actor, channel_id)
    members = db.session.scalars(
        select(ChannelMember)
        .where(ChannelMember.channel_id == channel.id, ChannelMember.removed_at.is_(None))
        .order_by(ChannelMember.id)
    ).all()
    return [_position(each, each.user) for each in members if may_hold(each.user, each)]


def _position(member: ChannelMember, user: User) -> ReadPosition:
    return ReadPosition(
        channel_id=member.channel_id,
        user_id=user.id,
        name=user.name,
        state=user.state_code,
        observer_body=user.body.acronym if user.body else None,
        kind=member.kind,
        seq=member.read_seq,
        read_at=member.read_at,
    )


def _unread_by_channel(
    actor: User, case_ids: Sequence[int] | None
) -> list[tuple[int, int, int]]:
    """(case, channel, unread) for each channel the actor sits in, in one query.

    Seqs have no gaps, so a channel's unread messages number its last seq minus the read
    position; only the actor's own messages past that position are counted, as a range of
    the (channel, sender, seq) index that reads no message row.
    """
    own_past_read = (
        select(func.count())
        .select_from(Message)
        .where(
            Message.channel_id == ChannelMember.channel_id,
            Message.sender_id == actor.id,
            Message.seq > ChannelMember.read_seq,
        )
        .scalar_subquery()
    )
    query = (
        select(
            Channel.case_id, Channel.id, ChannelMember.kind,
            Channel.last_seq - ChannelMember.read_seq, own_past_read,
        )
        .join(Channel, Channel.id == ChannelMember.channel_id)
        .where(ChannelMember.user_id == actor.id, ChannelMember.removed_at.is_(None))
    )
    if case_ids is not None:
        query = query.where(Channel.case_id.in_(case_ids))
    allowed = seat_kinds(actor)
    return [
        (case_id, channel_id, past_read - own)
        for case_id, channel_id, kind, past_read, own in db.session.execute(query)
        if kind in allowed
    ]


def unread_counts(actor: User, case_ids: Sequence[int] | None = None) -> dict[int, int]:
    """Per case the actor belongs to (or of ``case_ids``): messages from others past their
    read positions, in one query. Every case the actor may read has an entry, zero included.
    """
    counts: dict[int, int] = {}
    for case_id, _channel_id, unread in _unread_by_channel(actor, case_ids):
        counts[case_id] = counts.get(case_id, 0) + unread
    return counts


def channel_unread_counts(actor: User, case_id: int) -> dict[int, int]:
    """Per channel of one case the actor sits in: messages from others past their read position."""
    rows = _unread_by_channel(actor, [case_id])
    return {channel_id: unread for _case, channel_id, unread in rows}


# --- the channel and its members -------------------------------------------------------------


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
        kind=channel.kind,
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


def is_party(actor: User, channel_id: int) -> bool:
    """Whether the actor sits in the channel for a State (not as an observer)."""
    membership = current_membership(actor.id, channel_id)
    return (
        may_hold(actor, membership)
        and membership is not None
        and (membership.kind == MemberKind.PARTY.value)
    )


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
