"""Seats in a case: its history, and the fact of each seat taken or given up.

Every seat taken or given up (on a State's team, or an observer's in one channel)
writes a line of the case history and publishes ``SEAT_CHANGED`` in the same
transaction; the notifications subscribe to it and tell the parties
(``notifications/seats.py``), so that nobody takes a seat unseen. A national
administrator who seats themself does so as break-glass: a reason is required,
sealed in the history and quoted in the notice. The seats a case opens with are
written to the history but announced by the opening itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select

from network.audit import service as audit
from network.auth.models import User
from network.cases.access import case_scope
from network.cases.models import Case, Channel, SeatChange
from network.core.errors import InvalidInput, PermissionDenied
from network.core.events import publish
from network.core.i18n import N_
from network.core.paging import page_of
from network.extensions import db
from network.schemas.vocabularies import SeatKind, SeatMove

MAX_REASON = 500


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

SEAT_CHANGED = "seat_changed"


@dataclass(frozen=True)
class SeatChanged:
    """A seat taken or given up, published for the notifications to tell the parties."""

    case: Case
    move: SeatMove
    seat: SeatKind
    side: str
    # The channels the seat opens or closes: a side's channels, or the observer's one.
    channels: tuple[Channel, ...]
    user: User
    actor: User
    now: datetime
    reason: str = ""


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
    if announce:
        change = SeatChanged(
            case, SeatMove.JOINED, SeatKind.TEAM, side, tuple(channels), user, actor, now, reason
        )
        publish(SEAT_CHANGED, change)


def team_left(
    case: Case, user: User, side: str, channels: list[Channel], actor: User, now: datetime
) -> None:
    """Write the end of a team seat; tell its side and the channels it closed."""
    _write(case, SeatMove.LEFT, SeatKind.TEAM, side, None, user, actor, now)
    publish(
        SEAT_CHANGED,
        SeatChanged(case, SeatMove.LEFT, SeatKind.TEAM, side, tuple(channels), user, actor, now),
    )


def table_seat_taken(
    case: Case, table: Channel, user: User, side: str, actor: User, now: datetime
) -> None:
    """Write a team member's seat at a multilateral table (``cases/tables.py`` tells the parties).

    The line names the table, so a requested side's history never shows another side's table.
    """
    _write(case, SeatMove.JOINED, SeatKind.TEAM, side, table.id, user, actor, now)


def observer_joined(channel: Channel, user: User, side: str, actor: User, now: datetime) -> None:
    """Write an observer's seat; tell everyone in the channel, the observer included."""
    _observer_moved(SeatMove.JOINED, channel, user, side, actor, now)


def observer_left(channel: Channel, user: User, side: str, actor: User, now: datetime) -> None:
    """Write the end of an observer's seat; tell the channel (the observer no longer sees it)."""
    _observer_moved(SeatMove.LEFT, channel, user, side, actor, now)


def _observer_moved(
    move: SeatMove, channel: Channel, user: User, side: str, actor: User, now: datetime
) -> None:
    _write(channel.case, move, SeatKind.OBSERVER, side, channel.id, user, actor, now)
    change = SeatChanged(channel.case, move, SeatKind.OBSERVER, side, (channel,), user, actor, now)
    publish(SEAT_CHANGED, change)


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
    newest_first = (SeatChange.at.desc(), SeatChange.id.desc())
    rows, total = page_of(db.session, query, newest_first, page, per_page)
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
