"""Shapes of notifications and of the deadlines of the caller's cases."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from network.schemas.common import StoredInteger

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


# --- output ---------------------------------------------------------------------------------------


class DeadlineSchema(Schema):
    kind = fields.String(metadata={"description": "measure_expiry, request_deadline or court_date"})
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


class DeadlineArgs(Schema):
    within_days = fields.Integer(load_default=30, validate=validate.Range(min=0, max=3650))
