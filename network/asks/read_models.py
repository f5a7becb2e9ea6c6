"""Read models of asks: one ask as a side sees it, lists, and the open ones for deadlines.

The API and the pages dump these with the schemas of ``network.schemas.asks``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, false, func, or_, select

from network.asks.due import due_date
from network.asks.models import Ask
from network.asks.service import access_ask
from network.audit import service as audit
from network.auth.models import User
from network.cases.access import (
    PersonRef,
    case_scope,
    may_sit,
    my_scopes,
    person_of,
    reached_cases,
)
from network.cases.models import ChannelMember
from network.extensions import db
from network.schemas.vocabularies import MemberKind
from network.sealing.integrity import OK, Opened


@dataclass(frozen=True)
class AskView:
    id: int
    case_id: int
    channel_id: int
    requested_state: str
    asking_state: str
    asked_state: str
    kind: str
    due_on: date
    due_at: datetime
    time_zone: str
    text: str | None
    measure_id: int | None
    request_id: int | None
    asked_by: PersonRef | None
    asked_at: datetime
    outcome: str | None
    reason: str | None
    extension_id: int | None
    answered_by: PersonRef | None
    answered_at: datetime | None
    # Whether the viewer may answer it now: a party of the asked side, while it is open.
    may_answer: bool
    # Open and past its due date.
    overdue: bool
    integrity: str = OK


def _party_channels(actor: User) -> set[int]:
    """The channels the actor sits in as a party (where they may ask and answer)."""
    rows = db.session.scalars(
        select(ChannelMember.channel_id).where(
            ChannelMember.user_id == actor.id,
            ChannelMember.removed_at.is_(None),
            ChannelMember.kind == MemberKind.PARTY.value,
        )
    )
    return set(rows) if may_sit(actor, MemberKind.PARTY.value) else set()


def _view(ask: Ask, actor: User, parties: set[int], now: datetime) -> AskView:
    sealed = Opened(ask)
    due = due_date(ask)
    return AskView(
        id=ask.id,
        case_id=ask.case_id,
        channel_id=ask.channel_id,
        requested_state=ask.requested_state,
        asking_state=ask.asking_state,
        asked_state=ask.asked_state,
        kind=ask.kind,
        due_on=ask.due_on,
        due_at=due.at,
        time_zone=due.zone.key,
        text=sealed[Ask.text],
        measure_id=ask.measure_id,
        request_id=ask.request_id,
        asked_by=person_of(ask.asked_by),
        asked_at=ask.asked_at,
        outcome=ask.outcome,
        reason=sealed[Ask.reason],
        extension_id=ask.extension_id,
        answered_by=person_of(ask.answered_by),
        answered_at=ask.answered_at,
        may_answer=ask.outcome is None
        and ask.channel_id in parties
        and actor.state_code == ask.asked_state,
        overdue=ask.outcome is None and due.passed(now),
        integrity=sealed.integrity,
    )


def ask_view(actor: User, ask_id: int, now: datetime) -> AskView:
    """One ask as the actor's side sees it; the read is audited."""
    ask, _scope = access_ask(actor, ask_id)
    audit.record(actor, "ask.viewed", "ask", ask.id, at=now)
    return _view(ask, actor, _party_channels(actor), now)


def _seen(scopes: dict[int, frozenset[str]]) -> ColumnElement[bool]:
    """Asks of the relationships in ``scopes``: per case, the requested States seen."""
    if not scopes:
        return false()
    return or_(
        *(
            and_(Ask.case_id == case_id, Ask.requested_state.in_(sorted(states)))
            for case_id, states in scopes.items()
        )
    )


def list_asks(
    actor: User,
    now: datetime,
    *,
    case_id: int | None = None,
    open_only: bool = False,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[AskView], int]:
    """The asks of the actor's relationships (of one case when named), soonest due first."""
    if case_id is not None:
        scope = case_scope(actor, case_id)
        scopes = {scope.case.id: scope.visible}
    else:
        scopes = my_scopes(actor)
    condition = _seen(scopes)
    if open_only:
        condition = and_(condition, Ask.outcome.is_(None))
    total = db.session.scalar(select(func.count(Ask.id)).where(condition)) or 0
    rows = db.session.scalars(
        select(Ask)
        .where(condition)
        .order_by(Ask.outcome.is_not(None), Ask.due_on, Ask.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    parties = _party_channels(actor)
    return [_view(each, actor, parties, now) for each in rows], total


def my_open_asks(actor: User, scopes: Mapping[int, frozenset[str]] | None = None) -> list[Ask]:
    """The open asks of every relationship the actor sees (for the deadline list).

    ``scopes`` are the actor's (``my_scopes``) when the caller has them already. The cases
    are narrowed in SQL and the requested States each sees in Python: one OR per case
    costs more to build and plan than the few rows it leaves out.
    """
    seen = my_scopes(actor) if scopes is None else scopes
    if not seen:
        return []
    rows = db.session.scalars(
        select(Ask)
        .where(Ask.case_id.in_(reached_cases(actor)), Ask.outcome.is_(None))
        .order_by(Ask.id)
    ).all()
    return [each for each in rows if each.requested_state in seen[each.case_id]]


def open_asks_everywhere() -> list[Ask]:
    """Every ask not yet answered, for the deadline engine (which runs without an actor)."""
    return list(db.session.scalars(select(Ask).where(Ask.outcome.is_(None)).order_by(Ask.id)))
