"""Shapes of statistics (a State's own, network-wide) and of case timelines."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Protocol

from marshmallow import Schema, fields

from network.schemas.common import Money


class Cell(Protocol):
    """A figure of the statistics: its value, None when suppressed for resting on few cases."""

    @property
    def value(self) -> int | Decimal | float | None: ...

    @property
    def suppressed(self) -> bool: ...


# --- output ---------------------------------------------------------------------------------------


def _cell(cell: Cell) -> dict[str, Any]:
    """A suppressed cell shows no value and not how few cases it rests on (resolution 4/6)."""
    value = cell.value
    return {"value": None if value is None else str(value), "suppressed": cell.suppressed}


class TimesSchema(Schema):
    count = fields.Integer()
    median_days = fields.Float(attribute="median", allow_none=True)
    p90_days = fields.Float(attribute="p90", allow_none=True)


class CounterpartSchema(Schema):
    state = fields.String()
    sent = fields.Integer()
    sent_urgent = fields.Integer()
    sent_answered = fields.Integer()
    sent_refused = fields.Integer()
    received = fields.Integer()
    received_urgent = fields.Integer()
    received_answered = fields.Integer()
    received_refused = fields.Integer()


class MoneySchema(Schema):
    status = fields.String()
    currency = fields.String()
    count = fields.Integer()
    total = Money()


class StateStatisticsSchema(Schema):
    state = fields.String()
    counterparts = fields.List(fields.Nested(CounterpartSchema))
    refusals = fields.Function(
        lambda s: [{"ground": g, "sent": a, "received": b} for g, a, b in s.refusals]
    )
    urgency = fields.Function(
        lambda s: [{"urgent": u, "sent": a, "received": b} for u, a, b in s.urgency]
    )
    response_sent = fields.Nested(TimesSchema)
    response_received = fields.Nested(TimesSchema)
    assets = fields.List(fields.Nested(MoneySchema))
    returned = fields.List(fields.Nested(MoneySchema))
    measures = fields.Dict(keys=fields.String(), values=fields.Integer())
    measures_extended_once_or_more = fields.Integer()
    disclosures = fields.Function(lambda s: [vars(row) for row in s.disclosures])


class NetworkStatisticsSchema(Schema):
    requests_by_kind = fields.Function(
        lambda s: [
            {
                "kind": kind,
                "sent": _cell(sent),
                "urgent": _cell(urgent),
                "answered": _cell(answered),
                "refused": _cell(refused),
            }
            for kind, sent, urgent, answered, refused in s.requests_by_kind
        ]
    )
    refusals = fields.Function(
        lambda s: [{"ground": ground, "count": _cell(cell)} for ground, cell in s.refusals]
    )
    response_times = fields.Function(
        lambda s: [
            {
                "label": label,
                "count": count,
                "median_days": None if hidden else median,
                "p90_days": None if hidden else p90,
                "suppressed": hidden,
            }
            for label, count, median, p90, hidden in s.response_times
        ]
    )
    assets = fields.Function(
        lambda s: [
            {"status": status, "currency": currency, "count": _cell(count), "total": _cell(total)}
            for status, currency, count, total in s.assets
        ]
    )
    returned = fields.Function(
        lambda s: [
            {"currency": currency, "count": _cell(count), "total": _cell(total)}
            for currency, count, total in s.returned
        ],
        metadata={"description": "amounts returned (art. 57) by currency; small cells hidden"},
    )
    measures = fields.Function(
        lambda s: [{"outcome": outcome, "count": _cell(cell)} for outcome, cell in s.measures]
    )
    measures_extended = fields.Function(lambda s: _cell(s.measures_extended))
    disclosures = fields.Function(
        lambda s: [
            {"kind": kind, "outcome": outcome, "count": _cell(cell)}
            for kind, outcome, cell in s.disclosures
        ]
    )


class TimelineRequestSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    requested_state = fields.String()
    status = fields.String()
    urgent = fields.Boolean()
    created_on = fields.Date()
    sent_on = fields.Date(allow_none=True)
    answered_on = fields.Date(allow_none=True)
    deadline_on = fields.Date(allow_none=True)


class TimelineMeasureSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    issuing_state = fields.String()
    requested_state = fields.String()
    status = fields.String()
    effective_on = fields.Date(allow_none=True)
    expires_on = fields.Date(allow_none=True)
    first_expires_on = fields.Date(allow_none=True)
    extensions = fields.List(fields.Date())
    days_left = fields.Integer(allow_none=True)
    ended_on = fields.Date(allow_none=True)


class TimelineMoveSchema(Schema):
    on = fields.Date()
    asset_id = fields.Integer()
    asset_kind = fields.String()
    requested_state = fields.String()
    from_status = fields.String(allow_none=True)
    to_status = fields.String()


class TimelineReturnSchema(Schema):
    on = fields.Date()
    asset_id = fields.Integer()
    basis = fields.String()
    amount = Money()
    currency = fields.String()


class TimelineSchema(Schema):
    case_id = fields.Integer()
    reference = fields.String()
    today = fields.Date()
    requests = fields.List(fields.Nested(TimelineRequestSchema))
    measures = fields.List(fields.Nested(TimelineMeasureSchema))
    moves = fields.List(fields.Nested(TimelineMoveSchema))
    returns = fields.List(fields.Nested(TimelineReturnSchema))
