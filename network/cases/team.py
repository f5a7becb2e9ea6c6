"""Each side's team and the observers of a channel: who sits in a case, and who gives it up.

Every seat taken or given up goes through ``seating``, which writes the case
history and tells the parties (nobody takes a seat unseen). Every function takes
the acting user and plain values, writes its audit record in the caller's
transaction and flushes; the entry point commits once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from network.audit import service as audit
from network.auth.models import User
from network.cases import seating
from network.cases.access import (
    PARTY_ROLES,
    access_case,
    access_channel,
    case_channels,
    current_membership,
    current_team_member,
    manageable_case,
    memberships_in_case,
)
from network.cases.models import Case, Channel, ChannelMember, ChannelParty, TeamMember
from network.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from network.core.events import DomainEvent, queue
from network.core.i18n import N_
from network.core.locking import load_for_change
from network.extensions import db
from network.schemas.vocabularies import ChannelKind, MemberKind, PartyAnswer, Role, SeatMove

# --- seats -----------------------------------------------------------------------------------

# Seats change under the case's lock (``to_change``): of two moves of one seat made at once,
# the second reads the first and is refused with where the seat now stands.


def _seat_taken(message: str, last_move: SeatMove) -> Conflict:
    """The 409 of a seat that already made this move: its last move, and the one left to it."""
    other = SeatMove.LEFT if last_move is SeatMove.JOINED else SeatMove.JOINED
    return Conflict(message, {"current": [last_move.value], "allowed": [other.value]})


def _side_channels(case: Case, side: str) -> list[Channel]:
    """The requesting side sits in every channel; a requested side in its own only.

    A requested side's own channels are its bilateral one and the multilateral tables
    its State accepted; a table it has not accepted (pending or declined) gives no seat.
    """
    channels = case_channels(case.id)
    if side == case.requesting_state:
        return channels
    accepted = set(
        db.session.scalars(
            select(ChannelParty.channel_id).where(
                ChannelParty.channel_id.in_([each.id for each in channels]),
                ChannelParty.state_code == side,
                ChannelParty.answer == PartyAnswer.ACCEPTED.value,
            )
        )
    )
    return [each for each in channels if each.requested_state == side or each.id in accepted]


def take_seat(
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
            {"channel": channel.id, "case": channel.case_id},
            user_id=user.id,
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
            {"channel": seat.channel_id, "case": case_id, "user": seat.user_id},
            user_id=seat.user_id,
        ),
    )


def join_team(
    case: Case,
    user: User,
    side: str,
    actor: User,
    now: datetime,
    *,
    reason: str = "",
    announce: bool = True,
) -> TeamMember:
    """Seat the user on the side's team and in each of its channels, reviving an ended seat."""
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
        take_seat(channel, user, MemberKind.PARTY, actor, now)
    db.session.flush()
    seating.team_joined(case, user, side, channels, actor, now, reason=reason, announce=announce)
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


# --- teams -----------------------------------------------------------------------------------


def add_team_member(
    actor: User, case_id: int, user_id: int, now: datetime, reason: str = ""
) -> TeamMember:
    """Add a colleague of the actor's own State to that State's side of the case.

    A national administrator who adds themself does so as break-glass, with a
    reason that the side's team reads at once (``seating``).
    """
    case, side = manageable_case(actor, case_id, to_change=True)
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.role not in PARTY_ROLES or user.state_code != side:
        raise InvalidInput(
            N_("Some values are not valid."),
            {"user": [N_("Choose an active user of your own State.")]},
        )
    if current_team_member(case.id, user.id) is not None:
        raise _seat_taken(N_("This person is already on the team."), SeatMove.JOINED)
    text = seating.checked_reason(actor, user, reason)
    member = join_team(case, user, side, actor, now, reason=text)
    details: dict[str, object] = {"user": user.id, "state": side}
    if user.id == actor.id:
        details |= {"break_glass": True, "reason": text}
    audit.record(actor, "case.team_member_added", "case", case.id, details, at=now)
    return member


def _ended_team_seat(case_id: int, user_id: int, side: str) -> bool:
    """Whether the user once sat on the side's team of the case and no longer does."""
    ended = db.session.scalar(
        select(TeamMember.id).where(
            TeamMember.case_id == case_id,
            TeamMember.user_id == user_id,
            TeamMember.state_code == side,
            TeamMember.removed_at.is_not(None),
        )
    )
    return ended is not None


def remove_team_member(actor: User, case_id: int, user_id: int, now: datetime) -> None:
    """Take a colleague off the actor's side; they lose every channel of that side at once."""
    case, side = manageable_case(actor, case_id, to_change=True)
    member = current_team_member(case.id, user_id)
    if member is None and _ended_team_seat(case.id, user_id, side):
        raise _seat_taken(N_("This person is no longer on the team."), SeatMove.LEFT)
    if member is None or member.state_code != side:
        raise NotFound(N_("No such team member."), reason="team_member_not_found")
    if side == case.requesting_state and _requesting_team_size(case) <= 1:
        raise Conflict(N_("The requesting side must keep at least one team member."))
    _leave_team(case, member, actor, now)
    audit.record(
        actor, "case.team_member_removed", "case", case.id, {"user": user_id, "state": side}, at=now
    )


def leave_case(actor: User, case_id: int, now: datetime) -> None:
    """The actor leaves the case: their team seat and any observer seats in its channels."""
    case = access_case(actor, case_id, to_change=True)
    member = current_team_member(case.id, actor.id)
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


# --- observers -------------------------------------------------------------------------------


def _party_seat(actor: User, channel_id: int) -> tuple[Channel, ChannelMember]:
    """The channel and the actor's party seat in it, its case locked for a change of seats."""
    channel = access_channel(actor, channel_id)
    load_for_change(db.session, Case, channel.case_id)
    seat = current_membership(actor.id, channel.id)
    if seat is None or seat.kind != MemberKind.PARTY.value:
        raise PermissionDenied(N_("Only a party to the channel may do this."))
    return channel, seat


def invite_observer(actor: User, channel_id: int, user_id: int, now: datetime) -> ChannelMember:
    """A party invites an observer body's user into its channel; every member sees the seat."""
    channel, _seat_of_actor = _party_seat(actor, channel_id)
    if channel.kind != ChannelKind.BILATERAL.value:
        raise Conflict(
            N_("Observers are invited into a bilateral channel, not a multilateral one.")
        )
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.role != Role.OBSERVER.value:
        raise InvalidInput(
            N_("Some values are not valid."), {"user": [N_("Choose the account of an observer.")]}
        )
    if current_membership(user.id, channel.id) is not None:
        raise _seat_taken(N_("This observer is already in the channel."), SeatMove.JOINED)
    side = actor.state_code
    assert side is not None  # noqa: S101 - a party belongs to a State
    seat = take_seat(channel, user, MemberKind.OBSERVER, actor, now, invited_by_state=side)
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
    seat = db.session.scalar(
        select(ChannelMember).where(
            ChannelMember.channel_id == channel.id, ChannelMember.user_id == user_id
        )
    )
    if seat is None or seat.kind != MemberKind.OBSERVER.value:
        raise NotFound(N_("No such observer in this channel."), reason="observer_not_found")
    side = seat.invited_by_state
    if side is None or side != actor.state_code:
        raise PermissionDenied(
            N_("Only the party that invited this observer may revoke the invitation.")
        )
    if seat.removed_at is not None:
        raise _seat_taken(N_("This observer is no longer in the channel."), SeatMove.LEFT)
    _unseat(seat, channel.case_id, actor, now)
    db.session.flush()
    seating.observer_left(channel, seat.user, side, actor, now)
    audit.record(
        actor, "channel.observer_revoked", "channel", channel.id, {"user": user_id}, at=now
    )
