"""Confiscation orders (54(1), 55(1)): the order, its finality, the assets and amounts it took.

A confiscation belongs to one relationship of the case (the requested State that holds
the assets). Either party of that relationship records it; the assets it names become
"confiscated". A return under article 57 rests on it, and a transfer waits until it is
final (57: "the confiscation on which it rests and its finality").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from network.assistance import checklist
from network.audit import service as audit
from network.auth.models import User
from network.cases.access import (
    CaseScope,
    PersonRef,
    case_scope,
    person_of,
    record_scope,
    require_party,
    writable_relationship,
)
from network.cases.counterparts import Recorded, tell_counterpart
from network.core.errors import Conflict, NotFound
from network.core.i18n import N_
from network.core.locking import load_for_change
from network.extensions import db
from network.recovery.assets import lock_assets, move_asset
from network.recovery.models import Asset, ConfiscatedAsset, Confiscation, ProvisionalMeasure
from network.schemas.vocabularies import CONFISCATION_FINALITY, NoticeTarget, NotificationKind
from network.sealing.integrity import OK, Opened

# A court in a zone ahead of UTC may already be a day further on.
_CLOCK_SLACK = timedelta(days=1)
# Statuses from which a confiscation order takes an asset (as replacing an order does).
_TAKEN_FROM = frozenset({"identified", "frozen_or_seized", "released"})
MAX_LINES = 100


@dataclass(frozen=True)
class ConfiscatedLineView:
    asset_id: int
    asset_kind: str
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class ConfiscationView:
    """A confiscation order as both sides of its relationship read it."""

    id: int
    case_id: int
    requested_state: str
    measure_id: int | None
    order_reference: str | None
    ordered_on: date
    finality: str
    final_on: date | None
    recorded_by: PersonRef | None
    recorded_at: datetime
    assets: list[ConfiscatedLineView] = field(default_factory=list)
    integrity: str = OK

    @property
    def totals(self) -> dict[str, Decimal]:
        """The amounts confiscated, by currency."""
        return totals_by_currency((each.amount, each.currency) for each in self.assets)


def totals_by_currency(amounts: Any) -> dict[str, Decimal]:
    """Sum (amount, currency) pairs by currency, currencies in alphabetical order."""
    found: dict[str, Decimal] = {}
    for amount, currency in amounts:
        found[currency] = found.get(currency, Decimal(0)) + amount
    return dict(sorted(found.items()))


def read_confiscation(row: Confiscation) -> ConfiscationView:
    sealed = Opened(row)
    kinds = {
        asset.id: asset.kind
        for asset in db.session.scalars(
            select(Asset).where(Asset.id.in_([line.asset_id for line in row.lines]))
        )
    }
    return ConfiscationView(
        id=row.id,
        case_id=row.case_id,
        requested_state=row.requested_state,
        measure_id=row.measure_id,
        order_reference=sealed[Confiscation.order_reference],
        ordered_on=row.ordered_on,
        finality=row.finality,
        final_on=row.final_on,
        recorded_by=person_of(row.recorded_by),
        recorded_at=row.recorded_at,
        assets=[
            ConfiscatedLineView(
                each.asset_id, kinds.get(each.asset_id, ""), each.amount, each.currency
            )
            for each in row.lines
        ],
        integrity=sealed.integrity,
    )


def positive(value: Decimal | str | None, name: str) -> Decimal:
    """An amount above zero (a zero line records nothing)."""
    number = checklist.amount(value, name)
    assert number is not None  # noqa: S101 - required above
    if number <= 0:
        raise checklist.refuse(name, N_("The amount must be above zero."))
    return number


def _finality(finality: str, ordered_on: date, final_on: date | None, now: datetime) -> None:
    checklist.choice(finality, CONFISCATION_FINALITY, "finality")
    if ordered_on > now.date() + _CLOCK_SLACK:
        raise checklist.refuse("ordered_on", N_("An order cannot be dated in the future."))
    if finality == "final":
        if final_on is None:
            raise checklist.refuse("final_on", N_("Give the date the order became final."))
        if final_on < ordered_on:
            raise checklist.refuse(
                "final_on", N_("An order cannot become final before it was made.")
            )
        if final_on > now.date() + _CLOCK_SLACK:
            raise checklist.refuse("final_on", N_("That date is in the future."))
    elif final_on is not None:
        raise checklist.refuse("final_on", N_("An order under appeal is not final yet."))


def _assets(
    scope: CaseScope, relationship: str, lines: Sequence[Mapping[str, Any]]
) -> list[tuple[Asset, Decimal, str]]:
    if not lines:
        raise checklist.refuse("assets", N_("Name at least one confiscated asset."))
    if len(lines) > MAX_LINES:
        raise checklist.refuse("assets", N_("At most %(max)s entries."), max=MAX_LINES)
    wanted = [int(each["asset"]) for each in lines]
    if len(set(wanted)) != len(wanted):
        raise checklist.refuse("assets", N_("Name each asset once."))
    rows = [db.session.get(Asset, each) for each in wanted]
    if any(each is None for each in rows):
        raise checklist.refuse(
            "assets", N_("Choose assets of the case recorded with the same State.")
        )
    locked = {each.id: each for each in lock_assets(row for row in rows if row is not None)}
    found = []
    for line in lines:
        asset = locked.get(int(line["asset"]))
        if asset is None or asset.case_id != scope.case.id or asset.requested_state != relationship:
            raise checklist.refuse(
                "assets", N_("Choose assets of the case recorded with the same State.")
            )
        if asset.status not in _TAKEN_FROM | {"confiscated"}:
            raise checklist.refuse(
                "assets", N_("An asset that was returned cannot be confiscated again.")
            )
        found.append(
            (
                asset,
                positive(line.get("amount"), "amount"),
                checklist.currency(line.get("currency")),
            )
        )
    return found


def tell_about_return(case_id: int, requested_state: str, actor: User, now: datetime) -> None:
    """Tell the other side of the relationship that a confiscation or return step was recorded."""
    tell_counterpart(
        Recorded(
            NotificationKind.RETURN_RECORDED,
            actor,
            now,
            case_id,
            requested_state,
            NoticeTarget.CASE,
            case_id,
        )
    )


def record_confiscation(
    actor: User,
    case_id: int,
    *,
    order_reference: str,
    ordered_on: date,
    finality: str,
    final_on: date | None = None,
    assets: Sequence[Mapping[str, Any]],
    measure: int | None = None,
    requested_state: str | None = None,
    now: datetime,
) -> Confiscation:
    """Record a confiscation order and what it took from each asset; the assets are confiscated.

    The order replaces a freezing or seizure order when ``measure`` names one (that order's
    own ending is recorded through the measure).
    """
    scope = case_scope(actor, case_id)
    require_party(scope)
    relationship = writable_relationship(scope, requested_state, "requested_state")
    _finality(finality, ordered_on, final_on, now)
    if measure is not None:
        order = db.session.get(ProvisionalMeasure, measure)
        if order is None or order.case_id != scope.case.id or order.requested_state != relationship:
            raise checklist.refuse("measure", N_("Choose an order of the same relationship."))
    taken = _assets(scope, relationship, assets)
    row = Confiscation(
        case_id=scope.case.id,
        requested_state=relationship,
        measure_id=measure,
        ordered_on=ordered_on,
        finality=finality,
        final_on=final_on,
        recorded_by_id=actor.id,
        recorded_at=now,
        order_reference=checklist.text(order_reference, 200, "order_reference", required=True),
    )
    db.session.add(row)
    db.session.flush()
    for asset, amount, currency in taken:
        db.session.add(
            ConfiscatedAsset(
                confiscation_id=row.id, asset_id=asset.id, amount=amount, currency=currency
            )
        )
        if asset.status in _TAKEN_FROM:
            move_asset(asset, "confiscated", actor, now, f"Confiscation {row.id} recorded.")
    db.session.flush()
    db.session.refresh(row)
    audit.record(
        actor,
        "confiscation.recorded",
        "confiscation",
        row.id,
        {"case": scope.case.id, "finality": finality, "assets": [a.id for a, _m, _c in taken]},
        at=now,
    )
    tell_about_return(row.case_id, row.requested_state, actor, now)
    return row


def _seen(actor: User, row: Confiscation | None) -> tuple[Confiscation, CaseScope]:
    missing = NotFound(N_("No such confiscation."), reason="confiscation_not_found")
    if row is None:
        raise missing
    return row, record_scope(actor, row.case_id, row.requested_state, missing)


def access_confiscation(actor: User, confiscation_id: int) -> tuple[Confiscation, CaseScope]:
    """A confiscation of a relationship the actor sees; missing and forbidden look alike."""
    return _seen(actor, db.session.get(Confiscation, confiscation_id))


def record_finality(
    actor: User, confiscation_id: int, *, final_on: date, now: datetime
) -> Confiscation:
    """The appeal is over: the order became final on ``final_on``."""
    row, scope = _seen(actor, load_for_change(db.session, Confiscation, confiscation_id))
    require_party(scope)
    if row.finality == "final":
        raise Conflict(N_("This order is already final."), reason="already_final")
    _finality("final", row.ordered_on, final_on, now)
    row.finality = "final"
    row.final_on = final_on
    db.session.flush()
    audit.record(
        actor,
        "confiscation.final",
        "confiscation",
        row.id,
        {"final_on": final_on.isoformat()},
        at=now,
    )
    tell_about_return(row.case_id, row.requested_state, actor, now)
    return row


def confiscation_view(actor: User, confiscation_id: int, now: datetime) -> ConfiscationView:
    """One confiscation order; the read is audited."""
    row, _scope = access_confiscation(actor, confiscation_id)
    audit.record(actor, "confiscation.viewed", "confiscation", row.id, at=now)
    return read_confiscation(row)


def list_confiscations(actor: User, case_id: int) -> list[ConfiscationView]:
    """The case's confiscation orders of the relationships the actor sees, oldest first."""
    scope = case_scope(actor, case_id)
    rows = db.session.scalars(
        select(Confiscation)
        .where(
            Confiscation.case_id == scope.case.id,
            Confiscation.requested_state.in_(sorted(scope.visible)),
        )
        .order_by(Confiscation.id)
    ).all()
    return [read_confiscation(each) for each in rows]
