"""Assets: property of a case, recorded, corrected, moved along its statuses, fetched and listed.

An asset's status changes only through ``move_asset``, which writes the step of
its history; which step may follow which is ``asset_lifecycle``'s rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from network.assistance import checklist
from network.audit import service as audit
from network.auth.models import User
from network.cases.access import (
    CaseScope,
    case_scope,
    record_scope,
    require_party,
    writable_relationship,
)
from network.core.errors import InvalidTransition, NotFound
from network.core.i18n import N_
from network.core.locking import load_for_change
from network.directory.changes import require_version
from network.extensions import db
from network.recovery.asset_lifecycle import ASSET_TRANSITIONS, offered_statuses
from network.recovery.checks import MAX_TEXT, clean_identifiers, linked_id
from network.recovery.matching import index_asset
from network.recovery.models import Asset, AssetHolding, AssetStatusChange, Subject
from network.recovery.read_models import AssetView, read_asset
from network.schemas.vocabularies import ASSET_KINDS


def _holder(scope: CaseScope, holder_id: int | None, relationship: str) -> int | None:
    message = N_("Choose a subject recorded with the same State.")
    return linked_id(Subject, holder_id, scope, relationship, "holder", message)


def keep_primary_holding(asset: Asset, previous: int | None, actor: User, now: datetime) -> None:
    """Give the asset's primary holder (``holder_id``, just set) its direct holding.

    The previous primary holder's direct holding goes with it; a holding of another kind
    the new holder had becomes direct (``recovery.holdings`` records the others).
    """
    holder_id = asset.holder_id
    if previous is not None and previous != holder_id:
        old = _holding(asset.id, previous)
        if old is not None and old.kind == "direct":
            db.session.delete(old)
    if holder_id is not None:
        holding = _holding(asset.id, holder_id)
        if holding is None:
            holding = AssetHolding(asset_id=asset.id, subject_id=holder_id)
            db.session.add(holding)
        holding.kind, holding.via_subject_id = "direct", None
        holding.recorded_by_id, holding.recorded_at = actor.id, now
    db.session.flush()


def _holding(asset_id: int, subject_id: int) -> AssetHolding | None:
    return db.session.scalar(
        select(AssetHolding).where(
            AssetHolding.asset_id == asset_id, AssetHolding.subject_id == subject_id
        )
    )


def _value(
    estimated_value: Decimal | str | None, currency: str | None
) -> tuple[Decimal | None, str | None]:
    value = checklist.amount(estimated_value, "estimated_value", required=False)
    if value is None:
        if currency:
            return None, checklist.currency(currency)
        return None, None
    if not currency:
        raise checklist.refuse("currency", N_("Give the currency of the value."))
    return value, checklist.currency(currency)


def move_asset(
    asset: Asset,
    to: str,
    actor: User,
    now: datetime,
    reason: str = "",
    measure_id: int | None = None,
    *,
    initial: bool = False,
) -> None:
    """Set the asset's status and write the step of its history (reason sealed)."""
    step = AssetStatusChange(
        asset_id=asset.id,
        from_status=None if initial else asset.status,
        to_status=to,
        measure_id=measure_id,
        actor_id=actor.id,
        at=now,
        reason=reason,
    )
    db.session.add(step)
    asset.status = to
    asset.status_since = now
    db.session.flush()


def record_asset(
    actor: User,
    case_id: int,
    *,
    kind: str,
    location_state: str,
    holder: int | None = None,
    estimated_value: Decimal | str | None = None,
    currency: str | None = None,
    description: str = "",
    identifiers: Mapping[str, Any] | None = None,
    third_party_interests: str = "",
    requested_state: str | None = None,
    now: datetime,
) -> Asset:
    """Record an identified asset; description, identifiers and third-party interests are sealed.

    Unless named, the asset belongs to the relationship with the State it is
    located in (when that is one of the requested States the actor works with).
    """
    scope = case_scope(actor, case_id)
    require_party(scope)
    location = checklist.state_code(location_state, "location_state")
    if requested_state is None and location in scope.visible:
        requested_state = location
    relationship = writable_relationship(scope, requested_state, "requested_state")
    value, money = _value(estimated_value, currency)
    details = {
        "description": checklist.text(description, MAX_TEXT, "description"),
        "identifiers": clean_identifiers(identifiers),
        "third_party_interests": checklist.text(
            third_party_interests, MAX_TEXT, "third_party_interests"
        ),
    }
    asset = Asset(
        case_id=scope.case.id,
        requested_state=relationship,
        kind=checklist.choice(kind, ASSET_KINDS, "kind"),
        location_state=location,
        holder_id=_holder(scope, holder, relationship),
        estimated_value=value,
        currency=money,
        status="identified",
        status_since=now,
        recorded_by_id=actor.id,
        recorded_at=now,
        details=details,
    )
    db.session.add(asset)
    db.session.flush()
    keep_primary_holding(asset, None, actor, now)
    index_asset(asset)
    move_asset(asset, "identified", actor, now, initial=True)
    audit.record(
        actor,
        "asset.recorded",
        "asset",
        asset.id,
        {"case": scope.case.id, "kind": asset.kind, "location_state": location},
        at=now,
    )
    return asset


def _seen(actor: User, asset: Asset | None) -> tuple[Asset, CaseScope]:
    """The asset with its scope, if of a relationship the actor sees; else "not found"."""
    if asset is None:
        raise NotFound(N_("No such asset."), reason="asset_not_found")
    scope = record_scope(
        actor, asset.case_id, asset.requested_state,
        NotFound(N_("No such asset."), reason="asset_not_found"),
    )
    return asset, scope


def access_asset(actor: User, asset_id: int) -> tuple[Asset, CaseScope]:
    """Load an asset of a relationship the actor sees; missing and forbidden look alike."""
    return _seen(actor, db.session.get(Asset, asset_id))


def writable_asset(actor: User, asset_id: int) -> tuple[Asset, CaseScope]:
    """An asset the actor's side may change, locked until commit and read afresh.

    Two officers moving one asset at once: the second decides on the first one's result.
    """
    asset, scope = _seen(actor, load_for_change(db.session, Asset, asset_id))
    require_party(scope)
    return asset, scope


def lock_assets(assets: Iterable[Asset]) -> list[Asset]:
    """Lock an order's assets before deciding on their statuses, read afresh, in id order.

    In id order, so two orders over the same assets never wait for each other in a circle.
    """
    ids = sorted(each.id for each in assets)
    locked = (load_for_change(db.session, Asset, each) for each in ids)
    return [each for each in locked if each is not None]


def refused_step(asset: Asset) -> dict[str, list[str]]:
    """What a refusal of a step tells: the asset's status now and the statuses it may take."""
    return {"current": [asset.status], "allowed": offered_statuses(asset.status)}


def update_asset(
    actor: User,
    asset_id: int,
    values: Mapping[str, Any],
    now: datetime,
    expected_version: int | None = None,
) -> Asset:
    """Correct an asset's holder, value, description, identifiers or third-party interests.

    ``expected_version`` is the version the editor saw; another change since refuses the edit.
    """
    asset, scope = writable_asset(actor, asset_id)
    require_version(asset, expected_version, "asset", asset.id)
    if "holder" in values:
        previous = asset.holder_id
        asset.holder_id = _holder(scope, values["holder"], asset.requested_state)
        keep_primary_holding(asset, previous, actor, now)
    if "estimated_value" in values or "currency" in values:
        asset.estimated_value, asset.currency = _value(
            values.get("estimated_value", asset.estimated_value),
            values.get("currency", asset.currency),
        )
    details = asset.details
    if "description" in values:
        details["description"] = checklist.text(values["description"], MAX_TEXT, "description")
    if "identifiers" in values:
        details["identifiers"] = clean_identifiers(values["identifiers"])
    if "third_party_interests" in values:
        details["third_party_interests"] = checklist.text(
            values["third_party_interests"], MAX_TEXT, "third_party_interests"
        )
    asset.details = details
    db.session.flush()
    if "identifiers" in values:
        index_asset(asset)
    audit.record(actor, "asset.updated", "asset", asset.id, {"fields": sorted(values)}, at=now)
    return asset


def change_asset_status(actor: User, asset_id: int, to: str, reason: str, now: datetime) -> Asset:
    """Move an asset along identified → frozen or seized → confiscated → returned / released."""
    asset, _scope = writable_asset(actor, asset_id)
    allowed = ASSET_TRANSITIONS[asset.status]
    if to == "returned" and to in allowed:
        raise checklist.refuse("to", N_("Record the return with its basis and amount instead."))
    if to not in allowed:
        raise InvalidTransition(
            N_("An asset that is %(current)s cannot become %(to)s."),
            {"to": [N_("This step is not allowed now.")], **refused_step(asset)},
            current=asset.status,
            to=to,
        )
    previous = asset.status
    move_asset(asset, to, actor, now, checklist.text(reason, MAX_TEXT, "reason"))
    audit.record(
        actor, "asset.status_changed", "asset", asset.id, {"from": previous, "to": to}, at=now
    )
    return asset


def asset_view(actor: User, asset_id: int, now: datetime) -> AssetView:
    """One asset with its history and returns; the read is audited."""
    asset, _scope = access_asset(actor, asset_id)
    audit.record(actor, "asset.viewed", "asset", asset.id, at=now)
    return read_asset(asset, detailed=True)


def list_assets(actor: User, case_id: int) -> list[AssetView]:
    """The case's assets the actor's sides see, oldest first."""
    scope = case_scope(actor, case_id)
    rows = db.session.scalars(
        select(Asset)
        .where(Asset.case_id == scope.case.id, Asset.requested_state.in_(sorted(scope.visible)))
        .order_by(Asset.id)
    ).all()
    return [read_asset(each, detailed=False) for each in rows]
