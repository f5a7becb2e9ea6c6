"""Reading cases: one case as the actor's sides see it, and the actor's list of cases.

Unread counts are the messages' business: the edge asks ``messages.reading`` for
them and hands them in, so that cases never depend on messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from network.audit import service as audit
from network.auth.models import User
from network.cases.access import (
    access_case,
    case_channels,
    may_hold,
    memberships_in_case,
    my_scopes,
)
from network.cases.models import Case, CaseReference, ChannelMember, StageChange, TeamMember
from network.cases.seating import Person, person_view
from network.core.errors import InvalidInput
from network.core.i18n import N_
from network.extensions import db
from network.schemas.vocabularies import MemberKind
from network.sealing.integrity import OK, Opened


@dataclass(frozen=True)
class ChannelSummary:
    id: int
    requested_state: str


@dataclass(frozen=True)
class ObserverSeat:
    person: Person
    channel_id: int
    invited_by_state: str | None


@dataclass(frozen=True)
class StageStep:
    from_stage: str | None
    to_stage: str
    reason: str | None
    changed_by: Person
    changed_at: datetime
    integrity: str = OK


@dataclass
class CaseView:
    """A case as one member sees it: only the channels, teams and references of their sides.

    A requested State sees the requesting State and itself, never the other
    requested States; the requesting side sees every channel. A title or summary
    that fails its integrity check is None, and ``integrity`` says ``failed``.
    """

    id: int
    title: str | None
    requesting_state: str
    requested_states: list[str]
    stage: str
    channels: list[ChannelSummary]
    references: dict[str, str]
    unread: int
    opened_at: datetime
    summary: str | None = None
    team: list[Person] = field(default_factory=list)
    observers: list[ObserverSeat] = field(default_factory=list)
    stage_history: list[StageStep] = field(default_factory=list)
    integrity: str = OK


def _view(actor: User, case: Case, unread: int) -> CaseView:
    """What the actor's sides see of the case in a list: channels, references, title."""
    seats = memberships_in_case(actor, case.id)
    mine = {seat.channel_id for seat in seats}
    requesting_side = actor.state_code == case.requesting_state and any(
        seat.kind == MemberKind.PARTY.value for seat in seats
    )
    visible = [each for each in case_channels(case.id) if requesting_side or each.id in mine]
    visible_states = {case.requesting_state, *(each.requested_state for each in visible)}
    references = {
        row.state_code: row.reference
        for row in db.session.scalars(select(CaseReference).where(CaseReference.case_id == case.id))
        if row.state_code in visible_states
    }
    sealed = Opened(case)
    return CaseView(
        id=case.id,
        title=sealed[Case.title],
        requesting_state=case.requesting_state,
        requested_states=[each.requested_state for each in visible],
        stage=case.stage,
        channels=[ChannelSummary(each.id, each.requested_state) for each in visible],
        references=references,
        unread=unread,
        opened_at=case.opened_at,
        integrity=sealed.integrity,
    )


def _detail(view: CaseView, case: Case) -> CaseView:
    """Add the summary, the visible teams and observers, and the stage history."""
    sealed = Opened(case)
    view.summary = sealed[Case.summary]
    if sealed.failed:  # the title's check was made by _view; either failing flags the case
        view.integrity = sealed.integrity
    visible_states = {case.requesting_state, *view.requested_states}
    team = db.session.scalars(
        select(TeamMember)
        .where(TeamMember.case_id == case.id, TeamMember.removed_at.is_(None))
        .order_by(TeamMember.id)
    ).all()
    view.team = [person_view(each.user) for each in team if each.state_code in visible_states]
    observer_seats = db.session.scalars(
        select(ChannelMember)
        .where(
            ChannelMember.channel_id.in_([each.id for each in view.channels]),
            ChannelMember.kind == MemberKind.OBSERVER.value,
            ChannelMember.removed_at.is_(None),
        )
        .order_by(ChannelMember.id)
    ).all()
    view.observers = [
        ObserverSeat(person_view(seat.user), seat.channel_id, seat.invited_by_state)
        for seat in observer_seats
        if may_hold(seat.user, seat)
    ]
    changes = db.session.scalars(
        select(StageChange).where(StageChange.case_id == case.id).order_by(StageChange.id)
    ).all()
    view.stage_history = [_stage_step(each) for each in changes]
    return view


def _stage_step(change: StageChange) -> StageStep:
    sealed = Opened(change)
    return StageStep(
        from_stage=change.from_stage,
        to_stage=change.to_stage,
        reason=sealed[StageChange.reason],
        changed_by=person_view(change.changed_by),
        changed_at=change.changed_at,
        integrity=sealed.integrity,
    )


def case_view(actor: User, case_id: int, unread: int = 0) -> CaseView:
    """The whole case as the actor may see it (summary, team, observers, history); audited.

    ``unread`` is the actor's count of unread messages in it, from ``messages.reading``.
    """
    case = access_case(actor, case_id)
    view = _detail(_view(actor, case, unread), case)
    audit.record(actor, "case.viewed", "case", case.id)
    return view


def my_cases(
    actor: User, page: int, per_page: int, unread: Mapping[int, int]
) -> tuple[list[CaseView], int]:
    """The cases the actor belongs to, newest first, with stage and the unread counts given."""
    if page < 1 or not 1 <= per_page <= 200:
        raise InvalidInput(
            N_("Invalid page."), {"page": [N_("Pages start at 1; 1 to 200 per page.")]}
        )
    ids = sorted(my_scopes(actor), reverse=True)
    chosen = ids[(page - 1) * per_page : page * per_page]
    cases = (
        {each.id: each for each in db.session.scalars(select(Case).where(Case.id.in_(chosen)))}
        if chosen
        else {}
    )
    return [_view(actor, cases[each], unread.get(each, 0)) for each in chosen], len(ids)
