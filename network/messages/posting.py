"""Posting messages: sealed, once per client_id, with gapless per-channel seqs.

The message is written, its attachments bound and its audit record added in the
caller's transaction; the ``message`` event leaves only after the caller commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import Insert, Table, bindparam, inspect, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.util import identity_key

from network.audit import service as audit
from network.auth.models import User
from network.cases.access import access_channel
from network.cases.models import Channel
from network.core.errors import Conflict, InvalidInput
from network.core.events import DomainEvent, queue
from network.core.i18n import N_
from network.crypto import SCHEME_HUB_V1
from network.extensions import db
from network.messages.attachments import attachment_view
from network.messages.models import Attachment, Message
from network.messages.reading import message_view, opened

DEFAULT_MESSAGE_MAX_BYTES = 64 * 1024
MAX_ATTACHMENTS_PER_MESSAGE = 20
# The unique constraint that makes a retried send idempotent (uq_messages_client_id).
_CLIENT_ID = ["channel_id", "sender_id", "client_id"]
_MESSAGES = cast(Table, Message.__table__)
# Each column of a new message and the attribute that holds its value (the id comes back).
_VALUES = [
    (attribute.key, attribute.columns[0])
    for attribute in inspect(Message).column_attrs
    if attribute.key != "id"
]
_INSERTS: dict[str, Insert] = {}


def _check_size(body: str, max_bytes: int) -> None:
    """The configured limit of one message, in bytes of UTF-8."""
    if len(body.encode("utf-8")) > max_bytes:
        raise InvalidInput(
            N_("The message cannot be sent."), {"body": [N_("The message is too long.")]}
        )


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
            Attachment.request_id.is_(None),
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


def _insert_statement(dialect: str) -> Insert:
    """``INSERT ... ON CONFLICT DO NOTHING RETURNING id`` for this database, built once."""
    statement = _INSERTS.get(dialect)
    if statement is None:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = _INSERTS[dialect] = (
            insert(_MESSAGES)
            .on_conflict_do_nothing(index_elements=_CLIENT_ID)
            .returning(_MESSAGES.c.id)
        )
    return statement


def _insert_once(message: Message) -> bool:
    """Store a new message with one statement, unless its sender used its client_id here.

    ``INSERT ... ON CONFLICT DO NOTHING RETURNING id`` on the client_id's unique
    constraint: no read before the write. Stored, the message joins the session as
    if loaded (no flush, no read back); False if the client_id was already used.
    """
    values = {column.key: getattr(message, attribute) for attribute, column in _VALUES}
    connection = db.session.connection()
    statement = _insert_statement(connection.dialect.name)
    message_id = connection.execute(statement, values).scalar_one_or_none()
    if message_id is None:
        return False
    message.id = message_id
    make_transient_to_detached(message)
    # The session may still hold a message of a rolled-back send under this id (SQLite gives
    # ids again); the database just gave it to this one, so that one is stale.
    stale = db.session.identity_map.get(identity_key(Message, message_id))
    if stale is not None:
        db.session.expunge(stale)
    db.session.add(message)
    return True


def _find_sent(channel_id: int, sender_id: int, client_id: str) -> Message:
    return db.session.execute(
        select(Message).where(
            Message.channel_id == channel_id,
            Message.sender_id == sender_id,
            Message.client_id == client_id,
        )
    ).scalar_one()


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


# Move a channel's last seq under its row lock (PostgreSQL) or the write lock (SQLite).
_MOVE_SEQ = (
    update(Channel)
    .where(Channel.id == bindparam("channel_id"))
    .values(last_seq=Channel.last_seq + bindparam("step"))
    .returning(Channel.last_seq)
    .execution_options(synchronize_session=False)
)


def _next_seq(channel: Channel, step: int) -> int:
    """Move the channel's last seq by ``step`` under the row lock; the new value."""
    seq = db.session.execute(_MOVE_SEQ, {"channel_id": channel.id, "step": step}).scalar_one()
    db.session.expire(channel, ["last_seq"])
    return int(seq)


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
    and named here by id. The shape of the message is checked by its schema
    (``schemas.messages.MessageInput``) before it gets here.
    """
    channel = access_channel(actor, channel_id)
    _check_size(body, max_bytes)
    seq = _next_seq(channel, 1)
    message = Message(
        channel_id=channel.id,
        seq=seq,
        sender_id=actor.id,
        sender=actor,
        client_id=client_id,
        sent_at=now,
        handling_code=handling_code,
        reply_to_seq=reply_to_seq,
        corrects_seq=corrects_seq,
        scheme=SCHEME_HUB_V1,
        key_id=channel.data_key_id,
        body=body,
    )
    # Written under the lock, so a concurrent retry of the same send cannot slip in between;
    # a retry gives back its number (no gap) and answers with the stored message.
    if not _insert_once(message):
        _next_seq(channel, -1)
        existing = _find_sent(channel.id, actor.id, client_id)
        return _replay(existing, body, handling_code, reply_to_seq, corrects_seq, attachment_ids)

    # A refusal from here on is rolled back by the caller, with the message and its seq.
    _check_references(actor, channel.id, seq - 1, reply_to_seq, corrects_seq)
    attachments = _pending_attachments(actor, channel.id, attachment_ids) if attachment_ids else []
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
    view = opened(message, tuple(attachment_view(each) for each in attachments))
    queue(db.session(), DomainEvent("message", view, channel_id=channel.id))
    return message, True
