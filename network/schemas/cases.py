"""Shapes of cases: the case, its team, observers, stage and seat history, and case search."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from network.schemas.common import StoredInteger, integrity_field
from network.schemas.vocabularies import ChannelKind, PartyAnswer, SeatKind, SeatMove, Stage

# --- output ---------------------------------------------------------------------------------------


class CasePersonSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    state = fields.String(allow_none=True)
    observer_body = fields.String(allow_none=True)
    role = fields.String()


class ChannelPartySchema(Schema):
    """An invited State of a multilateral channel and its answer."""

    state = fields.String()
    answer = fields.String(metadata={"enum": [each.value for each in PartyAnswer]})
    answered_at = fields.DateTime(allow_none=True)


class ChannelRefSchema(Schema):
    """A channel of the case: bilateral (its ``requested_state``) or multilateral (``parties``)."""

    id = fields.Integer()
    kind = fields.String(metadata={"enum": [each.value for each in ChannelKind]})
    requested_state = fields.String(allow_none=True)
    parties = fields.List(fields.Nested(ChannelPartySchema))


class InvitationSchema(Schema):
    """What an invited State sees of a multilateral channel: that it exists, and its own answer."""

    channel = fields.Integer(attribute="channel_id")
    case = fields.Integer(attribute="case_id")
    state = fields.String()
    answer = fields.String(metadata={"enum": [each.value for each in PartyAnswer]})
    answered_at = fields.DateTime(allow_none=True)


class ObserverSeatSchema(Schema):
    user = fields.Nested(CasePersonSchema, attribute="person")
    channel = fields.Integer(attribute="channel_id")
    invited_by_state = fields.String(allow_none=True)


class StageStepSchema(Schema):
    from_stage = fields.String(data_key="from", allow_none=True)
    to_stage = fields.String(data_key="to")
    reason = fields.String(allow_none=True)
    changed_by = fields.Nested(CasePersonSchema)
    changed_at = fields.DateTime()
    integrity = integrity_field()


class CaseSchema(Schema):
    """A case in a list: what the caller's sides may see of it."""

    id = fields.Integer()
    title = fields.String(allow_none=True)
    requesting_state = fields.String()
    requested_states = fields.List(fields.String())
    stage = fields.String()
    channels = fields.List(fields.Nested(ChannelRefSchema))
    references = fields.Dict(keys=fields.String(), values=fields.String())
    unread = fields.Integer()
    opened_at = fields.DateTime()
    integrity = integrity_field()


class CaseDetailSchema(CaseSchema):
    """One case with its summary, team, observers and stage history."""

    summary = fields.String(allow_none=True)
    team = fields.List(fields.Nested(CasePersonSchema))
    observers = fields.List(fields.Nested(ObserverSeatSchema))
    invitations = fields.List(fields.Nested(InvitationSchema))
    stage_history = fields.List(fields.Nested(StageStepSchema))


class HistoryLineSchema(Schema):
    """Who joined or left which side (``state``) or channel, when, by whom, and why."""

    id = fields.Integer()
    move = fields.String(metadata={"enum": [each.value for each in SeatMove]})
    seat = fields.String(metadata={"enum": [each.value for each in SeatKind]})
    state = fields.String()
    channel = fields.Integer(attribute="channel_id", allow_none=True)
    user = fields.Nested(CasePersonSchema, attribute="person")
    by = fields.Nested(CasePersonSchema)
    at = fields.DateTime()
    reason = fields.String(allow_none=True)
    break_glass = fields.Boolean()


class HistoryListSchema(Schema):
    items = fields.List(fields.Nested(HistoryLineSchema))
    total = fields.Integer()
    page = fields.Integer()


class CaseListSchema(Schema):
    items = fields.List(fields.Nested(CaseSchema))
    total = fields.Integer()
    page = fields.Integer()


class MessageSearchHitSchema(Schema):
    id = fields.Integer()
    channel = fields.Integer(attribute="channel_id")
    seq = fields.Integer()
    sender = fields.Function(
        lambda m: {"id": m.sender_id, "name": m.sender_name, "state": m.sender_state}
    )
    sent_at = fields.DateTime()
    handling_code = fields.String()
    body = fields.String(allow_none=True)
    integrity = integrity_field()


class MessageSearchResultSchema(Schema):
    items = fields.List(fields.Nested(MessageSearchHitSchema))
    total = fields.Integer()
    page = fields.Integer()


# --- input ----------------------------------------------------------------------------------------


class CaseInput(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    summary = fields.String(load_default="", validate=validate.Length(max=20_000))
    reference = fields.String(load_default="", validate=validate.Length(max=100))
    requested_states = fields.List(
        fields.String(validate=validate.Length(equal=3)),
        required=True,
        validate=validate.Length(min=1, max=20),
    )
    counterparts = fields.List(
        StoredInteger(strict=True), load_default=list, validate=validate.Length(max=50)
    )


class TableInput(Schema):
    """A multilateral channel: two or more of the case's requested States (the service checks)."""

    requested_states = fields.List(
        fields.String(validate=validate.Length(equal=3)),
        required=True,
        validate=validate.Length(max=20),
        metadata={"example": ["CHE", "ARE"]},
    )


class CasePatch(Schema):
    """Set the caller's own reference, or move the stage (requesting side), or both."""

    reference = fields.String(validate=validate.Length(max=100))
    stage = fields.String(validate=validate.OneOf([each.value for each in Stage]))
    reason = fields.String(load_default="", validate=validate.Length(max=2_000))

    @validates_schema
    def _something(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if "reference" not in data and "stage" not in data:
            raise ValidationError("Give a reference or a stage.", "_schema")


class OwnReferencePageInput(Schema):
    """The case page's form for the caller's own reference, where a blank field clears it."""

    reference = fields.String(load_default="", validate=validate.Length(max=100))


class TeamMemberInput(Schema):
    """``reason`` is required when a national administrator seats themself (break-glass)."""

    user = StoredInteger(required=True, strict=True)
    reason = fields.String(load_default="", validate=validate.Length(max=500))


class TeamMemberPageInput(TeamMemberInput):
    """The case page's team form, whose chooser of a colleague is named user_id."""

    user = StoredInteger(required=True, strict=True, data_key="user_id")


class MessageSearchArgs(Schema):
    q = fields.String(required=True, validate=validate.Length(min=1, max=200))
