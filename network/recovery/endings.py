"""How an order's term ends: extended (its end pushed back), lifted, or replaced by confiscation.

Each verb writes a line of the order's history, moves the assets it held and
writes its audit record; a lapsed order cannot be extended, only replaced by a
new one. Each loads the order locked (``writable_measure``) and decides on it
afresh, so of two steps taken at once the second sees the first's result; a
refusal says the order's status now and the steps it still allows.
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
from network.recovery.assets import lock_assets, move_asset
from network.recovery.checks import MAX_TEXT
from network.recovery.expiry import current_expiry, is_open, measure_status
from network.recovery.measures import record_measure_event, tell_about_measure, writable_measure
from network.recovery.models import Asset, MeasureExtension, ProvisionalMeasure
from network.schemas.vocabularies import NotificationKind


class MeasureAlreadyLapsed(Conflict):
    """The order lapsed before the extension was recorded; a new order is needed instead."""

    reason = "measure_lapsed"


class ExpiryMoved(Conflict):
    """The expiry an extension was computed from is no longer the one in force."""

    reason = "expiry_moved"


# The steps an open order's status allows: its term extended, or ended (lifted, replaced).
_STEPS: dict[str, tuple[str, ...]] = {
    "requested": ("lift", "replace"),
    "in_force": ("extend", "lift", "replace"),
    "extended": ("extend", "lift", "replace"),
    "lapsed": ("lift", "replace"),
}


def _now_state(measure: ProvisionalMeasure, status: str) -> dict[str, list[str]]:
    """What a refusal tells: the order's status and expiry now, and the steps it allows."""
    current = current_expiry(measure)
    return {
        "current": [status],
        "current_expires_on": [current.isoformat()] if current else [],
        "allowed": list(_STEPS.get(status, ())),
    }


def _extensible_expiry(
    measure: ProvisionalMeasure, new_expires_on: date, seen: date | None, now: datetime
) -> date:
    """The expiry in force, if the order may be extended to ``new_expires_on``; else a refusal.

    ``seen`` is the expiry the extension was computed from, if the caller says: when
    another extension moved it meanwhile, this one is refused rather than stacked on it.
    """
    current = current_expiry(measure)
    status = measure_status(measure, now)
    if status == "requested":
        raise Conflict(
            N_("This order is not in force yet; correct its dates instead of extending it."),
            {
                "new_expires_on": [N_("The order is not in force yet.")],
                **_now_state(measure, status),
            },
        )
    if current is None:
        raise checklist.refuse("new_expires_on", N_("This order has no expiry date to extend."))
    if status == "lapsed":
        raise MeasureAlreadyLapsed(
            N_("This order lapsed at the end of %(day)s; record a new order instead."),
            {
                "new_expires_on": [N_("The order has already lapsed.")],
                **_now_state(measure, status),
            },
            day=current.isoformat(),
        )
    if seen is not None and seen != current:
        raise ExpiryMoved(
            N_("This order now expires on %(current)s; check the extension against that date."),
            {
                "previous_expires_on": [N_("This is no longer the expiry in force.")],
                **_now_state(measure, status),
            },
            current=current.isoformat(),
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
    previous_expires_on: date | None = None,
    asked_by_state: str | None = None,
    note: str = "",
    now: datetime,
) -> MeasureExtension:
    """Record an extension; the new expiry must come after the current one (never shorten).

    ``previous_expires_on``, the expiry the caller extends, guards against two officers
    extending from the same date at once: the second is refused, not stacked on the first.
    """
    measure, scope = writable_measure(actor, measure_id, now)
    current = _extensible_expiry(measure, new_expires_on, previous_expires_on, now)
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
    tell_about_measure(
        NotificationKind.MEASURE_EXTENDED, measure, actor, now, date=new_expires_on.isoformat()
    )
    return extension


def _release_assets(measure: ProvisionalMeasure, actor: User, now: datetime) -> None:
    """Assets no other open order holds go back to "released".

    Each asset is locked before the other orders over it are read: of two orders over one
    asset lifted at once, the second sees the first lifted and releases the asset.
    """
    for asset in lock_assets(measure.assets):
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
    measure, _scope = writable_measure(actor, measure_id, now)
    text = checklist.text(reason, MAX_TEXT, "reason", required=True)
    measure.lifted_at = now
    measure.lifted_by_id = actor.id
    measure.lifted_reason = text
    record_measure_event(measure, "lifted", actor, now)
    _release_assets(measure, actor, now)
    db.session.flush()
    audit.record(actor, "measure.lifted", "measure", measure.id, at=now)
    tell_about_measure(NotificationKind.MEASURE_LIFTED, measure, actor, now)
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
    measure, _scope = writable_measure(actor, measure_id, now)
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
    for asset in lock_assets(measure.assets):
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
