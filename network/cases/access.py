"""The only ways into a case: access_case, access_channel, case_scope, and the rules behind them.

Missing and forbidden look the same everywhere: whoever may not see a case, a
channel or a tracking record gets the "not found" of one that does not exist.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Select, bindparam, select

from network.auth.models import User
from network.cases.models import Case, Channel, ChannelMember, TeamMember
from network.core.errors import InvalidInput, NotFound, PermissionDenied
from network.core.i18n import N_
from network.core.locking import load_for_change
from network.extensions import db
from network.schemas.vocabularies import ChannelKind, MemberKind, Role

PARTY_ROLES = frozenset({Role.PRACTITIONER.value, Role.NATIONAL_ADMIN.value})


def current_membership(user_id: int, channel_id: int) -> ChannelMember | None:
    """The user's membership of the channel, unless it was ended (removal, leaving, revocation)."""
    return db.session.scalar(
        select(ChannelMember).where(
            ChannelMember.channel_id == channel_id,
            ChannelMember.user_id == user_id,
            ChannelMember.removed_at.is_(None),
        )
    )


def may_hold(user: User, membership: ChannelMember | None) -> bool:
    """Whether this user may use this membership at all.

    The secretariat never reads case content; an observer sits in a channel only
    through an invitation; a party seat belongs to a State's practitioner or
    administrator.
    """
    return membership is not None and may_sit(user, membership.kind)


def may_sit(user: User, kind: str) -> bool:
    """``may_hold`` for a seat of this kind, when only the seat's kind was loaded."""
    return (
        user.active
        and user.role != Role.NETWORK_ADMIN.value
        and (
            (kind == MemberKind.OBSERVER.value and user.role == Role.OBSERVER.value)
            or (kind == MemberKind.PARTY.value and user.role in PARTY_ROLES)
        )
    )


def seat_kinds(user: User) -> frozenset[str]:
    """The kinds of seat this user may hold, worked out once for a list of seats.

    ``may_sit`` for each row of a long list re-reads the user (often the request's
    ``current_user`` proxy) every time; a list asks once and tests membership.
    """
    return frozenset(kind.value for kind in MemberKind if may_sit(user, kind.value))


# The channel with the user's current seat's kind: built once, since every message sent asks.
_CHANNEL_WITH_SEAT = (
    select(Channel, ChannelMember.kind)
    .join(ChannelMember, ChannelMember.channel_id == Channel.id)
    .where(
        Channel.id == bindparam("channel_id"),
        ChannelMember.user_id == bindparam("user_id"),
        ChannelMember.removed_at.is_(None),
    )
)


def access_channel(user: User, channel_id: int) -> Channel:
    """Load a channel the user may read; missing and forbidden look the same.

    Channel and seat come in one query (the seat's kind only, not the seat and its user):
    every message sent runs through here.
    """
    found = db.session.execute(
        _CHANNEL_WITH_SEAT, {"channel_id": channel_id, "user_id": user.id}
    ).first()
    if found is None or not may_sit(user, found.kind):
        raise NotFound(N_("No such channel."), reason="channel_not_found")
    return found.Channel


def is_member(user_id: int, channel_id: int) -> bool:
    """For the socket layer: may this user (still) read this channel?"""
    user = db.session.get(User, user_id)
    return user is not None and may_hold(user, current_membership(user_id, channel_id))


def channel_rooms_for(user: User) -> list[int]:
    """Ids of every channel the user may read now, for joining socket rooms."""
    memberships = db.session.scalars(
        select(ChannelMember)
        .where(ChannelMember.user_id == user.id, ChannelMember.removed_at.is_(None))
        .order_by(ChannelMember.channel_id)
    ).all()
    return [each.channel_id for each in memberships if may_hold(user, each)]


def memberships_in_case(user: User, case_id: int) -> list[ChannelMember]:
    """The user's usable, current memberships of the case's channels."""
    rows = db.session.scalars(
        select(ChannelMember)
        .join(Channel, Channel.id == ChannelMember.channel_id)
        .where(
            Channel.case_id == case_id,
            ChannelMember.user_id == user.id,
            ChannelMember.removed_at.is_(None),
        )
        .order_by(ChannelMember.channel_id)
    ).all()
    return [each for each in rows if may_hold(user, each)]


def _load_case(case_id: int, to_change: bool) -> Case | None:
    """The case; with ``to_change`` locked until commit, so a decision on it stays true."""
    if to_change:
        return load_for_change(db.session, Case, case_id)
    return db.session.get(Case, case_id)


def access_case(
    user: User, case_id: int, missing: NotFound | None = None, *, to_change: bool = False
) -> Case:
    """Load a case the user reaches through a channel; missing and forbidden look alike.

    ``missing`` is the refusal in the words of what was asked for: a request of a case the
    user may not see is "No such request.", as is a request that does not exist.
    ``to_change`` locks the case: its stage and its seats change one step at a time.
    """
    case = _load_case(case_id, to_change)
    if case is None or not memberships_in_case(user, case_id):
        raise missing or NotFound(N_("No such case."), reason="case_not_found")
    return case


# --- acting for a side: whoever manages a side's team, reference or stage -------------------


def case_channels(case_id: int) -> list[Channel]:
    """Every channel of the case, bilateral and multilateral, in the order they were opened."""
    return list(
        db.session.scalars(select(Channel).where(Channel.case_id == case_id).order_by(Channel.id))
    )


def bilateral_channels(case_id: int) -> list[Channel]:
    """The case's bilateral channels, one per requested State, in the order they were opened."""
    return list(
        db.session.scalars(
            select(Channel)
            .where(Channel.case_id == case_id, Channel.kind == ChannelKind.BILATERAL.value)
            .order_by(Channel.id)
        )
    )


def current_team_member(case_id: int, user_id: int) -> TeamMember | None:
    """The user's current seat on a team of the case, if any."""
    return db.session.scalar(
        select(TeamMember).where(
            TeamMember.case_id == case_id,
            TeamMember.user_id == user_id,
            TeamMember.removed_at.is_(None),
        )
    )


def side_of(actor: User, case: Case) -> str | None:
    """The State whose side of the case the actor may act for, if any.

    A team member acts for their own State; a national administrator acts for
    their State on any case that involves it, member or not (DESIGN.md: they add
    their State's users to their State's cases).
    """
    if not actor.active or actor.role not in PARTY_ROLES or actor.state_code is None:
        return None
    involved = {case.requesting_state, *case_requested_states(case.id)}
    if actor.state_code not in involved:
        return None
    if actor.role == Role.NATIONAL_ADMIN.value:
        return actor.state_code
    member = current_team_member(case.id, actor.id)
    return actor.state_code if member is not None else None


def reach_case(actor: User, case_id: int) -> Case:
    """The case as a member reaches it, or as a national administrator of a State it involves.

    The gate of a case's URL: whoever may act on the case (a break-glass seat included) is
    told of their input errors; everyone else gets the same "not found" as for no case.
    """
    case = db.session.get(Case, case_id)
    if case is not None and side_of(actor, case) is not None:
        return case
    return access_case(actor, case_id)


def manageable_case(actor: User, case_id: int, *, to_change: bool = False) -> tuple[Case, str]:
    """The case and the side the actor acts for; outsiders get NotFound, sideless members 403.

    ``to_change`` locks the case before the actor's side is read (see ``access_case``).
    """
    case = _load_case(case_id, to_change)
    side = side_of(actor, case) if case is not None else None
    if case is None or side is None:
        access_case(actor, case_id)
        raise PermissionDenied(N_("Only a member of a State's team may do this."))
    return case, side


# --- the sides of a case: every tracking read and write starts here ---------------------------
#
# A tracking record belongs to one bilateral relationship of its case, named by
# its ``requested_state``: the requesting side sees the records of every
# requested State, a requested State only its own (as with channels, State B
# never reads what was recorded with State C), an invited observer those of the
# channels it sits in, and only a party may write.


@dataclass(frozen=True)
class CaseScope:
    """The case as loaded through access_case, and the actor's place in it."""

    case: Case
    # The requested States whose records the actor may see.
    visible: frozenset[str]
    # The State the actor acts for as a party, or None (an invited observer reads only).
    side: str | None

    @property
    def requested_states(self) -> list[str]:
        return case_requested_states(self.case.id)

    def is_requesting_side(self) -> bool:
        return self.side is not None and self.side == self.case.requesting_state

    def sees(self, requested_state: str) -> bool:
        return requested_state in self.visible


def case_requested_states(case_id: int) -> list[str]:
    """Every requested State of the case, one per bilateral channel."""
    return [each.requested_state for each in bilateral_channels(case_id) if each.requested_state]


def case_scope(actor: User, case_id: int, missing: NotFound | None = None) -> CaseScope:
    """Load the case through access_case (404 for outsiders) and work out the actor's sides."""
    case = access_case(actor, case_id, missing)
    seats = memberships_in_case(actor, case.id)
    # A seat at a multilateral table shows no tracking record: those belong to bilateral ones.
    states = {each.id: each.requested_state for each in bilateral_channels(case.id)}
    visible = frozenset(
        code for seat in seats if (code := states.get(seat.channel_id)) is not None
    )
    party = any(seat.kind == MemberKind.PARTY.value for seat in seats)
    return CaseScope(case=case, visible=visible, side=actor.state_code if party else None)


def record_scope(
    actor: User, case_id: int, requested_state: str, missing: NotFound
) -> CaseScope:
    """The scope of one record; one the actor may not see is 'missing', as an absent one is."""
    scope = case_scope(actor, case_id, missing)
    if not scope.sees(requested_state):
        raise missing
    return scope


def require_party(scope: CaseScope) -> str:
    """The side the actor writes for; observers read but never record (resolution 4/5)."""
    if scope.side is None:
        raise PermissionDenied(N_("Only a member of a State's team may record this."))
    return scope.side


def writable_relationship(scope: CaseScope, requested_state: str | None, field: str) -> str:
    """Check (or infer) which requested State a new record belongs to.

    A requested State's member records for their own relationship; the requesting
    side names one when the case has several requested States.
    """
    side = require_party(scope)
    if requested_state is None:
        if side != scope.case.requesting_state:
            return side
        if len(scope.visible) == 1:
            return next(iter(scope.visible))
        raise InvalidInput(
            N_("Some values are not valid."),
            {field: [N_("Choose the requested State this record is shared with.")]},
        )
    code = requested_state.strip().upper()
    if code not in scope.visible:
        raise InvalidInput(
            N_("Some values are not valid."),
            {field: [N_("Choose one of the case's requested States you work with.")]},
        )
    return code


def my_scopes(actor: User) -> dict[int, frozenset[str]]:
    """For every case the actor reaches: the requested States whose records they see."""
    rows = db.session.execute(
        select(ChannelMember.kind, Channel.case_id, Channel.requested_state)
        .join(Channel, Channel.id == ChannelMember.channel_id)
        .where(ChannelMember.user_id == actor.id, ChannelMember.removed_at.is_(None))
    ).all()
    allowed = seat_kinds(actor)
    scopes: dict[int, set[str]] = defaultdict(set)
    for kind, case_id, requested_state in rows:
        if kind in allowed:
            # A seat at a multilateral table reaches the case but sees no tracking record.
            scopes[case_id].update([requested_state] if requested_state else [])
    return {case_id: frozenset(states) for case_id, states in scopes.items()}


def reached_cases(actor: User) -> Select[int]:
    """The ids of the cases the actor reaches (``my_scopes``'s keys), as a subquery.

    For a filter over all of them: a member of tens of thousands of cases would otherwise
    send one bound parameter per case, past what a statement may carry.
    """
    return (
        select(Channel.case_id)
        .join(ChannelMember, ChannelMember.channel_id == Channel.id)
        .where(
            ChannelMember.user_id == actor.id,
            ChannelMember.removed_at.is_(None),
            ChannelMember.kind.in_(sorted(seat_kinds(actor))),
        )
    )


def relationship_members(case_id: int, requested_state: str) -> list[User]:
    """The parties of both sides of one relationship: whom a reminder about its records reaches.

    For the deadline engine, which runs without an actor; the channel of the
    requested State holds exactly the two teams.
    """
    seats = db.session.scalars(
        select(ChannelMember)
        .join(Channel, Channel.id == ChannelMember.channel_id)
        .where(
            Channel.case_id == case_id,
            Channel.requested_state == requested_state,
            ChannelMember.removed_at.is_(None),
            ChannelMember.kind == MemberKind.PARTY.value,
        )
        .order_by(ChannelMember.user_id)
    ).all()
    return [seat.user for seat in seats if may_hold(seat.user, seat)]


@dataclass(frozen=True)
class PersonRef:
    """Who did something, as every party of the case may see it."""

    id: int
    name: str
    state: str | None


def person_of(user: User | None) -> PersonRef | None:
    return None if user is None else PersonRef(user.id, user.name, user.state_code)
