"""Multilateral tables: a channel where the requesting State meets several requested States.

The requesting side opens one with two or more of the case's requested States;
each invited State's side accepts or declines it. A State's users sit at the
table only once their State accepted, so a pending or declined State has no seat
and reads nothing of it: every read still goes through ``access_channel``, which
asks for a seat. Declining is final for that table; the requesting side may open
a new one. The bilateral channels stay as they are: nothing flows from them here.
Every function takes the acting user, plain values and ``now``, audits, flushes,
and never commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from network.audit import service as audit
from network.auth.models import User
from network.cases import seating
from network.cases.access import (
    PARTY_ROLES,
    access_case,
    access_channel,
    case_requested_states,
    manageable_case,
    side_of,
)
from network.cases.models import Case, Channel, ChannelParty, TeamMember
from network.cases.team import take_seat
from network.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from network.core.events import publish
from network.core.i18n import N_
from network.core.locking import load_for_change
from network.extensions import db
from network.schemas.vocabularies import ChannelKind, MemberKind, PartyAnswer
from network.sealing import keystore

TABLE_CHANGED = "table_changed"


@dataclass(frozen=True)
class PartyView:
    """One invited State's answer, as the table's members see it."""

    state: str
    answer: str
    answered_at: datetime | None


@dataclass(frozen=True)
class Invitation:
    """What an invited State's side sees of a table before (or without) sitting at it."""

    channel_id: int
    case_id: int
    state: str
    answer: str
    answered_at: datetime | None


@dataclass(frozen=True)
class TableChanged:
    """A table opened (``answer`` None) or a State's answer, for the notifications to tell."""

    case: Case
    channel: Channel
    # The invited States told of an opening, or the State that answered.
    states: tuple[str, ...]
    answer: str | None
    actor: User
    now: datetime


def _no_channel() -> NotFound:
    return NotFound(N_("No such channel."), reason="channel_not_found")


def _checked_states(case: Case, requested_states: Sequence[str]) -> list[str]:
    """Two or more distinct codes, each already a requested State of the case."""
    codes = [str(code).strip().upper() for code in requested_states]
    problem = None
    if len(set(codes)) != len(codes):
        problem = N_("Choose each requested State once.")
    elif len(codes) < 2:
        problem = N_("Choose two or more of the case's requested States.")
    elif not set(codes) <= set(case_requested_states(case.id)):
        problem = N_("Choose only States that are already requested States of this case.")
    if problem is not None:
        raise InvalidInput(N_("Some values are not valid."), {"requested_states": [problem]})
    return sorted(codes)


def _parties(channel_id: int) -> list[ChannelParty]:
    return list(
        db.session.scalars(
            select(ChannelParty)
            .where(ChannelParty.channel_id == channel_id)
            .order_by(ChannelParty.state_code)
        )
    )


def _open_tables(case_id: int) -> list[Channel]:
    return list(
        db.session.scalars(
            select(Channel)
            .where(Channel.case_id == case_id, Channel.kind == ChannelKind.MULTILATERAL.value)
            .order_by(Channel.id)
        )
    )


def _same_table(case: Case, codes: list[str]) -> Channel | None:
    """A table of exactly these States that none of them declined (409: one is enough)."""
    for table in _open_tables(case.id):
        parties = _parties(table.id)
        declined = any(each.answer == PartyAnswer.DECLINED.value for each in parties)
        if sorted(each.state_code for each in parties) == codes and not declined:
            return table
    return None


def _side_team(case_id: int, side: str) -> list[User]:
    """The current party members of one side's team: who sits at the table for that side."""
    members = db.session.scalars(
        select(TeamMember)
        .where(
            TeamMember.case_id == case_id,
            TeamMember.state_code == side,
            TeamMember.removed_at.is_(None),
        )
        .order_by(TeamMember.id)
    ).all()
    return [each.user for each in members if each.user.active and each.user.role in PARTY_ROLES]


def _seat_side(case: Case, table: Channel, side: str, actor: User, now: datetime) -> None:
    """Seat a side's whole team at the table, each seat a line of the case history."""
    for user in _side_team(case.id, side):
        take_seat(table, user, MemberKind.PARTY, actor, now)
        seating.table_seat_taken(case, table, user, side, actor, now)


def open_table(
    actor: User, case_id: int, requested_states: Sequence[str], now: datetime
) -> Channel:
    """The requesting side opens a multilateral channel; each invited State answers later.

    Only the requesting side's team sits at it at first. A table of the same States
    that none of them declined answers 409: one such table is enough.
    """
    case, side = manageable_case(actor, case_id, to_change=True)
    if side != case.requesting_state:
        raise PermissionDenied(N_("Only the requesting side opens a multilateral channel."))
    codes = _checked_states(case, requested_states)
    existing = _same_table(case, codes)
    if existing is not None:
        raise Conflict(
            N_("A multilateral channel with these States is already open."),
            {"channel": [str(existing.id)]},
        )
    table = Channel(
        case_id=case.id,
        kind=ChannelKind.MULTILATERAL.value,
        requested_state=None,
        data_key_id=keystore.create_data_key(now).id,
        last_seq=0,
        created_at=now,
    )
    db.session.add(table)
    db.session.flush()
    for code in codes:
        db.session.add(
            ChannelParty(
                channel_id=table.id,
                state_code=code,
                answer=PartyAnswer.PENDING.value,
                invited_by_id=actor.id,
                invited_at=now,
            )
        )
    _seat_side(case, table, side, actor, now)
    db.session.flush()
    audit.record(
        actor,
        "channel.multilateral_opened",
        "channel",
        table.id,
        {"case": case.id, "requested_states": codes},
        at=now,
    )
    publish(TABLE_CHANGED, TableChanged(case, table, tuple(codes), None, actor, now))
    return table


def answer_table(actor: User, channel_id: int, accept: bool, now: datetime) -> Invitation:
    """The caller's State accepts (its team takes seats) or declines (for good) a table.

    Only a member of an invited State's side answers, once; anyone else is told
    there is no such channel, as for one that does not exist.
    """
    table = db.session.get(Channel, channel_id)
    if table is None or table.kind != ChannelKind.MULTILATERAL.value:
        raise _no_channel()
    case = load_for_change(db.session, Case, table.case_id)
    side = side_of(actor, case) if case is not None else None
    party = db.session.scalar(
        select(ChannelParty).where(
            ChannelParty.channel_id == table.id, ChannelParty.state_code == side
        )
    )
    if case is None or side is None or party is None:
        raise _no_channel()
    if party.answer != PartyAnswer.PENDING.value:
        raise Conflict(
            N_("Your State has already answered this invitation."), {"current": [party.answer]}
        )
    party.answer = (PartyAnswer.ACCEPTED if accept else PartyAnswer.DECLINED).value
    party.answered_by_id = actor.id
    party.answered_at = now
    if accept:
        _seat_side(case, table, side, actor, now)
    db.session.flush()
    audit.record(
        actor,
        f"channel.multilateral_{party.answer}",
        "channel",
        table.id,
        {"case": case.id, "state": side},
        at=now,
    )
    publish(TABLE_CHANGED, TableChanged(case, table, (side,), party.answer, actor, now))
    return _invitation(party, case.id)


def _invitation(party: ChannelParty, case_id: int) -> Invitation:
    return Invitation(party.channel_id, case_id, party.state_code, party.answer, party.answered_at)


def table_parties(actor: User, channel_id: int) -> list[PartyView]:
    """The invited States of a table and their answers: for those seated at it only."""
    channel = access_channel(actor, channel_id)
    return parties_of(channel)


def parties_of(channel: Channel) -> list[PartyView]:
    """For a read model that already went through ``access_channel``: the table's parties."""
    if channel.kind != ChannelKind.MULTILATERAL.value:
        return []
    return [PartyView(p.state_code, p.answer, p.answered_at) for p in _parties(channel.id)]


def invitations(actor: User, case_id: int) -> list[Invitation]:
    """The tables of the case that the actor's State was invited to, and its answer to each.

    A requested side learns that a table exists and what its own State answered;
    who else is invited, and everything said there, it sees only once seated.
    """
    case = access_case(actor, case_id)
    side = side_of(actor, case)
    if side is None or side == case.requesting_state:
        return []
    rows = db.session.scalars(
        select(ChannelParty)
        .join(Channel, Channel.id == ChannelParty.channel_id)
        .where(Channel.case_id == case.id, ChannelParty.state_code == side)
        .order_by(ChannelParty.channel_id)
    ).all()
    return [_invitation(each, case.id) for each in rows]


def pending_invitation(actor: User, channel_id: int) -> Invitation | None:
    """For a page: the actor's State's pending invitation to this table, if it has one."""
    table = db.session.get(Channel, channel_id)
    if table is None or table.kind != ChannelKind.MULTILATERAL.value:
        return None
    for each in invitations(actor, table.case_id):
        if each.channel_id == table.id and each.answer == PartyAnswer.PENDING.value:
            return each
    return None
