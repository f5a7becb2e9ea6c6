"""Case services: opening a case, each side's team and reference, observers, and the stage.

Every seat taken or given up goes through ``seating``, which writes the case
history and tells the parties (nobody takes a seat unseen).

Title, summary and stage reasons are sealed with a data key of the case's own
(``cases.data_key_id``), distinct from its channels' keys, so that retention can
drop one channel's content without losing the case. Every function takes the
acting user and plain values, writes its audit record in the caller's
transaction and flushes; the entry point commits once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from network.audit import service as audit
from network.auth.models import User
from network.auth.policy import Action, require
from network.cases import seating
from network.cases.access import (
    PARTY_ROLES,
    access_case,
    access_channel,
    current_membership,
    may_hold,
    memberships_in_case,
)
from network.cases.models import (
    Case,
    CaseReference,
    Channel,
    ChannelMember,
    StageChange,
    TeamMember,
)
from network.cases.seating import Person, person_view
from network.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from network.core.events import DomainEvent, queue
from network.core.i18n import N_
from network.crypto import SCHEME_HUB_V1
from network.directory.models import State
from network.extensions import db
from network.messages.reading import unread_counts
from network.schemas.vocabularies import MemberKind, Role, Stage
from network.sealing import keystore
from network.sealing.integrity import OK, Opened

MAX_TITLE = 200
MAX_SUMMARY = 20_000
MAX_REFERENCE = 100
MAX_REASON = 2_000
MAX_REQUESTED_STATES = 20
MAX_COUNTERPARTS = 50


# --- views -----------------------------------------------------------------------------------


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


# --- helpers ---------------------------------------------------------------------------------


def _channels(case_id: int) -> list[Channel]:
    return list(
        db.session.scalars(select(Channel).where(Channel.case_id == case_id).order_by(Channel.id))
    )


def _current_team_member(case_id: int, user_id: int) -> TeamMember | None:
    return db.session.scalar(
        select(TeamMember).where(
            TeamMember.case_id == case_id,
            TeamMember.user_id == user_id,
            TeamMember.removed_at.is_(None),
        )
    )


def _side_channels(case: Case, side: str) -> list[Channel]:
    """The requesting side sits in every channel; a requested side in its own only."""
    channels = _channels(case.id)
    if side == case.requesting_state:
        return channels
    return [each for each in channels if each.requested_state == side]


def _side_of(actor: User, case: Case) -> str | None:
    """The State whose side of the case the actor may act for, if any.

    A team member acts for their own State; a national administrator acts for
    their State on any case that involves it, member or not (DESIGN.md: they add
    their State's users to their State's cases).
    """
    if not actor.active or actor.role not in PARTY_ROLES or actor.state_code is None:
        return None
    involved = {case.requesting_state, *(each.requested_state for each in _channels(case.id))}
    if actor.state_code not in involved:
        return None
    if actor.role == Role.NATIONAL_ADMIN.value:
        return actor.state_code
    member = _current_team_member(case.id, actor.id)
    return actor.state_code if member is not None else None


def reach_case(actor: User, case_id: int) -> Case:
    """The case as a member reaches it, or as a national administrator of a State it involves.

    The gate of a case's URL: whoever may act on the case (a break-glass seat included) is
    told of their input errors; everyone else gets the same "not found" as for no case.
    """
    case = db.session.get(Case, case_id)
    if case is not None and _side_of(actor, case) is not None:
        return case
    return access_case(actor, case_id)


def _manageable_case(actor: User, case_id: int) -> tuple[Case, str]:
    """The case and the side the actor acts for; outsiders get NotFound, sideless members 403."""
    case = db.session.get(Case, case_id)
    side = _side_of(actor, case) if case is not None else None
    if case is None or side is None:
        access_case(actor, case_id)
        raise PermissionDenied(N_("Only a member of a State's team may do this."))
    return case, side


def _seat(
    channel: Channel,
    user: User,
    kind: MemberKind,
    actor: User,
    now: datetime,
    invited_by_state: str | None = None,
) -> ChannelMember:
    """Give the user a current seat in the channel, reviving an ended one."""
    seat = db.session.scalar(
        select(ChannelMember).where(
            ChannelMember.channel_id == channel.id, ChannelMember.user_id == user.id
        )
    )
    if seat is None:
        seat = ChannelMember(channel_id=channel.id, user_id=user.id, read_seq=0)
        db.session.add(seat)
    seat.kind = kind.value
    seat.invited_by_state = invited_by_state
    seat.added_by_id = actor.id
    seat.added_at = now
    seat.removed_at = None
    seat.removed_by_id = None
    queue(
        db.session(),
        DomainEvent(
            "membership_started",
            f"user:{user.id}",
            {"channel": channel.id, "case": channel.case_id},
        ),
    )
    return seat


def _unseat(seat: ChannelMember, case_id: int, actor: User, now: datetime) -> None:
    """End a seat: later reads are refused and the socket layer evicts the user from the room."""
    seat.removed_at = now
    seat.removed_by_id = actor.id
    queue(
        db.session(),
        DomainEvent(
            "membership_ended",
            f"user:{seat.user_id}",
            {"channel": seat.channel_id, "case": case_id, "user": seat.user_id},
        ),
    )


def _join_team(
    case: Case,
    user: User,
    side: str,
    actor: User,
    now: datetime,
    *,
    reason: str = "",
    announce: bool = True,
) -> TeamMember:
    member = db.session.scalar(
        select(TeamMember).where(TeamMember.case_id == case.id, TeamMember.user_id == user.id)
    )
    if member is None:
        member = TeamMember(case_id=case.id, user_id=user.id)
        db.session.add(member)
    member.state_code = side
    member.added_by_id = actor.id
    member.added_at = now
    member.removed_at = None
    member.removed_by_id = None
    channels = _side_channels(case, side)
    for channel in channels:
        _seat(channel, user, MemberKind.PARTY, actor, now)
    db.session.flush()
    seating.team_joined(
        case, user, side, channels, actor, now, reason=reason, announce=announce
    )
    return member


def _leave_team(case: Case, member: TeamMember, actor: User, now: datetime) -> None:
    member.removed_at = now
    member.removed_by_id = actor.id
    channels = _side_channels(case, member.state_code)
    for channel in channels:
        seat = current_membership(member.user_id, channel.id)
        if seat is not None and seat.kind == MemberKind.PARTY.value:
            _unseat(seat, case.id, actor, now)
    db.session.flush()
    seating.team_left(case, member.user, member.state_code, channels, actor, now)


def _requesting_team_size(case: Case) -> int:
    return (
        db.session.scalar(
            select(func.count(TeamMember.id)).where(
                TeamMember.case_id == case.id,
                TeamMember.state_code == case.requesting_state,
                TeamMember.removed_at.is_(None),
            )
        )
        or 0
    )


# --- opening ---------------------------------------------------------------------------------


def _checked_text(value: str, limit: int, name: str, required: bool) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(
            N_("Some values are not valid."), {name: [N_("This field is required.")]}
        )
    if len(text) > limit:
        raise InvalidInput(
            N_("Some values are not valid."), {name: [N_("At most %(max)s characters.")]}, max=limit
        )
    return text


def _checked_states(actor: User, requested_states: Sequence[str]) -> list[str]:
    codes = [code.strip().upper() for code in requested_states]
    problem = None
    if not codes:
        problem = N_("Choose at least one requested State.")
    elif len(codes) > MAX_REQUESTED_STATES or len(set(codes)) != len(codes):
        problem = N_("Choose each requested State once, at most 20.")
    elif actor.state_code in codes:
        problem = N_("Your own State cannot be a requested State.")
    elif db.session.scalar(select(func.count(State.code)).where(State.code.in_(codes))) != len(
        codes
    ):
        problem = N_("Unknown State code.")
    if problem is not None:
        raise InvalidInput(N_("Some values are not valid."), {"requested_states": [problem]})
    return codes


def _checked_counterparts(counterparts: Sequence[int], states: list[str]) -> list[User]:
    wanted = list(dict.fromkeys(counterparts))
    users = list(db.session.scalars(select(User).where(User.id.in_(wanted)))) if wanted else []
    fits = [
        each
        for each in users
        if each.active and each.role in PARTY_ROLES and each.state_code in states
    ]
    if len(wanted) > MAX_COUNTERPARTS or len(fits) != len(wanted):
        raise InvalidInput(
            N_("Some values are not valid."),
            {"counterparts": [N_("Choose active users of the requested States.")]},
        )
    return sorted(fits, key=lambda each: wanted.index(each.id))


def open_case(
    actor: User,
    *,
    title: str,
    summary: str,
    reference: str,
    requested_states: list[str],
    counterparts: list[int],
    now: datetime,
) -> Case:
    """Open a case from the actor's State toward each requested State, one channel each.

    The requesting team starts with the actor; each requested State's team with
    the chosen counterparts of that State (a State may start with nobody and
    have its national administrator add colleagues later).
    """
    require(actor, Action.OPEN_CASE)
    title = _checked_text(title, MAX_TITLE, "title", required=True)
    summary = _checked_text(summary, MAX_SUMMARY, "summary", required=False)
    reference = _checked_text(reference, MAX_REFERENCE, "reference", required=False)
    states = _checked_states(actor, requested_states)
    people = _checked_counterparts(counterparts, states)
    requesting = actor.state_code
    assert requesting is not None  # noqa: S101 - OPEN_CASE requires a State

    case = Case(
        requesting_state=requesting,
        data_key_id=keystore.create_data_key(now).id,
        scheme=SCHEME_HUB_V1,
        stage=Stage.INFORMAL_CONSULTATION.value,
        opened_by_id=actor.id,
        opened_at=now,
        title=title,
        summary=summary,
    )
    db.session.add(case)
    db.session.flush()
    for state in states:
        db.session.add(
            Channel(
                case_id=case.id,
                requested_state=state,
                data_key_id=keystore.create_data_key(now).id,
                last_seq=0,
                created_at=now,
            )
        )
    db.session.flush()
    _record_stage(case, None, Stage.INFORMAL_CONSULTATION.value, "", actor, now)
    if reference:
        db.session.add(
            CaseReference(
                case_id=case.id,
                state_code=requesting,
                reference=reference,
                set_by_id=actor.id,
                set_at=now,
            )
        )
    # The opening seats are in the history; the opening itself is what announces them.
    _join_team(case, actor, requesting, actor, now, announce=False)
    for person in people:
        assert person.state_code is not None  # noqa: S101 - checked above
        _join_team(case, person, person.state_code, actor, now, announce=False)
    audit.record(
        actor,
        "case.opened",
        "case",
        case.id,
        {"requested_states": states, "counterparts": [each.id for each in people]},
        at=now,
    )
    return case


# --- teams, observers, references, stage -------------------------------------------------------


def add_team_member(
    actor: User, case_id: int, user_id: int, now: datetime, reason: str = ""
) -> TeamMember:
    """Add a colleague of the actor's own State to that State's side of the case.

    A national administrator who adds themself does so as break-glass, with a
    reason that the side's team reads at once (``seating``).
    """
    case, side = _manageable_case(actor, case_id)
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.role not in PARTY_ROLES or user.state_code != side:
        raise InvalidInput(
            N_("Some values are not valid."),
            {"user": [N_("Choose an active user of your own State.")]},
        )
    if _current_team_member(case.id, user.id) is not None:
        raise Conflict(N_("This person is already on the team."))
    text = seating.checked_reason(actor, user, reason)
    member = _join_team(case, user, side, actor, now, reason=text)
    details: dict[str, object] = {"user": user.id, "state": side}
    if user.id == actor.id:
        details |= {"break_glass": True, "reason": text}
    audit.record(actor, "case.team_member_added", "case", case.id, details, at=now)
    return member


def remove_team_member(actor: User, case_id: int, user_id: int, now: datetime) -> None:
    """Take a colleague off the actor's side; they lose every channel of that side at once."""
    case, side = _manageable_case(actor, case_id)
    member = _current_team_member(case.id, user_id)
    if member is None or member.state_code != side:
        raise NotFound(N_("No such team member."))
    if side == case.requesting_state and _requesting_team_size(case) <= 1:
        raise Conflict(N_("The requesting side must keep at least one team member."))
    _leave_team(case, member, actor, now)
    audit.record(
        actor, "case.team_member_removed", "case", case.id, {"user": user_id, "state": side}, at=now
    )


def leave_case(actor: User, case_id: int, now: datetime) -> None:
    """The actor leaves the case: their team seat and any observer seats in its channels."""
    case = access_case(actor, case_id)
    member = _current_team_member(case.id, actor.id)
    if member is not None:
        if member.state_code == case.requesting_state and _requesting_team_size(case) <= 1:
            raise Conflict(N_("The requesting side must keep at least one team member."))
        _leave_team(case, member, actor, now)
    for seat in memberships_in_case(actor, case.id):
        if seat.kind == MemberKind.OBSERVER.value:
            _unseat(seat, case.id, actor, now)
            db.session.flush()
            channel, side = db.session.get(Channel, seat.channel_id), seat.invited_by_state
            assert channel is not None  # noqa: S101 - the seat's own channel
            assert side is not None  # noqa: S101 - an observer is invited by a side
            seating.observer_left(channel, actor, side, actor, now)
    db.session.flush()
    audit.record(actor, "case.left", "case", case.id, at=now)


def _party_seat(actor: User, channel_id: int) -> tuple[Channel, ChannelMember]:
    channel = access_channel(actor, channel_id)
    seat = current_membership(actor.id, channel.id)
    if seat is None or seat.kind != MemberKind.PARTY.value:
        raise PermissionDenied(N_("Only a party to the channel may do this."))
    return channel, seat


def invite_observer(actor: User, channel_id: int, user_id: int, now: datetime) -> ChannelMember:
    """A party invites an observer body's user into its channel; every member sees the seat."""
    channel, _seat_of_actor = _party_seat(actor, channel_id)
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.role != Role.OBSERVER.value:
        raise InvalidInput(
            N_("Some values are not valid."), {"user": [N_("Choose the account of an observer.")]}
        )
    if current_membership(user.id, channel.id) is not None:
        raise Conflict(N_("This observer is already in the channel."))
    side = actor.state_code
    assert side is not None  # noqa: S101 - a party belongs to a State
    seat = _seat(channel, user, MemberKind.OBSERVER, actor, now, invited_by_state=side)
    db.session.flush()
    seating.observer_joined(channel, user, side, actor, now)
    audit.record(
        actor,
        "channel.observer_invited",
        "channel",
        channel.id,
        {"user": user.id, "invited_by_state": actor.state_code},
        at=now,
    )
    return seat


def revoke_observer(actor: User, channel_id: int, user_id: int, now: datetime) -> None:
    """Only the inviting party (any member of that State's team) may revoke an observer."""
    channel, _seat_of_actor = _party_seat(actor, channel_id)
    seat = current_membership(user_id, channel.id)
    if seat is None or seat.kind != MemberKind.OBSERVER.value:
        raise NotFound(N_("No such observer in this channel."))
    side = seat.invited_by_state
    if side is None or side != actor.state_code:
        raise PermissionDenied(
            N_("Only the party that invited this observer may revoke the invitation.")
        )
    _unseat(seat, channel.case_id, actor, now)
    db.session.flush()
    seating.observer_left(channel, seat.user, side, actor, now)
    audit.record(
        actor, "channel.observer_revoked", "channel", channel.id, {"user": user_id}, at=now
    )


def set_own_reference(actor: User, case_id: int, reference: str, now: datetime) -> None:
    """Set (or with an empty value, clear) the actor's State's own reference for the case."""
    case, side = _manageable_case(actor, case_id)
    text = _checked_text(reference, MAX_REFERENCE, "reference", required=False)
    row = db.session.scalar(
        select(CaseReference).where(
            CaseReference.case_id == case.id, CaseReference.state_code == side
        )
    )
    if not text:
        if row is not None:
            db.session.delete(row)
    elif row is None:
        db.session.add(
            CaseReference(
                case_id=case.id, state_code=side, reference=text, set_by_id=actor.id, set_at=now
            )
        )
    else:
        row.reference, row.set_by_id, row.set_at = text, actor.id, now
    db.session.flush()
    audit.record(actor, "case.reference_set", "case", case.id, {"state": side}, at=now)


def _record_stage(
    case: Case,
    from_stage: str | None,
    to_stage: str,
    reason: str,
    actor: User,
    now: datetime,
) -> None:
    change = StageChange(
        case_id=case.id,
        from_stage=from_stage,
        to_stage=to_stage,
        changed_by_id=actor.id,
        changed_at=now,
        reason=reason,
    )
    db.session.add(change)
    db.session.flush()


def change_stage(actor: User, case_id: int, stage: str, reason: str, now: datetime) -> Case:
    """Move the case to another stage (the requesting side decides); the history keeps why."""
    case, side = _manageable_case(actor, case_id)
    if side != case.requesting_state:
        raise PermissionDenied(N_("Only the requesting side moves the case to another stage."))
    if stage not in {each.value for each in Stage}:
        raise InvalidInput(N_("Some values are not valid."), {"stage": [N_("Unknown stage.")]})
    if stage == case.stage:
        raise Conflict(N_("The case is already at this stage."))
    text = _checked_text(reason, MAX_REASON, "reason", required=False)
    previous = case.stage
    case.stage = stage
    _record_stage(case, previous, stage, text, actor, now)
    audit.record(
        actor, "case.stage_changed", "case", case.id, {"from": previous, "to": stage}, at=now
    )
    return case


# --- reading ---------------------------------------------------------------------------------


def _view(actor: User, case: Case, unread: int, detailed: bool) -> CaseView:
    all_channels = _channels(case.id)
    seats = memberships_in_case(actor, case.id)
    mine = {seat.channel_id for seat in seats}
    requesting_side = actor.state_code == case.requesting_state and any(
        seat.kind == MemberKind.PARTY.value for seat in seats
    )
    visible = [each for each in all_channels if requesting_side or each.id in mine]
    visible_states = {case.requesting_state, *(each.requested_state for each in visible)}
    references = {
        row.state_code: row.reference
        for row in db.session.scalars(select(CaseReference).where(CaseReference.case_id == case.id))
        if row.state_code in visible_states
    }
    sealed = Opened(case)
    view = CaseView(
        id=case.id,
        title=sealed[Case.title],
        requesting_state=case.requesting_state,
        requested_states=[each.requested_state for each in visible],
        stage=case.stage,
        channels=[ChannelSummary(each.id, each.requested_state) for each in visible],
        references=references,
        unread=unread,
        opened_at=case.opened_at,
    )
    if not detailed:
        view.integrity = sealed.integrity
        return view
    view.summary = sealed[Case.summary]
    view.integrity = sealed.integrity
    team = db.session.scalars(
        select(TeamMember)
        .where(TeamMember.case_id == case.id, TeamMember.removed_at.is_(None))
        .order_by(TeamMember.id)
    ).all()
    view.team = [person_view(each.user) for each in team if each.state_code in visible_states]
    observer_seats = db.session.scalars(
        select(ChannelMember)
        .where(
            ChannelMember.channel_id.in_([each.id for each in visible]),
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


def case_view(actor: User, case_id: int) -> CaseView:
    """The whole case as the actor may see it (summary, team, observers, history); audited."""
    case = access_case(actor, case_id)
    view = _view(actor, case, unread_counts(actor).get(case.id, 0), detailed=True)
    audit.record(actor, "case.viewed", "case", case.id)
    return view


def my_cases(actor: User, page: int, per_page: int) -> tuple[list[CaseView], int]:
    """The cases the actor belongs to, newest first, with unread counts and stage."""
    if page < 1 or not 1 <= per_page <= 200:
        raise InvalidInput(
            N_("Invalid page."), {"page": [N_("Pages start at 1; 1 to 200 per page.")]}
        )
    unread = unread_counts(actor)
    ids = sorted(unread, reverse=True)
    chosen = ids[(page - 1) * per_page : page * per_page]
    cases = (
        {each.id: each for each in db.session.scalars(select(Case).where(Case.id.in_(chosen)))}
        if chosen
        else {}
    )
    return [_view(actor, cases[each], unread[each], detailed=False) for each in chosen], len(ids)
