"""Returns of confiscated property under article 57: basis, amount, expenses, agreement."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from network.assistance import checklist
from network.audit import service as audit
from network.auth.models import User
from network.core.errors import InvalidTransition
from network.core.i18n import N_
from network.extensions import db
from network.recovery.assets import move_asset, refused_step, writable_asset
from network.recovery.models import AssetReturn
from network.schemas.vocabularies import RETURN_BASES


def record_return(
    actor: User,
    asset_id: int,
    *,
    basis: str,
    amount: Decimal | str,
    currency: str,
    expenses_deducted: Decimal | str = "0",
    agreement_reference: str = "",
    disbursed_on: date | None = None,
    now: datetime,
) -> AssetReturn:
    """Record a return of confiscated property (57(3)), the expenses deducted (57(4)), the
    agreement (57(5)); the asset becomes "returned". Returns in instalments add rows."""
    asset, _scope = writable_asset(actor, asset_id)
    if asset.status not in {"confiscated", "returned"}:
        raise InvalidTransition(
            N_("Only confiscated property can be returned; this asset is %(status)s."),
            {"status": [N_("Confiscate the asset first.")], **refused_step(asset)},
            status=asset.status,
        )
    checklist.choice(basis, RETURN_BASES, "basis")
    gross = checklist.amount(amount, "amount")
    expenses = checklist.amount(expenses_deducted, "expenses_deducted") or Decimal(0)
    assert gross is not None  # noqa: S101 - required above
    if expenses > gross:
        raise checklist.refuse("expenses_deducted", N_("Expenses cannot exceed the amount."))
    row = AssetReturn(
        asset_id=asset.id,
        basis=basis,
        amount=gross,
        currency=checklist.currency(currency),
        expenses_deducted=expenses,
        agreement_reference=checklist.text(agreement_reference, 200, "agreement_reference"),
        disbursed_on=disbursed_on,
        recorded_by_id=actor.id,
        recorded_at=now,
    )
    db.session.add(row)
    db.session.flush()
    if asset.status != "returned":
        move_asset(asset, "returned", actor, now, f"Return recorded under {basis}.")
    audit.record(
        actor,
        "asset.returned",
        "asset",
        asset.id,
        {"return": row.id, "basis": basis, "amount": str(gross), "currency": row.currency},
        at=now,
    )
    return row
