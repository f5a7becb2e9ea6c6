"""How an order's term ends: extended (its end pushed back), lifted, or replaced by confiscation.

Each verb writes a line of the order's history, moves the assets it held and
writes its audit record; a lapsed order cannot be extended, only replaced by a
new one.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from network.assistance import checklist
from network.audit import service as audit
from network.auth.models import User
from network.core.errors import Conflict
from network.core.i18n import N_
from network.extensions import db
from network.recovery.assets import move_asset
from network.recovery.checks import MAX_TEXT
from network.recovery.expiry import current_expiry, is_open, measure_status
from network.recovery.measures import record_measure_event, writable_measure
from network.recovery.models import Asset, MeasureExtension, ProvisionalMeasure


class MeasureAlreadyLapsed(Conflict):
    """The order lapsed before the extension was recorded; a new order is needed instead."""


def _extensible_expiry(measure: ProvisionalMeasure, new_expires_on: date, now: datetime) -> date:
    """The expiry in force, if the order may be extended to ``new_expires_on``; else a refusal."""
    current = current_expiry(measure)
    status = measure_status(measure, now)
    if status == "requested":
        raise Conflict(
            N_("This order is not in force yet; correct its dates instead of extending it."),
            {"new_expires_on": [N_("The order is not in force yet.")]},
        )
    if current is None:
        raise checklist.refuse("new_expires_on", N_("This order has no expiry date to extend."))
    if status == "lapsed":
        raise MeasureAlreadyLapsed(
            N_("This order lapsed at the end of %(day)s; record a new order instead."),
            {"new_expires_on": [N_("The order has already lapsed.")]},
            day=current.isoformat(),
        )
    if new_expires_on <= current:
        raise checklist.refuse(
            "new_expires_on",
            N_("An extension must lengthen the order: choose a date after %(current)s."),
            N_("An extension must lengthen the order: choose a date after %(current)s."),
            current=current.isoformat(),
        )
    return current


def extend_measure(
    actor: User,
    measure_id: int,
    *,
    new_expires_on: date,
    asked_by_state: str | None = None,
    note: str = "",
    now: datetime,
) -> MeasureExtension:
    """Record an extension; the new expiry must come after the current one (never shorten)."""
    measure, scope = writable_measure(actor, measure_id)
    current = _extensible_expiry(measure, new_expires_on, now)
    asker = checklist.state_code(asked_by_state or actor.state_code, "asked_by_state")
    if asker not in {scope.case.requesting_state, measure.requested_state}:
        raise checklist.refuse("asked_by_state", N_("Choose one of the two States of this order."))
    extension = MeasureExtension(
        measure_id=measure.id,
        previous_expires_on=current,
        new_expires_on=new_expires_on,
        asked_by_state=asker,
        note=checklist.text(note, 500, "note"),
        recorded_by_id=actor.id,
        recorded_at=now,
    )
    db.session.add(extension)
    measure.extensions.append(extension)
    db.session.flush()
    moved = {"from": current.isoformat(), "to": new_expires_on.isoformat(), "asked_by": asker}
    record_measure_event(measure, "extended", actor, now, moved)
    db.session.flush()
    audit.record(actor, "measure.extended", "measure", measure.id, dict(moved), at=now)
    return extension


def _release_assets(measure: ProvisionalMeasure, actor: User, now: datetime) -> None:
    """Assets no other open order holds go back to "released"."""
    for asset in measure.assets:
        if asset.status != "frozen_or_seized":
            continue
        others = [
            each
            for each in db.session.scalars(
                select(ProvisionalMeasure).where(
                    ProvisionalMeasure.assets.any(Asset.id == asset.id),
                    ProvisionalMeasure.id != measure.id,
                )
            )
            if is_open(each) and measure_status(each, now) in {"in_force", "extended"}
        ]
        if not others:
            move_asset(asset, "released", actor, now, f"Order {measure.id} lifted.", measure.id)


def lift_measure(actor: User, measure_id: int, *, reason: str, now: datetime) -> ProvisionalMeasure:
    """Record that the order was lifted, and why; assets no other order holds are released."""
    measure, _scope = writable_measure(actor, measure_id)
    text = checklist.text(reason, MAX_TEXT, "reason", required=True)
    measure.lifted_at = now
    measure.lifted_by_id = actor.id
    measure.lifted_reason = text
    record_measure_event(measure, "lifted", actor, now)
    _release_assets(measure, actor, now)
    db.session.flush()
    audit.record(actor, "measure.lifted", "measure", measure.id, at=now)
    return measure


def replace_with_confiscation(
    actor: User,
    measure_id: int,
    *,
    confiscation_reference: str = "",
    confiscated_on: date | None = None,
    now: datetime,
) -> ProvisionalMeasure:
    """The order gives way to a confiscation order; the assets it covered are confiscated."""
    measure, _scope = writable_measure(actor, measure_id)
    measure.replaced_at = now
    measure.replaced_by_id = actor.id
    measure.confiscation_reference = checklist.text(
        confiscation_reference, 100, "confiscation_reference"
    )
    measure.confiscated_on = confiscated_on
    record_measure_event(
        measure,
        "replaced",
        actor,
        now,
        {"confiscated_on": confiscated_on.isoformat() if confiscated_on else None},
    )
    for asset in measure.assets:
        if asset.status in {"identified", "frozen_or_seized", "released"}:
            move_asset(
                asset,
                "confiscated",
                actor,
                now,
                f"Order {measure.id} replaced by confiscation.",
                measure.id,
            )
    db.session.flush()
    audit.record(actor, "measure.replaced", "measure", measure.id, at=now)
    return measure
