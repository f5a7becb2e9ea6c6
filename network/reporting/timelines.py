"""A case's timeline: its requests, its orders' validity against today, and its assets' moves.

Loaded through the tracking services (``case_scope`` and so ``access_case``), so a
requested State sees only its own relationship; nothing sealed is opened here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from network.assistance import lifecycle
from network.assistance.models import RequestTransition
from network.assistance.read_models import list_requests
from network.auth.models import User
from network.cases.access import case_scope
from network.core.clock import as_utc
from network.extensions import db
from network.notifications.deadlines import case_reference
from network.recovery import assets, expiry, measures
from network.recovery.models import AssetReturn, AssetStatusChange
from network.schemas.vocabularies import RequestStatus

MAX_REQUESTS = 200


@dataclass(frozen=True)
class RequestRow:
    id: int
    kind: str
    requested_state: str
    status: str
    urgent: bool
    created_on: date
    sent_on: date | None
    answered_on: date | None
    deadline_on: date | None


@dataclass(frozen=True)
class MeasureRow:
    id: int
    kind: str
    issuing_state: str
    requested_state: str
    status: str
    effective_on: date | None
    expires_on: date | None  # the expiry in force, after extensions
    first_expires_on: date | None
    extensions: list[date]
    days_left: int | None
    ended_on: date | None  # lifted or replaced


@dataclass(frozen=True)
class AssetMove:
    on: date
    asset_id: int
    asset_kind: str
    requested_state: str
    from_status: str | None
    to_status: str


@dataclass(frozen=True)
class ReturnRow:
    on: date
    asset_id: int
    basis: str
    amount: Decimal
    currency: str


@dataclass
class CaseTimeline:
    case_id: int
    reference: str
    today: date
    requests: list[RequestRow] = field(default_factory=list)
    measures: list[MeasureRow] = field(default_factory=list)
    moves: list[AssetMove] = field(default_factory=list)
    returns: list[ReturnRow] = field(default_factory=list)


def _request_rows(actor: User, case_id: int, now: datetime) -> list[RequestRow]:
    views, _total = list_requests(actor, case_id, now, 1, MAX_REQUESTS)
    ids = [view.id for view in views]
    sent: dict[int, date] = {}
    answered: dict[int, date] = {}
    if ids:
        for step in db.session.scalars(
            select(RequestTransition)
            .where(RequestTransition.request_id.in_(ids))
            .order_by(RequestTransition.at, RequestTransition.id)
        ):
            day = as_utc(step.at).date()
            if step.to_status == RequestStatus.SENT:
                sent.setdefault(step.request_id, day)
            elif step.to_status in lifecycle.ANSWERED:
                answered.setdefault(step.request_id, day)
    return [
        RequestRow(
            id=view.id,
            kind=view.kind,
            requested_state=view.requested_state,
            status=view.status,
            urgent=view.urgent,
            created_on=as_utc(view.created_at).date(),
            sent_on=sent.get(view.id),
            answered_on=answered.get(view.id),
            deadline_on=view.deadline_on,
        )
        for view in sorted(views, key=lambda each: each.id)
    ]


def _measure_rows(actor: User, case_id: int, now: datetime) -> list[MeasureRow]:
    rows = []
    for measure in measures.list_measures(actor, case_id):
        in_force = expiry.expiry_of(measure)
        status = expiry.measure_status(measure, now)
        ended = measure.replaced_at or measure.lifted_at
        rows.append(
            MeasureRow(
                id=measure.id,
                kind=measure.kind,
                issuing_state=measure.issuing_state,
                requested_state=measure.requested_state,
                status=status,
                effective_on=measure.effective_on,
                expires_on=in_force.on if in_force is not None else None,
                first_expires_on=measure.expires_on,
                extensions=[each.new_expires_on for each in measure.extensions],
                days_left=(
                    in_force.days_left(now)
                    if in_force is not None and status in {"in_force", "extended"}
                    else None
                ),
                ended_on=as_utc(ended).date() if ended is not None else None,
            )
        )
    return rows


def case_timeline(actor: User, case_id: int, now: datetime) -> CaseTimeline:
    """Everything dated in the case that the actor's sides see."""
    scope = case_scope(actor, case_id)
    timeline = CaseTimeline(
        case_id=scope.case.id,
        reference=case_reference(scope.case.id, actor.state_code),
        today=now.date(),
    )
    timeline.requests = _request_rows(actor, case_id, now)
    timeline.measures = _measure_rows(actor, case_id, now)
    seen = {view.id: view for view in assets.list_assets(actor, case_id)}
    if seen:
        for step in db.session.scalars(
            select(AssetStatusChange)
            .where(AssetStatusChange.asset_id.in_(list(seen)))
            .order_by(AssetStatusChange.at, AssetStatusChange.id)
        ):
            asset = seen[step.asset_id]
            timeline.moves.append(
                AssetMove(
                    on=as_utc(step.at).date(),
                    asset_id=asset.id,
                    asset_kind=asset.kind,
                    requested_state=asset.requested_state,
                    from_status=step.from_status,
                    to_status=step.to_status,
                )
            )
        for returned in db.session.scalars(
            select(AssetReturn)
            .where(AssetReturn.asset_id.in_(list(seen)))
            .order_by(AssetReturn.recorded_at, AssetReturn.id)
        ):
            timeline.returns.append(
                ReturnRow(
                    on=returned.disbursed_on or as_utc(returned.recorded_at).date(),
                    asset_id=returned.asset_id,
                    basis=returned.basis,
                    amount=returned.amount,
                    currency=returned.currency,
                )
            )
    return timeline
