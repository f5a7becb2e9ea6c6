"""The lines of a return (expenses deducted, transfers, beneficiaries, victims' compensation)
and its follow-up milestones, each a deadline of both sides.

With the first transfer the assets the order took become "returned". Money rules: amounts
are above zero in an ISO 4217 currency; a transfer waits for a final
confiscation; in a currency the order confiscated, the expenses deducted (57(4)) and the
amounts transferred together never exceed what was confiscated.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from network.assistance import checklist
from network.audit import service as audit
from network.auth.models import User
from network.cases.access import my_scopes, reached_cases
from network.core.errors import Conflict, NotFound
from network.core.i18n import N_
from network.extensions import db
from network.recovery.assets import lock_assets, move_asset
from network.recovery.checks import MAX_TEXT
from network.recovery.confiscations import positive, tell_about_return, totals_by_currency
from network.recovery.models import Asset, CaseReturn, ReturnLine, ReturnMilestone
from network.recovery.returns import access_return, writable_return
from network.schemas.vocabularies import RETURN_LINE_KINDS

_CLOCK_SLACK = timedelta(days=1)
MAX_LABEL = 500
MAX_LINES = 200


def _check_total(row: CaseReturn, kind: str, amount: Decimal, currency: str) -> None:
    """Expenses and transfers stay within the amount confiscated in that currency."""
    if kind not in {"expense", "transfer"}:
        return
    confiscated = totals_by_currency(
        (each.amount, each.currency) for each in row.confiscation.lines
    )
    if currency not in confiscated:
        return
    used = sum(
        (
            each.amount
            for each in row.lines
            if each.kind in {"expense", "transfer"} and each.currency == currency and each.amount
        ),
        Decimal(0),
    )
    if used + amount > confiscated[currency]:
        raise checklist.refuse(
            "amount",
            N_(
                "Expenses and transfers in %(currency)s would come to more than the "
                "%(confiscated)s confiscated."
            ),
            currency=currency,
            confiscated=f"{confiscated[currency]:,.2f} {currency}",
        )


def _mark_returned(row: CaseReturn, actor: User, now: datetime) -> None:
    """With the first transfer, the assets the order took become "returned" (art. 57)."""
    taken = [db.session.get(Asset, each.asset_id) for each in row.confiscation.lines]
    for asset in lock_assets(each for each in taken if each is not None):
        if asset.status == "confiscated":
            move_asset(asset, "returned", actor, now, f"Transfer under return {row.id}.")


def add_line(
    actor: User,
    return_id: int,
    *,
    kind: str,
    label: str = "",
    purpose: str = "",
    amount: Decimal | str | None = None,
    currency: str | None = None,
    on: date | None = None,
    now: datetime,
) -> ReturnLine:
    """Add an expense deducted (57(4)), a transfer, a beneficiary with its purpose, or a
    victim's compensation (57(3)(c)) to a return; who and what are sealed."""
    row = writable_return(actor, return_id)
    checklist.choice(kind, RETURN_LINE_KINDS, "kind")
    if len(row.lines) >= MAX_LINES:
        raise checklist.refuse("kind", N_("At most %(max)s entries."), max=MAX_LINES)
    label = checklist.text(label, MAX_LABEL, "label", required=kind != "transfer")
    purpose = checklist.text(purpose, MAX_TEXT, "purpose", required=kind == "beneficiary")
    if kind != "beneficiary" and purpose:
        raise checklist.refuse("purpose", N_("A purpose is given only for a beneficiary."))
    money: Decimal | None = None
    code: str | None = None
    if kind != "beneficiary" or amount not in (None, ""):
        money = positive(amount, "amount")
        code = checklist.currency(currency)
    elif currency:
        code = checklist.currency(currency)
    if kind == "transfer":
        if on is None:
            raise checklist.refuse("on", N_("Give the date of the transfer."))
        if on > now.date() + _CLOCK_SLACK:
            raise checklist.refuse("on", N_("A transfer cannot be dated in the future."))
        if row.confiscation.finality != "final":
            raise Conflict(
                N_("Funds are transferred only once the confiscation order is final."),
                reason="confiscation_not_final",
            )
    elif on is not None:
        raise checklist.refuse("on", N_("A date is given only for a transfer."))
    if money is not None and code is not None:
        _check_total(row, kind, money, code)
    line = ReturnLine(
        return_id=row.id,
        kind=kind,
        amount=money,
        currency=code,
        on=on,
        recorded_by_id=actor.id,
        recorded_at=now,
        label=label,
        purpose=purpose,
    )
    db.session.add(line)
    db.session.flush()
    if kind == "transfer":
        _mark_returned(row, actor, now)
    db.session.refresh(row)
    words = {"kind": kind, "amount": str(money) if money else None, "currency": code}
    audit.record(actor, "return.line_added", "return", row.id, {"line": line.id, **words}, at=now)
    tell_about_return(row.case_id, row.requested_state, actor, now)
    return line


def access_line(actor: User, line_id: int) -> ReturnLine:
    """A line of a return the actor sees; missing and forbidden look alike."""
    line = db.session.get(ReturnLine, line_id)
    missing = NotFound(N_("No such line."), reason="line_not_found")
    if line is None:
        raise missing
    try:
        access_return(actor, line.return_id)
    except NotFound:
        raise missing from None
    return line


def access_milestone(actor: User, milestone_id: int) -> ReturnMilestone:
    """A milestone of a return the actor sees; missing and forbidden look alike."""
    milestone = db.session.get(ReturnMilestone, milestone_id)
    missing = NotFound(N_("No such milestone."), reason="milestone_not_found")
    if milestone is None:
        raise missing
    try:
        access_return(actor, milestone.return_id)
    except NotFound:
        raise missing from None
    return milestone


def remove_line(actor: User, line_id: int, now: datetime) -> CaseReturn:
    """Remove a line recorded by mistake; the audit keeps what it was."""
    line = access_line(actor, line_id)
    row = writable_return(actor, line.return_id)
    db.session.delete(line)
    db.session.flush()
    db.session.refresh(row)
    audit.record(
        actor,
        "return.line_removed",
        "return",
        row.id,
        {
            "line": line_id,
            "kind": line.kind,
            "amount": str(line.amount or ""),
            "currency": line.currency,
        },
        at=now,
    )
    tell_about_return(row.case_id, row.requested_state, actor, now)
    return row


def add_milestone(
    actor: User, return_id: int, *, description: str, due_on: date, now: datetime
) -> ReturnMilestone:
    """Add a follow-up step the parties agreed (a report on the use of the funds ...): a
    deadline in both sides' lists, reminded like the others."""
    row = writable_return(actor, return_id)
    if len(row.milestones) >= MAX_LINES:
        raise checklist.refuse("description", N_("At most %(max)s entries."), max=MAX_LINES)
    milestone = ReturnMilestone(
        return_id=row.id,
        due_on=due_on,
        recorded_by_id=actor.id,
        recorded_at=now,
        description=checklist.text(description, MAX_LABEL, "description", required=True),
    )
    db.session.add(milestone)
    db.session.flush()
    db.session.refresh(row)
    audit.record(
        actor,
        "return.milestone_added",
        "return",
        row.id,
        {"milestone": milestone.id, "due_on": due_on.isoformat()},
        at=now,
    )
    tell_about_return(row.case_id, row.requested_state, actor, now)
    return milestone


def complete_milestone(
    actor: User, milestone_id: int, *, done_on: date, now: datetime
) -> ReturnMilestone:
    """Record that a milestone was met; it leaves the deadline lists."""
    milestone = access_milestone(actor, milestone_id)
    row = writable_return(actor, milestone.return_id)
    if milestone.done_on is not None:
        raise Conflict(N_("This milestone was already met."), reason="milestone_done")
    if done_on > now.date() + _CLOCK_SLACK:
        raise checklist.refuse("done_on", N_("That date is in the future."))
    milestone.done_on = done_on
    db.session.flush()
    audit.record(
        actor,
        "return.milestone_done",
        "return",
        row.id,
        {"milestone": milestone.id, "done_on": done_on.isoformat()},
        at=now,
    )
    tell_about_return(row.case_id, row.requested_state, actor, now)
    return milestone


# --- for the deadline engine ----------------------------------------------------------------


def open_milestones(
    user: User | None = None, seen: Mapping[int, frozenset[str]] | None = None
) -> list[tuple[ReturnMilestone, CaseReturn]]:
    """Milestones not yet met: of the relationships ``user`` sees, or all (reminders).

    ``seen`` are the user's scopes (``my_scopes``) when the caller has them already; the
    user's cases are chosen in SQL, so the list does not grow with other cases' returns.
    """
    query = (
        select(ReturnMilestone, CaseReturn)
        .join(CaseReturn, CaseReturn.id == ReturnMilestone.return_id)
        .where(ReturnMilestone.done_on.is_(None))
        .order_by(ReturnMilestone.due_on, ReturnMilestone.id)
    )
    if user is None:
        return [(m, r) for m, r in db.session.execute(query).all()]
    scopes = my_scopes(user) if seen is None else seen
    if not scopes:
        return []
    rows = db.session.execute(query.where(CaseReturn.case_id.in_(reached_cases(user)))).all()
    return [(m, r) for m, r in rows if r.requested_state in scopes[r.case_id]]
