"""/api/v1/deadlines: the caller's upcoming and lapsed deadlines."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from network.core import clock
from network.notifications.deadlines import deadlines_for

PREFIX = "/deadlines"
blp = Blueprint("deadlines", __name__, description="Deadlines of the caller's cases")


class DeadlineSchema(Schema):
    kind = fields.String(metadata={"description": "measure_expiry or request_deadline"})
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


class DeadlineArgs(Schema):
    within_days = fields.Integer(load_default=30, validate=validate.Range(min=0, max=3650))


@blp.route("")
class Deadlines(MethodView):
    @blp.arguments(DeadlineArgs, location="query")
    @blp.response(200, DeadlineListSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Deadlines within ``within_days`` (default 30) and every lapsed one, soonest first."""
        items = deadlines_for(current_user, clock.now(), args["within_days"])
        return {"items": items, "total": len(items), "page": 1}
