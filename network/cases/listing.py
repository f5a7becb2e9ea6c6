"""Reading cases: one case as the actor's sides see it, and the actor's list of cases.

Unread counts are the messages' business: the edge asks ``messages.reading`` for
them and hands them in, so that cases never depend on messages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from network.audit import service as audit
from network.auth.models import User
from network.cases.access import access_case, may_hold, my_scopes, seat_kinds
from network.cases.models import (
    Case,
    CaseReference,
    Channel,
    ChannelMember,
    StageChange,
    TeamMember,
)
from network.cases.seating import Person, person_view
from network.cases.tables import Invitation, PartyView, invitations, parties_of
from network.core.errors import InvalidInput
from network.core.i18n import N_
from network.extensions import db
from network.schemas.vocabularies import ChannelKind, MemberKind
from network.sealing.integrity import OK, Opened


@dataclass(frozen=True)
class ChannelSummary:
    id: int
    # None for a multilateral table, whose invited States and answers are in ``parties``.
    requested_state: str | None
    kind: str = ChannelKind.BILATERAL.value
    parties: list[PartyView] = field(default_factory=list)


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
    # The multilateral tables the actor's requested side was invited to, with its answer.
    invitations: list[Invitation] = field(default_factory=list)
    stage_history: list[StageStep] = field(default_factory=list)
    integrity: str = OK
    version: int = 1  # the case's, for the ETag of an edit


def _views(actor: User, cases: Sequence[Case], unread: Mapping[int, int]) -> list[CaseView]:
    """What the actor's sides see of each case in a list: channels, references, title.

    Three queries for the whole list, whatever its length (and one for the data keys).
    """
    ids = [case.id for case in cases]
    mine: dict[int, set[int]] = defaultdict(set)
    party: set[int] = set()
    allowed = seat_kinds(actor)
    for channel_id, kind, case_id in db.session.execute(
        select(ChannelMember.channel_id, ChannelMember.kind, Channel.case_id)
        .join(Channel, Channel.id == ChannelMember.channel_id)
        .where(
            Channel.case_id.in_(ids),
            ChannelMember.user_id == actor.id,
            ChannelMember.removed_at.is_(None),
        )
    ):
        if kind in allowed:
            mine[case_id].add(channel_id)
            if kind == MemberKind.PARTY.value:
                party.add(case_id)
    channels: dict[int, list[ChannelSummary]] = defaultdict(list)
    for channel in db.session.scalars(
        select(Channel).where(Channel.case_id.in_(ids)).order_by(Channel.id)
    ):
        channels[channel.case_id].append(
            ChannelSummary(channel.id, channel.requested_state, channel.kind)
        )
    references: dict[int, dict[str, str]] = defaultdict(dict)
    for case_id, state_code, reference in db.session.execute(
        select(CaseReference.case_id, CaseReference.state_code, CaseReference.reference).where(
            CaseReference.case_id.in_(ids)
        )
    ):
        references[case_id][state_code] = reference
    Case.title.unwrap_keys(cases)
    views = []
    for case in cases:
        requesting_side = actor.state_code == case.requesting_state and case.id in party
        # A table is listed to whoever sits at it; an invitation alone shows nothing of it.
        visible = [
            each for each in channels[case.id] if requesting_side or each.id in mine[case.id]
        ]
        requested = [each.requested_state for each in visible if each.requested_state]
        visible_states = {case.requesting_state, *requested}
        sealed = Opened(case)
        views.append(
            CaseView(
                id=case.id,
                version=case.version,
                title=sealed[Case.title],
                requesting_state=case.requesting_state,
                requested_states=requested,
                stage=case.stage,
                channels=visible,
                references={
                    state: reference
                    for state, reference in references[case.id].items()
                    if state in visible_states
                },
                unread=unread.get(case.id, 0),
                opened_at=case.opened_at,
                integrity=sealed.integrity,
            )
        )
    return views


def _detail(view: CaseView, case: Case) -> CaseView:
    """Add the summary, the visible teams and observers, and the stage history."""
    sealed = Opened(case)
    view.summary = sealed[Case.summary]
    view.channels = [_with_parties(each) for each in view.channels]
    if sealed.failed:  # the title's check was made by _view; either failing flags the case
        view.integrity = sealed.integrity
    visible_states = {case.requesting_state, *view.requested_states}
    team = db.session.scalars(
        select(TeamMember)
        .where(TeamMember.case_id == case.id, TeamMember.removed_at.is_(None))
        .options(joinedload(TeamMember.user))  # one statement, however large the team
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
        select(StageChange)
        .where(StageChange.case_id == case.id)
        .options(joinedload(StageChange.changed_by))  # one statement, however long the history
        .order_by(StageChange.id)
    ).all()
    view.stage_history = [_stage_step(each) for each in changes]
    return view


def _with_parties(summary: ChannelSummary) -> ChannelSummary:
    """A table the actor sits at, with its invited States' answers."""
    if summary.kind != ChannelKind.MULTILATERAL.value:
        return summary
    channel = db.session.get(Channel, summary.id)
    assert channel is not None  # noqa: S101 - listed from the case's channels just now
    return replace(summary, parties=parties_of(channel))


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
    view = _detail(_views(actor, [case], {case.id: unread})[0], case)
    view.invitations = invitations(actor, case.id)
    audit.record(actor, "case.viewed", "case", case.id)
    return view


def my_cases(
    actor: User, page: int, per_page: int, unread: Callable[[Sequence[int]], Mapping[int, int]]
) -> tuple[list[CaseView], int]:
    """The cases the actor belongs to, newest first, with stage and unread counts.

    ``unread`` gives the actor's unread counts of the cases asked for (from
    ``messages.reading``); only the page's cases are asked for.
    """
    if page < 1 or not 1 <= per_page <= 200:
        raise InvalidInput(
            N_("Invalid page."), {"page": [N_("Pages start at 1; 1 to 200 per page.")]}
        )
    ids = sorted(my_scopes(actor), reverse=True)
    chosen = ids[(page - 1) * per_page : page * per_page]
    if not chosen:
        return [], len(ids)
    cases = {each.id: each for each in db.session.scalars(select(Case).where(Case.id.in_(chosen)))}
    return _views(actor, [cases[each] for each in chosen], unread(chosen)), len(ids)
