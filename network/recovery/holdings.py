"""Who holds an asset and how: holdings recorded and removed (art. 52(1), res. 4/4 para 10).

A subject holds an asset directly, as its beneficial owner through a company (``via`` the
company, itself a subject of the case), or as a family member or close associate of a
politically exposed person (``via`` the PEP). Holder, asset and intermediary belong to the
same relationship of the case. The asset's primary holder (``Asset.holder_id``, the
``holder`` of the asset's form) is the direct holding ``assets.keep_primary_holding`` keeps.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from network.assistance import checklist
from network.audit import service as audit
from network.auth.models import User
from network.core.errors import NotFound
from network.core.i18n import N_
from network.extensions import db
from network.recovery.assets import writable_asset
from network.recovery.models import Asset, AssetHolding, Subject
from network.schemas.vocabularies import HOLDING_KINDS

# The role the intermediary of a PEP's family member or close associate is recorded with.
_VIA_ROLE = {"family_member": "pep", "close_associate": "pep"}


def _subject(asset: Asset, subject_id: int | None, field: str) -> Subject | None:
    """A subject of the asset's own case and relationship, or a refusal naming the field."""
    if subject_id is None:
        return None
    row = db.session.get(Subject, subject_id)
    if row is None or row.case_id != asset.case_id or row.requested_state != asset.requested_state:
        raise checklist.refuse(field, N_("Choose a subject recorded with the same State."))
    return row


def _via(asset: Asset, kind: str, holder: Subject, via: int | None) -> int | None:
    """The intermediary a holding of this kind needs, checked; a direct holding has none."""
    if kind == "direct":
        if via is not None:
            raise checklist.refuse("via", N_("A direct holding goes through no one."))
        return None
    middle = _subject(asset, via, "via")
    if middle is None:
        if kind == "beneficial_owner":
            raise checklist.refuse("via", N_("Choose the company it is held through."))
        raise checklist.refuse("via", N_("Choose the politically exposed person."))
    if middle.id == holder.id:
        raise checklist.refuse("via", N_("Choose someone other than the holder."))
    if kind == "beneficial_owner" and middle.kind != "legal":
        raise checklist.refuse("via", N_("Choose a legal person (the company)."))
    if kind in _VIA_ROLE and _VIA_ROLE[kind] not in (middle.roles or []):
        raise checklist.refuse(
            "via", N_("Choose a subject recorded as a politically exposed person.")
        )
    return middle.id


def link_holder(
    actor: User,
    asset_id: int,
    *,
    subject: int,
    kind: str,
    via: int | None = None,
    now: datetime,
) -> AssetHolding:
    """Record (or change) how a subject of the case holds the asset; audited."""
    asset, _scope = writable_asset(actor, asset_id)
    checklist.choice(kind, HOLDING_KINDS, "kind")
    holder = _subject(asset, subject, "subject")
    if holder is None:
        raise checklist.refuse("subject", N_("Choose a subject recorded with the same State."))
    if holder.id == asset.holder_id and kind != "direct":
        raise checklist.refuse(
            "kind", N_("The asset's primary holder holds it directly; change the holder first.")
        )
    through = _via(asset, kind, holder, via)
    holding = db.session.scalar(
        select(AssetHolding).where(
            AssetHolding.asset_id == asset.id, AssetHolding.subject_id == holder.id
        )
    )
    if holding is None:
        holding = AssetHolding(asset_id=asset.id, subject_id=holder.id)
        db.session.add(holding)
    holding.kind = kind
    holding.via_subject_id = through
    holding.recorded_by_id = actor.id
    holding.recorded_at = now
    db.session.flush()
    audit.record(
        actor,
        "asset.holding_recorded",
        "asset",
        asset.id,
        {"subject": holder.id, "kind": kind, "via": through},
        at=now,
    )
    return holding


def unlink_holder(actor: User, asset_id: int, subject_id: int, now: datetime) -> Asset:
    """Remove a subject's holding of the asset; the primary holder's too, which clears it."""
    asset, _scope = writable_asset(actor, asset_id)
    holding = db.session.scalar(
        select(AssetHolding).where(
            AssetHolding.asset_id == asset.id, AssetHolding.subject_id == subject_id
        )
    )
    if holding is None:
        raise NotFound(N_("This subject holds no such asset."), reason="holding_not_found")
    if asset.holder_id == subject_id:
        asset.holder_id = None
    db.session.delete(holding)
    db.session.flush()
    audit.record(actor, "asset.holding_removed", "asset", asset.id, {"subject": subject_id}, at=now)
    return asset
