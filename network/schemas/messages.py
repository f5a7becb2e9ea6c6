"""Shapes of messages, channels and read positions, over REST and Socket.IO alike."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from network.schemas.cases import CasePersonSchema
from network.schemas.common import StoredInteger, integrity_field
from network.schemas.vocabularies import HANDLING_CODES

# --- Socket.IO events (unknown fields are refused) ------------------------------------------------


class JoinSchema(Schema):
    """``join``: the channel and the last seq the client already holds (0 for none)."""

    channel = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    after_seq = fields.Integer(load_default=0, strict=True, validate=validate.Range(min=0))


class SendSchema(Schema):
    """``send``: a message with the client's own id, so that a retry is stored once."""

    channel = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    client_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    body = fields.String(required=True)
    handling_code = fields.String(required=True)
    reply_to_seq = fields.Integer(
        load_default=None, allow_none=True, strict=True, validate=validate.Range(min=1)
    )
    corrects_seq = fields.Integer(
        load_default=None, allow_none=True, strict=True, validate=validate.Range(min=1)
    )
    attachment_ids = fields.List(
        fields.Integer(strict=True, validate=validate.Range(min=1)),
        load_default=list,
        validate=validate.Length(max=20),
    )


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
    requested_state = fields.String()
    last_seq = fields.Integer()
    read_seq = fields.Integer()
    members = fields.List(fields.Nested(ChannelMemberSchema))


class ReadPositionSchema(Schema):
    user = fields.Function(
        lambda p: {
            "id": p.user_id,
            "name": p.name,
            "state": p.state,
            "observer_body": p.observer_body,
        }
    )
    kind = fields.String()
    seq = fields.Integer()
    read_at = fields.DateTime(allow_none=True)


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


class MessageInput(Schema):
    client_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    body = fields.String(required=True)
    handling_code = fields.String(required=True, validate=validate.OneOf(HANDLING_CODES))
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


class ReadInput(Schema):
    seq = StoredInteger(required=True, strict=True, validate=validate.Range(min=0))


class ObserverInput(Schema):
    user = StoredInteger(required=True, strict=True)
