"""Provisional measures (freezing and seizure orders): recorded, corrected, fetched and listed.

A measure's status is derived by ``expiry.measure_status`` from its dates, its
extensions and the issuing State's time zone; "lapsed" is never stored. Each
change writes a line of the order's history and an audit record, and flushes;
how an order's term ends (extension, lifting, confiscation) is ``endings``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from network.assistance import checklist
from network.assistance.models import AssistanceRequest
from network.audit import service as audit
from network.auth.models import User
from network.cases.access import (
    CaseScope,
    case_scope,
    my_scopes,
    reached_cases,
    record_scope,
    require_party,
    writable_relationship,
)
from network.cases.counterparts import Recorded, tell_counterpart
from network.core.errors import Conflict, NotFound
from network.core.i18n import N_
from network.core.locking import load_for_change
from network.directory.changes import require_version
from network.directory.models import State
from network.directory.states import zone_named
from network.extensions import db
from network.recovery.assets import lock_assets, move_asset
from network.recovery.checks import linked_id
from network.recovery.expiry import Expiry, current_expiry, is_open, measure_status
from network.recovery.models import Asset, MeasureEvent, MeasureExtension, ProvisionalMeasure
from network.recovery.read_models import MeasureView, read_measure
from network.schemas.vocabularies import (
    ENFORCEMENT,
    MEASURE_BASES,
    MEASURE_KINDS,
    NoticeTarget,
    NotificationKind,
)


class MeasureClosed(Conflict):
    """The order was lifted or replaced by confiscation; it changes no more."""

    reason = "measure_closed"


_MEASURE_FIELDS = (
    "issuing_authority",
    "order_reference",
    "effective_on",
    "expires_on",
    "longest_duration_days",
    "next_review_on",
)


def record_measure_event(
    measure: ProvisionalMeasure,
    event: str,
    actor: User,
    now: datetime,
    details: Mapping[str, str | None] | None = None,
) -> None:
    """Add a line to the order's history (non-sensitive facts only: dates, codes)."""
    db.session.add(
        MeasureEvent(
            measure_id=measure.id,
            event=event,
            details=dict(details or {}),
            actor_id=actor.id,
            at=now,
        )
    )


def _check_dates(effective_on: date | None, expires_on: date | None) -> None:
    if expires_on is not None and effective_on is None:
        raise checklist.refuse("effective_on", N_("Give the effective date with the expiry date."))
    if effective_on is not None and expires_on is not None and expires_on < effective_on:
        raise checklist.refuse(
            "expires_on", N_("The expiry date cannot be before the effective date.")
        )


def _check_duration(days: int | None) -> None:
    if days is not None and not 1 <= days <= 36_500:
        raise checklist.refuse("longest_duration_days", N_("Between 1 and 36500 days."))


def _measure_assets(scope: CaseScope, asset_ids: Sequence[int], relationship: str) -> list[Asset]:
    wanted = list(dict.fromkeys(asset_ids))
    if not wanted:
        raise checklist.refuse("assets", N_("Choose at least one asset."))
    rows = list(db.session.scalars(select(Asset).where(Asset.id.in_(wanted)).order_by(Asset.id)))
    if len(rows) != len(wanted) or any(
        each.case_id != scope.case.id or each.requested_state != relationship for each in rows
    ):
        raise checklist.refuse(
            "assets", N_("Choose assets of this case recorded with the same State.")
        )
    return rows


def _hold_assets(measure: ProvisionalMeasure, actor: User, now: datetime) -> None:
    """Once an order takes effect, the assets it covers are frozen or seized."""
    if measure.effective_on is None:
        return
    for asset in lock_assets(measure.assets):
        if asset.status in {"identified", "released"}:
            move_asset(asset, "frozen_or_seized", actor, now, f"Order {measure.id}.", measure.id)


def _request_link(scope: CaseScope, request_id: int | None, relationship: str) -> int | None:
    message = N_("Choose a request of this case to the same State.")
    return linked_id(AssistanceRequest, request_id, scope, relationship, "request", message)


def record_measure(
    actor: User,
    case_id: int,
    *,
    kind: str,
    asset_ids: Sequence[int],
    issuing_authority: str,
    issuing_state: str,
    legal_basis: str,
    enforcement: str = "indirect",
    effective_on: date | None = None,
    expires_on: date | None = None,
    longest_duration_days: int | None = None,
    next_review_on: date | None = None,
    order_reference: str = "",
    request_id: int | None = None,
    requested_state: str | None = None,
    now: datetime,
) -> ProvisionalMeasure:
    """Record a freezing or seizure order; without an effective date it is only "requested".

    Dates are calendar dates in the issuing State's time zone. Unless named, the
    order belongs to the relationship with the issuing State.
    """
    scope = case_scope(actor, case_id)
    require_party(scope)
    issuer = checklist.state_code(issuing_state, "issuing_state")
    if requested_state is None and issuer in scope.visible:
        requested_state = issuer
    relationship = writable_relationship(scope, requested_state, "requested_state")
    _check_dates(effective_on, expires_on)
    _check_duration(longest_duration_days)
    assets = _measure_assets(scope, asset_ids, relationship)
    measure = ProvisionalMeasure(
        case_id=scope.case.id,
        requested_state=relationship,
        request_id=_request_link(scope, request_id, relationship),
        kind=checklist.choice(kind, MEASURE_KINDS, "kind"),
        issuing_state=issuer,
        legal_basis=checklist.choice(legal_basis, MEASURE_BASES, "legal_basis"),
        enforcement=checklist.choice(enforcement, ENFORCEMENT, "enforcement"),
        effective_on=effective_on,
        expires_on=expires_on,
        longest_duration_days=longest_duration_days,
        next_review_on=next_review_on,
        recorded_by_id=actor.id,
        recorded_at=now,
        issuing_authority=checklist.text(
            issuing_authority, 300, "issuing_authority", required=True
        ),
        order_reference=checklist.text(order_reference, 100, "order_reference"),
    )
    measure.assets = assets
    db.session.add(measure)
    db.session.flush()
    _note_recorded(measure, actor, now)
    tell_about_measure(NotificationKind.MEASURE_RECORDED, measure, actor, now)
    return measure


def tell_about_measure(
    kind: NotificationKind, measure: ProvisionalMeasure, actor: User, now: datetime, **words: str
) -> None:
    """Tell the other side of the order's relationship what the actor's side recorded."""
    tell_counterpart(
        Recorded(
            kind,
            actor,
            now,
            measure.case_id,
            measure.requested_state,
            NoticeTarget.MEASURE,
            measure.id,
            {"measure": measure.kind, **words},
        )
    )


def _note_recorded(measure: ProvisionalMeasure, actor: User, now: datetime) -> None:
    """The new order's first history line, its hold on the assets, its audit record."""
    effective_on, expires_on = measure.effective_on, measure.expires_on
    record_measure_event(
        measure,
        "recorded",
        actor,
        now,
        {
            "effective_on": effective_on.isoformat() if effective_on else None,
            "expires_on": expires_on.isoformat() if expires_on else None,
        },
    )
    _hold_assets(measure, actor, now)
    db.session.flush()
    audit.record(
        actor,
        "measure.recorded",
        "measure",
        measure.id,
        {
            "case": measure.case_id,
            "kind": measure.kind,
            "assets": [each.id for each in measure.assets],
        },
        at=now,
    )


def _seen(actor: User, measure: ProvisionalMeasure | None) -> tuple[ProvisionalMeasure, CaseScope]:
    """The order with its scope, if of a relationship the actor sees; else "not found"."""
    if measure is None:
        raise NotFound(N_("No such measure."), reason="measure_not_found")
    scope = record_scope(
        actor, measure.case_id, measure.requested_state,
        NotFound(N_("No such measure."), reason="measure_not_found"),
    )
    return measure, scope


def access_measure(actor: User, measure_id: int) -> tuple[ProvisionalMeasure, CaseScope]:
    """Load an order of a relationship the actor sees; missing and forbidden look alike."""
    return _seen(actor, db.session.get(ProvisionalMeasure, measure_id))


def writable_measure(
    actor: User, measure_id: int, now: datetime
) -> tuple[ProvisionalMeasure, CaseScope]:
    """An order the actor's side may change: a party's, neither lifted nor replaced.

    It stays locked until commit and is read afresh, so of two steps taken at once
    (lifting it while another extends it) the second is decided on the first's result.
    """
    measure, scope = _seen(actor, load_for_change(db.session, ProvisionalMeasure, measure_id))
    require_party(scope)
    if not is_open(measure):
        raise MeasureClosed(
            N_("This order was lifted or replaced; it cannot change any more."),
            {"current": [measure_status(measure, now)], "allowed": []},
        )
    return measure, scope


def update_measure(
    actor: User,
    measure_id: int,
    values: Mapping[str, Any],
    now: datetime,
    expected_version: int | None = None,
) -> ProvisionalMeasure:
    """Complete or correct an order: its effective date once made, its review hearing ...

    The expiry date itself changes only through an extension once one exists.
    ``expected_version`` is the version the editor saw; another change since refuses the edit.
    """
    measure, _scope = writable_measure(actor, measure_id, now)
    require_version(measure, expected_version, "measure", measure.id)
    unknown = set(values) - set(_MEASURE_FIELDS)
    if unknown:
        raise checklist.refuse(sorted(unknown)[0], N_("This field cannot be changed."))
    if "expires_on" in values and measure.extensions:
        raise checklist.refuse("expires_on", N_("Record an extension to change the expiry date."))
    effective_on = values.get("effective_on", measure.effective_on)
    expires_on = values.get("expires_on", measure.expires_on)
    _check_dates(effective_on, expires_on)
    if measure.extensions and effective_on is not None and current_expiry(measure) is not None:
        _check_dates(effective_on, current_expiry(measure))
    if "issuing_authority" in values:
        measure.issuing_authority = checklist.text(
            values["issuing_authority"], 300, "issuing_authority", required=True
        )
    if "order_reference" in values:
        measure.order_reference = checklist.text(values["order_reference"], 100, "order_reference")
    if "longest_duration_days" in values:
        _check_duration(values["longest_duration_days"])
        measure.longest_duration_days = values["longest_duration_days"]
    if "next_review_on" in values:
        measure.next_review_on = values["next_review_on"]
    measure.effective_on, measure.expires_on = effective_on, expires_on
    changes = {
        name: (
            value.isoformat() if isinstance(value, date) else None if value is None else str(value)
        )
        for name, value in values.items()
        if name in {"effective_on", "expires_on", "next_review_on", "longest_duration_days"}
    }
    record_measure_event(measure, "updated", actor, now, changes)
    _hold_assets(measure, actor, now)
    db.session.flush()
    audit.record(
        actor, "measure.updated", "measure", measure.id, {"fields": sorted(values)}, at=now
    )
    return measure


# --- reading ---------------------------------------------------------------------------------


def measure_view(actor: User, measure_id: int, now: datetime) -> MeasureView:
    """One measure with its derived status, extensions, consultations and history; audited."""
    measure, _scope = access_measure(actor, measure_id)
    audit.record(actor, "measure.viewed", "measure", measure.id, at=now)
    return read_measure(measure, now, detailed=True)


def measure_summaries(measures: Iterable[ProvisionalMeasure], now: datetime) -> list[MeasureView]:
    """Views (derived status, expiry instant) of measures the caller already obtained."""
    return [read_measure(each, now, detailed=False) for each in measures]


def list_measures(actor: User, case_id: int) -> list[ProvisionalMeasure]:
    """The case's measures the actor's sides see, oldest first."""
    scope = case_scope(actor, case_id)
    return list(
        db.session.scalars(
            select(ProvisionalMeasure)
            .where(
                ProvisionalMeasure.case_id == scope.case.id,
                ProvisionalMeasure.requested_state.in_(sorted(scope.visible)),
            )
            .order_by(ProvisionalMeasure.id)
        )
    )


def open_measures(actor: User) -> list[ProvisionalMeasure]:
    """Every measure neither lifted nor replaced in the actor's cases and sides (lapsed too)."""
    scopes = my_scopes(actor)
    if not scopes:
        return []
    rows = db.session.scalars(
        select(ProvisionalMeasure)
        .where(
            ProvisionalMeasure.case_id.in_(reached_cases(actor)),
            ProvisionalMeasure.lifted_at.is_(None),
            ProvisionalMeasure.replaced_at.is_(None),
        )
        .options(selectinload(ProvisionalMeasure.extensions))  # the expiry in force, for lists
        .order_by(ProvisionalMeasure.id)
    ).all()
    return [each for each in rows if each.requested_state in scopes[each.case_id]]


@dataclass(frozen=True)
class OpenExpiry:
    """An open order's expiry in force and the zone it is read in, for the deadline list."""

    id: int
    case_id: int
    requested_state: str
    issuing_state: str
    kind: str
    effective_on: date
    expiry: Expiry


def open_expiries(
    actor: User | None, expiring_by: date | None, seen: Mapping[int, frozenset[str]] | None = None
) -> list[OpenExpiry]:
    """The expiries in force of the open orders in the actor's relationships (with no actor,
    everywhere: the deadline engine's), soonest first.

    One statement, without loading the orders: the expiry in force (the latest extension's,
    else the order's own) and the issuing State's zone come from SQL, and with
    ``expiring_by`` only orders in effect by then and expiring on or before it come back.
    That date is the latest calendar date anywhere, so the rows are the window plus at most
    a day; callers read each returned order in its own zone.
    """
    scopes: Mapping[int, frozenset[str]] | None = None
    if actor is not None:
        scopes = my_scopes(actor) if seen is None else seen
        if not scopes:
            return []
    latest_extension = (
        select(MeasureExtension.new_expires_on)
        .where(MeasureExtension.measure_id == ProvisionalMeasure.id)
        .order_by(MeasureExtension.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    in_force = func.coalesce(latest_extension, ProvisionalMeasure.expires_on)
    query = (
        select(
            ProvisionalMeasure.id,
            ProvisionalMeasure.case_id,
            ProvisionalMeasure.requested_state,
            ProvisionalMeasure.issuing_state,
            ProvisionalMeasure.kind,
            ProvisionalMeasure.effective_on,
            in_force,
            State.time_zone,
        )
        .join(State, State.code == ProvisionalMeasure.issuing_state)
        .where(
            ProvisionalMeasure.lifted_at.is_(None),
            ProvisionalMeasure.replaced_at.is_(None),
            ProvisionalMeasure.effective_on.is_not(None),
            in_force.is_not(None),
        )
        .order_by(in_force, ProvisionalMeasure.id)
    )
    if actor is not None:
        query = query.where(ProvisionalMeasure.case_id.in_(reached_cases(actor)))
    if expiring_by is not None:
        query = query.where(ProvisionalMeasure.effective_on <= expiring_by, in_force <= expiring_by)
    return [
        # Dated orders only (the query's filter), so neither date is None.
        OpenExpiry(
            order, case_id, state, issuer, kind, cast(date, effective), Expiry(on, zone_named(zone))
        )
        for order, case_id, state, issuer, kind, effective, on, zone in db.session.execute(query)
        if scopes is None or state in scopes[case_id]
    ]
