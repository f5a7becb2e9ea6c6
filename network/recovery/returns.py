"""Returns of confiscated property under article 57, and the arrangement they are agreed by.

A case-level return (``CaseReturn``) rests on a confiscation order and covers the assets
it took: the arrangement under 57(5) (agreement, arrangement or case by case; draft
shared for comment, terms agreed, signed), then its lines and milestones
(``return_lines``). ``record_return`` keeps the older per-asset record (one row per
asset and instalment) working beside it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from network.assistance import checklist
from network.audit import service as audit
from network.auth.models import User
from network.cases.access import CaseScope, case_scope, record_scope, require_party
from network.core.errors import InvalidTransition, NotFound
from network.core.i18n import N_
from network.core.locking import load_for_change
from network.extensions import db
from network.recovery.assets import move_asset, refused_step, writable_asset
from network.recovery.checks import MAX_TEXT
from network.recovery.confiscations import access_confiscation, tell_about_return
from network.recovery.models import AssetReturn, CaseReturn
from network.recovery.return_views import ReturnView, read_return
from network.schemas.vocabularies import RETURN_ARRANGEMENTS, RETURN_BASES, RETURN_STEPS

# A step dated by a State ahead of UTC may already be a day further on.
_CLOCK_SLACK = timedelta(days=1)
# The arrangement's steps in order, each with the column holding its date.
STEP_COLUMNS = {
    "draft_shared": "draft_shared_on",
    "terms_agreed": "terms_agreed_on",
    "signed": "signed_on",
}


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


# --- the case-level return -------------------------------------------------------------------


def open_return(
    actor: User,
    case_id: int,
    *,
    confiscation: int,
    basis: str,
    arrangement: str,
    terms: str = "",
    now: datetime,
) -> CaseReturn:
    """Open the return of what a confiscation order took, with its basis (57(3)) and the kind
    of arrangement it will be agreed by (57(5)); the terms are sealed."""
    scope = case_scope(actor, case_id)
    require_party(scope)
    order, _order_scope = access_confiscation(actor, confiscation)
    if order.case_id != scope.case.id:
        raise checklist.refuse("confiscation", N_("Choose a confiscation order of this case."))
    row = CaseReturn(
        case_id=scope.case.id,
        requested_state=order.requested_state,
        confiscation_id=order.id,
        basis=checklist.choice(basis, RETURN_BASES, "basis"),
        arrangement=checklist.choice(arrangement, RETURN_ARRANGEMENTS, "arrangement"),
        recorded_by_id=actor.id,
        recorded_at=now,
        terms=checklist.text(terms, MAX_TEXT, "terms"),
    )
    db.session.add(row)
    db.session.flush()
    audit.record(
        actor, "return.opened", "return", row.id,
        {"case": row.case_id, "confiscation": order.id, "basis": basis}, at=now,
    )
    tell_about_return(row.case_id, row.requested_state, actor, now)
    return row


def _seen(actor: User, row: CaseReturn | None) -> tuple[CaseReturn, CaseScope]:
    missing = NotFound(N_("No such return."), reason="return_not_found")
    if row is None:
        raise missing
    return row, record_scope(actor, row.case_id, row.requested_state, missing)


def access_return(actor: User, return_id: int) -> tuple[CaseReturn, CaseScope]:
    """A return of a relationship the actor sees; missing and forbidden look alike."""
    return _seen(actor, db.session.get(CaseReturn, return_id))


def writable_return(actor: User, return_id: int) -> CaseReturn:
    """A return a party of its relationship changes, locked until commit and read afresh."""
    row, scope = _seen(actor, load_for_change(db.session, CaseReturn, return_id))
    require_party(scope)
    return row


def record_arrangement_step(
    actor: User, return_id: int, *, step: str, on: date, terms: str | None = None, now: datetime
) -> CaseReturn:
    """Date the next step of the arrangement (57(5)): draft shared for comment, terms agreed,
    signed, in that order; the terms may be given or updated with any step."""
    row = writable_return(actor, return_id)
    checklist.choice(step, RETURN_STEPS, "step")
    order = list(STEP_COLUMNS)
    done = [each for each in order if getattr(row, STEP_COLUMNS[each]) is not None]
    expected = order[len(done)] if len(done) < len(order) else None
    if step != expected:
        raise InvalidTransition(
            N_("This step cannot follow the last one recorded."),
            {"step": [N_("This step is not allowed now.")],
             "current": done[-1:], "allowed": [expected] if expected else []},
        )
    if on > now.date() + _CLOCK_SLACK:
        raise checklist.refuse("on", N_("A step cannot be dated in the future."))
    if done and on < getattr(row, STEP_COLUMNS[done[-1]]):
        raise checklist.refuse("on", N_("A step cannot be dated before the one before it."))
    setattr(row, STEP_COLUMNS[step], on)
    if terms is not None:
        row.terms = checklist.text(terms, MAX_TEXT, "terms")
    db.session.flush()
    audit.record(actor, "return.step", "return", row.id,
                 {"step": step, "on": on.isoformat()}, at=now)
    tell_about_return(row.case_id, row.requested_state, actor, now)
    return row


def return_view(actor: User, return_id: int, now: datetime) -> ReturnView:
    """One return with its lines and milestones; the read is audited."""
    row, _scope = access_return(actor, return_id)
    audit.record(actor, "return.viewed", "return", row.id, at=now)
    return read_return(row)


def list_returns(actor: User, case_id: int) -> list[ReturnView]:
    """The case's returns of the relationships the actor sees, oldest first."""
    scope = case_scope(actor, case_id)
    rows = db.session.scalars(
        select(CaseReturn)
        .where(
            CaseReturn.case_id == scope.case.id,
            CaseReturn.requested_state.in_(sorted(scope.visible)),
        )
        .order_by(CaseReturn.id)
    ).all()
    return [read_return(each) for each in rows]
