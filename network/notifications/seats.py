"""Seat notices: nobody takes or gives up a seat in a case unseen.

``cases.seating`` publishes each seat taken or given up (``SEAT_CHANGED``); this
writes, in the same transaction, a notice to every current member of the side
concerned and to the other side of every channel the seat opens or closes: in
the app, pushed live after the commit, and by e-mail without case content.
Nobody is told of what they did themselves. A break-glass reason is quoted (it
is the administrator's own justification, not case content).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from sqlalchemy import select

from network.auth.models import User
from network.cases.access import PARTY_ROLES, may_hold
from network.cases.models import ChannelMember, TeamMember
from network.cases.references import case_reference
from network.cases.seating import SeatChanged
from network.cases.tables import TableChanged
from network.core.i18n import N_
from network.directory.models import State
from network.extensions import db
from network.notifications import service as notifications
from network.schemas.vocabularies import (
    NoticeTarget,
    NotificationKind,
    PartyAnswer,
    SeatKind,
    SeatMove,
)

JOINED_TEAM = N_("%(reference)s: %(person)s joined the team of %(state)s, added by %(actor)s")
JOINED_BY_BREAK_GLASS = N_(
    "%(reference)s: %(person)s, national administrator, seated themself on the team of "
    "%(state)s (break-glass). Reason given: %(reason)s"
)
LEFT_TEAM = N_("%(reference)s: %(person)s left the team of %(state)s")
REMOVED_FROM_TEAM = N_("%(reference)s: %(person)s was taken off the team of %(state)s by %(actor)s")
OBSERVER_INVITED = N_(
    "%(reference)s: %(person)s (observer, %(body)s) was invited into the channel between "
    "%(requesting)s and %(requested)s by %(actor)s"
)
OBSERVER_LEFT = N_(
    "%(reference)s: %(person)s (observer, %(body)s) left the channel between %(requesting)s "
    "and %(requested)s"
)
OBSERVER_REVOKED = N_(
    "%(reference)s: %(actor)s revoked the invitation of %(person)s (observer, %(body)s) to the "
    "channel between %(requesting)s and %(requested)s"
)

TABLE_OPENED = N_(
    "%(reference)s: %(requesting)s invites your State to a multilateral channel; accept or "
    "decline it in the case"
)
TABLE_ACCEPTED = N_("%(reference)s: %(state)s accepted the multilateral channel")
TABLE_DECLINED = N_("%(reference)s: %(state)s declined the multilateral channel")


@dataclass(frozen=True)
class _Notice:
    kind: str
    template: str
    params: dict[str, object]
    # Parameters that name a State, by code; each recipient reads the name in their language.
    states: dict[str, str]


def _team(case_id: int, side: str) -> list[User]:
    """The current members of one side of the case."""
    return list(
        db.session.scalars(
            select(User)
            .join(TeamMember, TeamMember.user_id == User.id)
            .where(
                TeamMember.case_id == case_id,
                TeamMember.state_code == side,
                TeamMember.removed_at.is_(None),
                User.role.in_(PARTY_ROLES),
            )
            .order_by(User.id)
        )
    )


def _seated(channel_ids: list[int]) -> list[User]:
    """Everyone who may read these channels now: both sides' teams and invited observers."""
    if not channel_ids:
        return []
    seats = db.session.scalars(
        select(ChannelMember)
        .where(ChannelMember.channel_id.in_(channel_ids), ChannelMember.removed_at.is_(None))
        .order_by(ChannelMember.user_id)
    )
    return [seat.user for seat in seats if may_hold(seat.user, seat)]


def _tell(
    change: SeatChanged | TableChanged,
    recipients: Iterable[User],
    notice: _Notice,
    told: set[int],
) -> None:
    """One notice to each recipient not yet told, never to the actor."""
    case_id = change.case.id
    for user in recipients:
        if user.id == change.actor.id or user.id in told or not user.active:
            continue
        told.add(user.id)
        locale = user.recipient_locale
        params = {
            **notice.params,
            "reference": case_reference(case_id, user.state_code),
            **{
                name: state.name(locale) if (state := db.session.get(State, code)) else code
                for name, code in notice.states.items()
            },
        }
        notifications.notify(
            user,
            notice.kind,
            case_id=case_id,
            params=params,
            target=NoticeTarget.CASE,
            target_id=str(case_id),
            now=change.now,
            template=notice.template,
        )


def _team_joined(change: SeatChanged) -> None:
    """Tell the side, and the other side of each channel the seat opens."""
    params: dict[str, object] = {"person": change.user.name, "actor": change.actor.name}
    template = JOINED_TEAM
    if change.user.id == change.actor.id:
        template, params["reason"] = JOINED_BY_BREAK_GLASS, change.reason
    notice = _Notice(
        NotificationKind.CASE_MEMBER_JOINED.value, template, params, {"state": change.side}
    )
    told: set[int] = set()
    _tell(change, _team(change.case.id, change.side), notice, told)
    counterparts = replace(notice, kind=NotificationKind.CHANNEL_MEMBER_JOINED.value)
    _tell(change, _seated([each.id for each in change.channels]), counterparts, told)


def _team_left(change: SeatChanged) -> None:
    """Tell the side and the channels the seat closed.

    The person taken off is not told here: once off the case they see none of its notices.
    """
    notice = _Notice(
        NotificationKind.CHANNEL_MEMBER_LEFT.value,
        LEFT_TEAM if change.user.id == change.actor.id else REMOVED_FROM_TEAM,
        {"person": change.user.name, "actor": change.actor.name},
        {"state": change.side},
    )
    stayed = [*_team(change.case.id, change.side), *_seated([c.id for c in change.channels])]
    _tell(change, stayed, notice, set())


def _observer_moved(change: SeatChanged) -> None:
    """Tell everyone in the channel: the observer too when invited, no longer once gone."""
    [channel] = change.channels
    if change.move == SeatMove.JOINED:
        kind, template = NotificationKind.CHANNEL_MEMBER_JOINED.value, OBSERVER_INVITED
    else:
        kind = NotificationKind.CHANNEL_MEMBER_LEFT.value
        template = OBSERVER_LEFT if change.user.id == change.actor.id else OBSERVER_REVOKED
    body = change.user.body
    params = {"person": change.user.name, "body": body.acronym if body else ""}
    # Observers sit in bilateral channels only (cases/team.py refuses a multilateral table).
    requested = channel.requested_state or channel.case.requesting_state
    sides = {"requesting": channel.case.requesting_state, "requested": requested}
    notice = _Notice(kind, template, {**params, "actor": change.actor.name}, sides)
    _tell(change, _seated([channel.id]), notice, set())


def announce(fact: object) -> None:
    """Subscribed to ``cases.seating.SEAT_CHANGED``: tell the parties of one seat change."""
    assert isinstance(fact, SeatChanged)  # noqa: S101 - only seat changes are subscribed
    if fact.seat == SeatKind.OBSERVER:
        _observer_moved(fact)
    elif fact.move == SeatMove.JOINED:
        _team_joined(fact)
    else:
        _team_left(fact)


def announce_table(fact: object) -> None:
    """Subscribed to ``cases.tables.TABLE_CHANGED``: an invitation, or a State's answer.

    An invitation goes to the invited States' teams and names only the requesting
    State; an answer goes to whoever sits at the table (the requesting side and the
    States that accepted), never to a State that is not seated there.
    """
    assert isinstance(fact, TableChanged)  # noqa: S101 - only table changes are subscribed
    told: set[int] = set()
    if fact.answer is None:
        notice = _Notice(
            NotificationKind.CHANNEL_INVITED.value,
            TABLE_OPENED,
            {"actor": fact.actor.name},
            {"requesting": fact.case.requesting_state},
        )
        for state in fact.states:
            _tell(fact, _team(fact.case.id, state), notice, told)
        return
    [state] = fact.states
    accepted = fact.answer == PartyAnswer.ACCEPTED.value
    notice = _Notice(
        (
            NotificationKind.CHANNEL_MEMBER_JOINED
            if accepted
            else NotificationKind.CHANNEL_MEMBER_LEFT
        ).value,
        TABLE_ACCEPTED if accepted else TABLE_DECLINED,
        {"actor": fact.actor.name},
        {"state": state},
    )
    _tell(fact, _seated([fact.channel.id]), notice, told)
