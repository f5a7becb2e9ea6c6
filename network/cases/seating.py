"""Seats in a case: its history, and the notices that let nobody take a seat unseen.

Every seat taken or given up (on a State's team, or an observer's in one channel)
writes a line of the case history and, in the same transaction, a notice to every
current member of the side concerned and to the other side of every channel the
seat opens or closes: in the app, pushed live after the commit, and by e-mail
without case content. Nobody is told of what they did themselves. A national
administrator who seats themself does so as break-glass: a reason is required,
sealed in the history and quoted in the notice (it is their own justification,
not case content). The seats a case opens with are written to the history but
announced by the opening itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import and_, func, or_, select

from network.audit import service as audit
from network.auth.models import User
from network.cases.access import PARTY_ROLES, case_scope, may_hold
from network.cases.models import Case, Channel, ChannelMember, SeatChange, TeamMember
from network.core.errors import InvalidInput, PermissionDenied
from network.core.i18n import N_
from network.directory.models import State
from network.extensions import db
from network.notifications import service as notifications
from network.notifications.deadlines import case_reference
from network.schemas.vocabularies import NotificationKind, SeatKind, SeatMove

MAX_REASON = 500

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


@dataclass(frozen=True)
class Person:
    """Someone seated in a case, as its members see them."""

    id: int
    name: str
    state: str | None
    observer_body: str | None
    role: str


def person_view(user: User) -> Person:
    return Person(
        id=user.id,
        name=user.name,
        state=user.state_code,
        observer_body=user.body.acronym if user.body else None,
        role=user.role,
    )


@dataclass(frozen=True)
class HistoryLine:
    """One seat taken or given up, as a party of the case sees it."""

    id: int
    move: str
    seat: str
    state: str
    channel_id: int | None
    person: Person
    by: Person
    at: datetime
    reason: str | None
    # A national administrator who seated themself, with the reason they gave.
    break_glass: bool


# --- writing the history ---------------------------------------------------------------------


def checked_reason(actor: User, user: User, reason: str) -> str:
    """A seat one takes oneself needs a reason (break-glass); a colleague's may carry one."""
    text = (reason or "").strip()
    if actor.id == user.id and not text:
        raise InvalidInput(
            N_("Some values are not valid."),
            {
                "reason": [
                    N_(
                        "Say why you seat yourself in this case; your State's team is "
                        "told at once, with your reason."
                    )
                ]
            },
        )
    if len(text) > MAX_REASON:
        raise InvalidInput(
            N_("Some values are not valid."),
            {"reason": [N_("At most %(max)s characters.")]},
            max=MAX_REASON,
        )
    return text


def _write(
    case: Case,
    move: SeatMove,
    seat: SeatKind,
    side: str,
    channel_id: int | None,
    user: User,
    actor: User,
    now: datetime,
    reason: str = "",
) -> SeatChange:
    line = SeatChange(
        case_id=case.id,
        move=move.value,
        seat=seat.value,
        state_code=side,
        channel_id=channel_id,
        user_id=user.id,
        by_id=actor.id,
        at=now,
        reason=reason or None,
    )
    db.session.add(line)
    db.session.flush()
    return line


# --- telling the parties ---------------------------------------------------------------------


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
    case_id: int,
    recipients: Iterable[User],
    notice: _Notice,
    actor: User,
    now: datetime,
    told: set[int],
    link: str | None = None,
) -> None:
    """One notice to each recipient not yet told, never to the actor."""
    for user in recipients:
        if user.id == actor.id or user.id in told or not user.active:
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
            link=link or f"/cases/{case_id}",
            now=now,
            template=notice.template,
        )


def team_joined(
    case: Case,
    user: User,
    side: str,
    channels: list[Channel],
    actor: User,
    now: datetime,
    *,
    reason: str = "",
    announce: bool = True,
) -> None:
    """Write a team seat; tell its side, and the other side of each channel it opens."""
    _write(case, SeatMove.JOINED, SeatKind.TEAM, side, None, user, actor, now, reason)
    if not announce:
        return
    params: dict[str, object] = {"person": user.name, "actor": actor.name}
    template = JOINED_TEAM
    if user.id == actor.id:
        template, params["reason"] = JOINED_BY_BREAK_GLASS, reason
    notice = _Notice(NotificationKind.CASE_MEMBER_JOINED.value, template, params, {"state": side})
    told: set[int] = set()
    _tell(case.id, _team(case.id, side), notice, actor, now, told)
    counterparts = replace(notice, kind=NotificationKind.CHANNEL_MEMBER_JOINED.value)
    _tell(case.id, _seated([each.id for each in channels]), counterparts, actor, now, told)


def team_left(
    case: Case, user: User, side: str, channels: list[Channel], actor: User, now: datetime
) -> None:
    """Write the end of a team seat; tell its side and the channels it closed.

    The person taken off is not told here: once off the case they see none of its notices.
    """
    _write(case, SeatMove.LEFT, SeatKind.TEAM, side, None, user, actor, now)
    notice = _Notice(
        NotificationKind.CHANNEL_MEMBER_LEFT.value,
        LEFT_TEAM if user.id == actor.id else REMOVED_FROM_TEAM,
        {"person": user.name, "actor": actor.name},
        {"state": side},
    )
    told: set[int] = set()
    stayed = [*_team(case.id, side), *_seated([each.id for each in channels])]
    _tell(case.id, stayed, notice, actor, now, told)


def _observer_notice(
    channel: Channel, user: User, actor: User, kind: str, template: str
) -> _Notice:
    return _Notice(
        kind,
        template,
        {
            "person": user.name,
            "body": user.body.acronym if user.body else "",
            "actor": actor.name,
        },
        {"requesting": channel.case.requesting_state, "requested": channel.requested_state},
    )


def observer_joined(channel: Channel, user: User, side: str, actor: User, now: datetime) -> None:
    """Write an observer's seat; tell everyone in the channel, the observer included."""
    _write(channel.case, SeatMove.JOINED, SeatKind.OBSERVER, side, channel.id, user, actor, now)
    notice = _observer_notice(
        channel, user, actor, NotificationKind.CHANNEL_MEMBER_JOINED.value, OBSERVER_INVITED
    )
    _tell(channel.case_id, _seated([channel.id]), notice, actor, now, set())


def observer_left(channel: Channel, user: User, side: str, actor: User, now: datetime) -> None:
    """Write the end of an observer's seat; tell the channel (the observer no longer sees it)."""
    _write(channel.case, SeatMove.LEFT, SeatKind.OBSERVER, side, channel.id, user, actor, now)
    template = OBSERVER_LEFT if user.id == actor.id else OBSERVER_REVOKED
    notice = _observer_notice(
        channel, user, actor, NotificationKind.CHANNEL_MEMBER_LEFT.value, template
    )
    _tell(channel.case_id, _seated([channel.id]), notice, actor, now, set())


# --- reading the history ---------------------------------------------------------------------


def case_history(
    actor: User, case_id: int, page: int, per_page: int
) -> tuple[list[HistoryLine], int]:
    """The seat changes the actor's side may see, newest first; parties only, and audited.

    The requesting side sees every line; a requested side its own team's, the
    requesting team's (who sit in its channel too) and its own channel's observers.
    """
    if page < 1 or not 1 <= per_page <= 200:
        raise InvalidInput(
            N_("Invalid page."), {"page": [N_("Pages start at 1; 1 to 200 per page.")]}
        )
    scope = case_scope(actor, case_id)
    if scope.side is None:
        raise PermissionDenied(N_("Only a party to the case sees its history."))
    case = scope.case
    query = select(SeatChange).where(SeatChange.case_id == case.id)
    if not scope.is_requesting_side():
        own_channels = select(Channel.id).where(
            Channel.case_id == case.id, Channel.requested_state.in_(scope.visible)
        )
        query = query.where(
            or_(
                and_(
                    SeatChange.channel_id.is_(None),
                    SeatChange.state_code.in_([scope.side, case.requesting_state]),
                ),
                SeatChange.channel_id.in_(own_channels),
            )
        )
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.scalars(
        query.order_by(SeatChange.at.desc(), SeatChange.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    audit.record(actor, "case.history_viewed", "case", case.id)
    return [_line(row) for row in rows], total


def _line(row: SeatChange) -> HistoryLine:
    reason = row.reason
    return HistoryLine(
        id=row.id,
        move=row.move,
        seat=row.seat,
        state=row.state_code,
        channel_id=row.channel_id,
        person=person_view(row.user),
        by=person_view(row.by),
        at=row.at,
        reason=reason,
        break_glass=(
            row.move == SeatMove.JOINED.value
            and row.seat == SeatKind.TEAM.value
            and row.user_id == row.by_id
            and reason is not None
        ),
    )
