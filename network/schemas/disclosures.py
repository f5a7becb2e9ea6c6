"""Shapes of article 56 disclosures and article 52(2)(b) notifications."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from network.schemas.assistance import PersonRefSchema
from network.schemas.common import PageArgs, StoredInteger, integrity_field
from network.schemas.vocabularies import (
    DISCLOSURE_KINDS,
    DISCLOSURE_SUBJECT_ROLES,
    HANDLING_CODES,
    INFORMATION_GRADES,
    SOURCE_GRADES,
)

# --- output ---------------------------------------------------------------------------------------


class DisclosureSubjectSchema(Schema):
    name = fields.String()
    role = fields.String()


class DisclosureStepSchema(Schema):
    from_status = fields.String(data_key="from", allow_none=True)
    to_status = fields.String(data_key="to")
    note = fields.String(allow_none=True)
    actor = fields.Nested(PersonRefSchema, allow_none=True)
    actor_state = fields.String(allow_none=True)
    at = fields.DateTime()
    integrity = integrity_field()


class DisclosureSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    direction = fields.String(metadata={"description": "sent or received, for the caller"})
    from_state = fields.String()
    to_state = fields.String()
    reference = fields.String()
    handling_code = fields.String()
    source_grade = fields.String(allow_none=True)
    information_grade = fields.String(allow_none=True)
    status = fields.String()
    status_since = fields.DateTime()
    led_to_case = fields.Integer(attribute="led_to_case_id", allow_none=True)
    led_to_request = fields.Integer(attribute="led_to_request_id", allow_none=True)
    sent_by = fields.Nested(PersonRefSchema, allow_none=True)
    sent_at = fields.DateTime()
    allowed_statuses = fields.List(fields.String())


class NotificationPersonSchema(Schema):
    name = fields.String()
    born_on = fields.Date(allow_none=True)
    identifier = fields.String(allow_none=True)


class NotificationAccountSchema(Schema):
    number = fields.String(metadata={"description": "an IBAN without spaces, or as written"})
    iban = fields.Boolean(metadata={"description": "the number is an IBAN (mod-97 checked)"})
    institution = fields.String()


class NotificationResultSchema(Schema):
    id = fields.Integer()
    reported_on = fields.Date()
    institution = fields.String()
    summary = fields.String()
    accounts_found = fields.Integer()
    recorded_by = fields.Nested(PersonRefSchema, allow_none=True)
    recorded_at = fields.DateTime()
    integrity = integrity_field()


class NotificationDetailsSchema(Schema):
    """An art. 52(2)(b) notification in detail: what the financial institutions were told."""

    notified_on = fields.Date(
        allow_none=True, metadata={"description": "when the financial institutions were told"}
    )
    scope = fields.String()
    period_start = fields.Date(allow_none=True)
    period_end = fields.Date(allow_none=True)
    persons = fields.List(fields.Nested(NotificationPersonSchema))
    accounts = fields.List(fields.Nested(NotificationAccountSchema))
    may_record = fields.Boolean(
        metadata={"description": "the caller's State notified, so records details and results"}
    )
    results = fields.List(fields.Nested(NotificationResultSchema))


class DisclosureDetailSchema(DisclosureSchema):
    summary = fields.String()
    subjects = fields.List(fields.Nested(DisclosureSubjectSchema))
    handling_note = fields.String()
    history = fields.List(fields.Nested(DisclosureStepSchema))
    notification = fields.Nested(
        NotificationDetailsSchema,
        allow_none=True,
        metadata={"description": "an art. 52(2)(b) notification's details; null for other kinds"},
    )
    integrity = integrity_field()


class DisclosureListSchema(Schema):
    items = fields.List(fields.Nested(DisclosureSchema))
    total = fields.Integer()
    page = fields.Integer()


# --- input ----------------------------------------------------------------------------------------


class DisclosureListArgs(PageArgs):
    box = fields.String(load_default=None, validate=validate.OneOf(["sent", "received"]))


class DisclosureSubjectInput(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    role = fields.String(load_default="other", validate=validate.OneOf(DISCLOSURE_SUBJECT_ROLES))


class NotificationPersonInput(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    born_on = fields.Date(load_default=None, allow_none=True)
    identifier = fields.String(load_default="", validate=validate.Length(max=100))


class NotificationAccountInput(Schema):
    number = fields.String(
        required=True,
        validate=validate.Length(min=1, max=64),
        metadata={"description": "an IBAN (checked with mod-97), or the account's number"},
    )
    institution = fields.String(
        load_default="",
        validate=validate.Length(max=200),
        metadata={"description": "required unless the number is an IBAN"},
    )


class NotificationDetailsInput(Schema):
    """What the notifying State told its financial institutions (art. 52(2)(b))."""

    notified_on = fields.Date(load_default=None, allow_none=True)
    scope = fields.String(load_default="", validate=validate.Length(max=2_000))
    period_start = fields.Date(load_default=None, allow_none=True)
    period_end = fields.Date(load_default=None, allow_none=True)
    persons = fields.List(
        fields.Nested(NotificationPersonInput), load_default=list, validate=validate.Length(max=50)
    )
    accounts = fields.List(
        fields.Nested(NotificationAccountInput), load_default=list, validate=validate.Length(max=50)
    )


class NotificationResultInput(Schema):
    reported_on = fields.Date(required=True)
    institution = fields.String(required=True, validate=validate.Length(min=1, max=200))
    summary = fields.String(load_default="", validate=validate.Length(max=5_000))
    accounts_found = fields.Integer(
        load_default=0, strict=True, validate=validate.Range(min=0, max=1_000_000)
    )


class DisclosureInput(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(DISCLOSURE_KINDS))
    to_state = fields.String(required=True, validate=validate.Length(equal=3))
    summary = fields.String(required=True, validate=validate.Length(min=1, max=20_000))
    subjects = fields.List(
        fields.Nested(DisclosureSubjectInput), load_default=list, validate=validate.Length(max=50)
    )
    handling_code = fields.String(
        load_default="H0", validate=validate.OneOf(HANDLING_CODES)
    )
    handling_note = fields.String(load_default="", validate=validate.Length(max=500))
    reference = fields.String(load_default="", validate=validate.Length(max=100))
    source_grade = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(SOURCE_GRADES)
    )
    information_grade = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(INFORMATION_GRADES),
    )
    notification = fields.Nested(
        NotificationDetailsInput,
        load_default=None,
        allow_none=True,
        metadata={"description": "only for kind notification_52_2_b"},
    )


class NoteInput(Schema):
    note = fields.String(load_default="", validate=validate.Length(max=2_000))


class FollowUpInput(NoteInput):
    case = StoredInteger(load_default=None, allow_none=True, strict=True)
    request = StoredInteger(load_default=None, allow_none=True, strict=True)


class OpenCaseInput(Schema):
    title = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
