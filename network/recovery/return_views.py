"""What a return under article 57 looks like to both sides: its arrangement, lines and totals."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from network.cases.access import PersonRef, person_of
from network.recovery.confiscations import ConfiscationView, read_confiscation, totals_by_currency
from network.recovery.models import CaseReturn, ReturnLine, ReturnMilestone
from network.sealing.integrity import FAILED, OK, Opened


@dataclass(frozen=True)
class ReturnLineView:
    id: int
    kind: str
    label: str | None
    purpose: str | None
    amount: Decimal | None
    currency: str | None
    on: date | None
    recorded_at: datetime


@dataclass(frozen=True)
class MilestoneView:
    id: int
    description: str | None
    due_on: date
    done_on: date | None


@dataclass
class ReturnView:
    """A return with its confiscation, arrangement steps, lines by kind and milestones."""

    id: int
    case_id: int
    requested_state: str
    basis: str
    arrangement: str
    draft_shared_on: date | None
    terms_agreed_on: date | None
    signed_on: date | None
    terms: str | None
    confiscation: ConfiscationView
    recorded_by: PersonRef | None
    recorded_at: datetime
    expenses: list[ReturnLineView] = field(default_factory=list)
    transfers: list[ReturnLineView] = field(default_factory=list)
    beneficiaries: list[ReturnLineView] = field(default_factory=list)
    compensations: list[ReturnLineView] = field(default_factory=list)
    milestones: list[MilestoneView] = field(default_factory=list)
    integrity: str = OK

    @property
    def transferred(self) -> dict[str, Decimal]:
        """The amounts transferred, by currency."""
        return totals_by_currency((e.amount, e.currency) for e in self.transfers if e.amount)

    @property
    def expenses_deducted(self) -> dict[str, Decimal]:
        """The reasonable expenses deducted (57(4)), by currency."""
        return totals_by_currency((e.amount, e.currency) for e in self.expenses if e.amount)

    @property
    def next_step(self) -> str | None:
        """The arrangement's next step (57(5)), or None once signed."""
        if self.draft_shared_on is None:
            return "draft_shared"
        if self.terms_agreed_on is None:
            return "terms_agreed"
        if self.signed_on is None:
            return "signed"
        return None


def _line(row: ReturnLine, flags: list[str]) -> ReturnLineView:
    sealed = Opened(row)
    view = ReturnLineView(
        id=row.id,
        kind=row.kind,
        label=sealed[ReturnLine.label],
        purpose=sealed[ReturnLine.purpose],
        amount=row.amount,
        currency=row.currency,
        on=row.on,
        recorded_at=row.recorded_at,
    )
    flags.append(sealed.integrity)
    return view


def _milestone(row: ReturnMilestone, flags: list[str]) -> MilestoneView:
    sealed = Opened(row)
    view = MilestoneView(row.id, sealed[ReturnMilestone.description], row.due_on, row.done_on)
    flags.append(sealed.integrity)
    return view


def read_return(row: CaseReturn) -> ReturnView:
    """The return as both sides of its relationship read it; a line that fails its check
    reads empty and flags the whole return."""
    sealed = Opened(row)
    flags: list[str] = []
    lines = [_line(each, flags) for each in row.lines]
    view = ReturnView(
        id=row.id,
        case_id=row.case_id,
        requested_state=row.requested_state,
        basis=row.basis,
        arrangement=row.arrangement,
        draft_shared_on=row.draft_shared_on,
        terms_agreed_on=row.terms_agreed_on,
        signed_on=row.signed_on,
        terms=sealed[CaseReturn.terms],
        confiscation=read_confiscation(row.confiscation),
        recorded_by=person_of(row.recorded_by),
        recorded_at=row.recorded_at,
        expenses=[each for each in lines if each.kind == "expense"],
        transfers=[each for each in lines if each.kind == "transfer"],
        beneficiaries=[each for each in lines if each.kind == "beneficiary"],
        compensations=[each for each in lines if each.kind == "compensation"],
        milestones=[_milestone(each, flags) for each in row.milestones],
    )
    flags.append(sealed.integrity)
    view.integrity = FAILED if FAILED in flags else OK
    return view
