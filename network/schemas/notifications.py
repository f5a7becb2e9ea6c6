"""Shapes of notifications and of the deadlines of the caller's cases."""

from __future__ import annotations

from marshmallow import Schema, fields, post_load, validate

from network.schemas.common import PageArgs, StoredInteger
from network.schemas.vocabularies import CHOOSABLE_NOTICES, NOTICE_DELIVERIES

# --- output ---------------------------------------------------------------------------------------


class NotificationSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    case = fields.Integer(attribute="case_id", allow_none=True)
    subject = fields.String()
    link = fields.String()
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)


class NotificationListSchema(Schema):
    items = fields.List(fields.Nested(NotificationSchema))
    total = fields.Integer()
    page = fields.Integer()
    unread = fields.Integer()


# --- input ----------------------------------------------------------------------------------------


class NotificationArgs(Schema):
    page = StoredInteger(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100))
    unread = fields.Boolean(load_default=False)


class MarkReadInput(Schema):
    """The notifications page's buttons: mark read, or mark read and open its link."""

    open = fields.Boolean(load_default=False)


class ReadAllSchema(Schema):
    marked = fields.Integer()


_KIND = fields.String(validate=validate.OneOf(list(CHOOSABLE_NOTICES)))
_DELIVERY = fields.String(
    validate=validate.OneOf(list(NOTICE_DELIVERIES)),
    metadata={"description": "in_app, immediate (an e-mail at once) or digest (daily)"},
)


class NoticePreferencesSchema(Schema):
    """Every kind of notice one chooses, with how it reaches the caller (chosen or default)."""

    preferences = fields.Dict(keys=_KIND, values=_DELIVERY)


class NoticePreferencesInput(Schema):
    """The kinds to change; the others keep their delivery."""

    preferences = fields.Dict(keys=_KIND, values=_DELIVERY, required=True)


def _attribute(kind: str) -> str:
    """A kind as a field's attribute: marshmallow reads a dot in one as a nested object."""
    return kind.replace(".", "_")


class _NoticePreferencesPage(Schema):
    @post_load
    def by_kind(self, data: dict[str, str], **_kwargs: object) -> dict[str, str]:
        return {kind: data[_attribute(kind)] for kind in CHOOSABLE_NOTICES}


# The account page's form: one choice per kind, each field named by its kind.
NoticePreferencesPageInput = _NoticePreferencesPage.from_dict(
    {
        _attribute(kind): fields.String(
            required=True, data_key=kind, validate=validate.OneOf(list(NOTICE_DELIVERIES))
        )
        for kind in CHOOSABLE_NOTICES
    },
    name="NoticePreferencesPageInput",
)


# --- output ---------------------------------------------------------------------------------------


class DeadlineSchema(Schema):
    kind = fields.String(
        metadata={
            "description": "measure_expiry, request_deadline, ask_due, court_date or "
            "return_milestone"
        }
    )
    id = fields.Integer(attribute="object_id")
    case = fields.Integer(attribute="case_id")
    reference = fields.String()
    detail = fields.String(metadata={"description": "freezing, seizure, mla, extradition ..."})
    requested_state = fields.String()
    issuing_state = fields.String()
    due_on = fields.Date(metadata={"description": "Calendar date in the issuing State's zone"})
    due_at = fields.DateTime(metadata={"description": "When that date ends, in UTC"})
    time_zone = fields.String()
    days_left = fields.Integer()
    passed = fields.Boolean()
    urgency = fields.String()


class DeadlineListSchema(Schema):
    items = fields.List(fields.Nested(DeadlineSchema))
    total = fields.Integer()
    page = fields.Integer()


# --- input ----------------------------------------------------------------------------------------


class DeadlineArgs(PageArgs):
    within_days = fields.Integer(load_default=30, validate=validate.Range(min=0, max=3650))
