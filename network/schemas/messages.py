"""Shapes of messages, channels and read positions, over REST and Socket.IO alike."""

from __future__ import annotations

import re
from typing import Protocol

from marshmallow import Schema, ValidationError, fields, validate

from network.core.i18n import N_
from network.schemas.cases import CasePersonSchema
from network.schemas.common import StoredInteger, integrity_field
from network.schemas.vocabularies import HANDLING_CODES, ChannelKind

# --- Socket.IO events (unknown fields are refused) ------------------------------------------------


class JoinSchema(Schema):
    """``join``: the channel and the last seq the client already holds (0 for none)."""

    channel = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    after_seq = fields.Integer(load_default=0, strict=True, validate=validate.Range(min=0))


class ReadSchema(Schema):
    """``read``: the highest seq the member has now read."""

    channel = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    seq = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))


# --- output ---------------------------------------------------------------------------------------


class AttachmentSchema(Schema):
    id = fields.Integer()
    filename = fields.String(allow_none=True)
    size = fields.Integer()
    sha256 = fields.String()
    content_type = fields.String()
    integrity = integrity_field()


class MessageSenderSchema(Schema):
    id = fields.Integer(attribute="sender_id")
    name = fields.String(attribute="sender_name")
    state = fields.String(attribute="sender_state", allow_none=True)
    observer_body = fields.String(attribute="sender_body", allow_none=True)


_SENDER = MessageSenderSchema()  # built once: building a schema costs more than a dump


class MessageSchema(Schema):
    """The same keys as the Socket.IO ``message`` event."""

    id = fields.Integer()
    channel = fields.Integer(attribute="channel_id")
    seq = fields.Integer()
    sender = fields.Function(_SENDER.dump)
    sent_at = fields.DateTime()
    handling_code = fields.String()
    body = fields.String(allow_none=True)
    reply_to_seq = fields.Integer(allow_none=True)
    corrects_seq = fields.Integer(allow_none=True)
    attachments = fields.List(fields.Nested(AttachmentSchema))
    integrity = integrity_field()


class MessageListSchema(Schema):
    items = fields.List(fields.Nested(MessageSchema))
    total = fields.Integer(metadata={"description": "Messages in the channel (its last seq)."})
    page = fields.Integer()


class ChannelMemberSchema(Schema):
    id = fields.Integer(attribute="user_id")
    name = fields.String()
    state = fields.String(allow_none=True)
    observer_body = fields.String(allow_none=True)
    kind = fields.String()
    invited_by_state = fields.String(allow_none=True)


class ChannelSchema(Schema):
    id = fields.Integer()
    case = fields.Integer(attribute="case_id")
    requesting_state = fields.String()
    requested_state = fields.String(allow_none=True)
    kind = fields.String(metadata={"enum": [each.value for each in ChannelKind]})
    last_seq = fields.Integer()
    read_seq = fields.Integer()
    members = fields.List(fields.Nested(ChannelMemberSchema))


class _Reader(Protocol):
    user_id: int
    name: str
    state: str | None
    observer_body: str | None


def _reader(position: _Reader) -> dict[str, object]:
    """The member of a read position, as every member of the channel sees them."""
    return {
        "id": position.user_id,
        "name": position.name,
        "state": position.state,
        "observer_body": position.observer_body,
    }


class ReadPositionSchema(Schema):
    user = fields.Function(_reader)
    kind = fields.String()
    seq = fields.Integer()
    read_at = fields.DateTime(allow_none=True)


class ReceiptSchema(Schema):
    """The Socket.IO ``receipt`` event: a member has read the channel up to ``seq``."""

    channel = fields.Integer(attribute="channel_id")
    user = fields.Function(_reader)
    seq = fields.Integer()
    read_at = fields.DateTime()


class ReadPositionListSchema(Schema):
    items = fields.List(fields.Nested(ReadPositionSchema))
    total = fields.Integer()
    page = fields.Integer()


class ReadAnswerSchema(Schema):
    channel = fields.Integer()
    seq = fields.Integer()


class ObserverInvitationSchema(Schema):
    user = fields.Nested(CasePersonSchema)
    channel = fields.Integer()
    invited_by_state = fields.String(allow_none=True)


# --- input ----------------------------------------------------------------------------------------


class MessageArgs(Schema):
    after_seq = StoredInteger(load_default=0, validate=validate.Range(min=0))
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))


# A client's own id for a message: a retry with the same id is stored once.
_CLIENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")


def _client_id(value: str) -> None:
    if 1 <= len(value) <= 64 and not _CLIENT_ID.fullmatch(value):
        raise ValidationError(N_("1 to 64 letters, digits, dots, colons, dashes or underscores."))


def _written(body: str) -> None:
    if not body.strip():
        raise ValidationError(N_("Write a message."))


class MessageInput(Schema):
    """A message to post, over REST and (with its channel, as ``send``) over Socket.IO.

    Its shape is checked here once; the service checks the rules of the channel only
    (the configured size, the seqs it refers to, the files it attaches).
    """

    client_id = fields.String(required=True, validate=[validate.Length(min=1, max=64), _client_id])
    body = fields.String(required=True, validate=_written)
    handling_code = fields.String(
        required=True,
        validate=validate.OneOf(HANDLING_CODES, error=N_("Choose a handling code from H0 to H3.")),
    )
    reply_to_seq = StoredInteger(
        load_default=None, allow_none=True, strict=True, validate=validate.Range(min=1)
    )
    corrects_seq = StoredInteger(
        load_default=None, allow_none=True, strict=True, validate=validate.Range(min=1)
    )
    attachment_ids = fields.List(
        StoredInteger(strict=True, validate=validate.Range(min=1)),
        load_default=list,
        validate=validate.Length(max=20),
    )


class SendSchema(MessageInput):
    """``send``: a message and the channel it goes to (unknown fields are refused)."""

    channel = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))


class ReadInput(Schema):
    seq = StoredInteger(required=True, strict=True, validate=validate.Range(min=0))


class ObserverInput(Schema):
    user = StoredInteger(required=True, strict=True)


class ObserverPageInput(ObserverInput):
    """The case page's invitation form, whose chooser of an observer is named user_id."""

    user = StoredInteger(required=True, strict=True, data_key="user_id")


# --- Socket.IO acknowledgements and server events, as the AsyncAPI document describes them -------


class JoinAnswerSchema(Schema):
    """``join``'s acknowledgement: the backlog after ``after_seq``; ask again while ``more``."""

    channel = fields.Integer()
    messages = fields.List(fields.Nested(MessageSchema))
    more = fields.Boolean()


class SendAnswerSchema(Schema):
    """``send``'s acknowledgement, once the message is committed; ``created`` false on a retry."""

    seq = fields.Integer()
    id = fields.Integer()
    created = fields.Boolean()


class MembershipEventSchema(Schema):
    """``membership_started`` and ``membership_ended``: a seat in a channel of a case."""

    channel = fields.Integer()
    case = fields.Integer()
    user = fields.Integer(metadata={"description": "The member whose seat ended."})


class RemovedSchema(Schema):
    """``removed``: this socket no longer receives the channel (the member left or was removed)."""

    channel = fields.Integer()


class NotificationPushSchema(Schema):
    """``notification``: a new notice of the user's, and how many are unread now."""

    id = fields.Integer()
    kind = fields.String()
    case = fields.Integer(allow_none=True)
    subject = fields.String()
    link = fields.String()
    created_at = fields.DateTime()
    unread = fields.Integer()
