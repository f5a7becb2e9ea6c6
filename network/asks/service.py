"""Asking the other side of a relationship for something, and answering, once.

Either party of a bilateral channel may ask; only the other side answers; an invited
observer does neither (resolution 4/5). Each verb takes the acting user, loads the case
through ``cases.access``, writes its audit record in the caller's transaction and
flushes; the text and the reason are sealed with the case's data key.
"""

from __future__ import annotations

from datetime import date, datetime

from network.asks.due import DueDate, asked_zone
from network.asks.models import Ask
from network.assistance import checklist
from network.assistance.contents import MAX_REASON
from network.assistance.models import AssistanceRequest
from network.audit import service as audit
from network.auth.models import User
from network.cases.access import (
    CaseScope,
    case_scope,
    current_membership,
    may_hold,
    record_scope,
)
from network.cases.counterparts import Recorded, tell_counterpart
from network.cases.models import Channel
from network.core.errors import Conflict, NotFound, PermissionDenied
from network.core.i18n import N_
from network.core.locking import load_for_change
from network.extensions import db
from network.recovery.models import MeasureExtension, ProvisionalMeasure
from network.schemas.vocabularies import (
    ASK_KINDS,
    AskKind,
    AskOutcome,
    MemberKind,
    NoticeTarget,
    NotificationKind,
)


def missing_ask() -> NotFound:
    return NotFound(N_("No such ask."), reason="ask_not_found")


def party_side(actor: User, channel: Channel) -> str | None:
    """The side of the channel the actor sits on as a party, or None (observer, no seat)."""
    seat = current_membership(actor.id, channel.id)
    if seat is None or seat.kind != MemberKind.PARTY.value or not may_hold(actor, seat):
        return None
    if actor.state_code not in {channel.case.requesting_state, channel.requested_state}:
        return None
    return actor.state_code


def _channel(scope: CaseScope, channel_id: int) -> Channel:
    channel = db.session.get(Channel, channel_id)
    if (
        channel is None
        or channel.case_id != scope.case.id
        or channel.requested_state is None  # a multilateral table holds no asks
        or not scope.sees(channel.requested_state)
    ):
        raise checklist.refuse("channel", N_("Choose one of the case's channels you work in."))
    return channel


def _concerns(channel: Channel, kind: str, measure_id: int | None, request_id: int | None) -> None:
    """The order or request an ask is about must be of the same relationship."""
    if measure_id is not None and request_id is not None:
        raise checklist.refuse("request", N_("An ask concerns an order or a request, not both."))
    if kind == AskKind.EXTENSION and measure_id is None:
        raise checklist.refuse("measure", N_("Choose the order to be extended."))
    if measure_id is not None:
        _of_channel(channel, db.session.get(ProvisionalMeasure, measure_id), "measure")
    if request_id is not None:
        _of_channel(channel, db.session.get(AssistanceRequest, request_id), "request")


def _of_channel(
    channel: Channel, record: ProvisionalMeasure | AssistanceRequest | None, field: str
) -> None:
    if (
        record is None
        or record.case_id != channel.case_id
        or record.requested_state != channel.requested_state
    ):
        raise checklist.refuse(field, N_("Choose one of this channel's own records."))


# An answer asked for further ahead than this is no deadline anyone tracks.
MAX_DAYS_AHEAD = 3_650


def _due_on(value: date, asked_state: str, now: datetime) -> date:
    days_left = DueDate(value, asked_zone(asked_state)).days_left(now)
    if days_left < 0:
        raise checklist.refuse("due_on", N_("The date cannot be in the past."))
    if days_left > MAX_DAYS_AHEAD:
        raise checklist.refuse("due_on", N_("At most ten years ahead."))
    return value


def create_ask(
    actor: User,
    case_id: int,
    *,
    kind: str,
    channel: int,
    due_on: date,
    text: str,
    measure: int | None = None,
    request: int | None = None,
    now: datetime,
) -> Ask:
    """A party of the channel asks the other side for something, to be answered by ``due_on``."""
    scope = case_scope(actor, case_id)
    found = _channel(scope, channel)
    relationship = found.requested_state
    assert relationship is not None  # noqa: S101 - _channel refuses a multilateral table
    side = party_side(actor, found)
    if side is None:
        raise PermissionDenied(N_("Only a member of a State's team in this channel may ask."))
    asked = (
        relationship
        if side == scope.case.requesting_state
        else (scope.case.requesting_state)
    )
    kind = checklist.choice(kind, ASK_KINDS, "kind")
    _concerns(found, kind, measure, request)
    ask = Ask(
        case_id=scope.case.id,
        channel_id=found.id,
        requested_state=relationship,
        asking_state=side,
        asked_state=asked,
        kind=kind,
        due_on=_due_on(due_on, asked, now),
        measure_id=measure,
        request_id=request,
        asked_by_id=actor.id,
        asked_at=now,
    )
    ask.text = checklist.text(text, MAX_REASON, "text", required=True)
    db.session.add(ask)
    db.session.flush()
    audit.record(
        actor,
        "ask.created",
        "ask",
        ask.id,
        {"case": scope.case.id, "kind": kind, "asked_state": asked},
        at=now,
    )
    _tell_other_side(NotificationKind.ASK_RECEIVED, ask, actor, now)
    return ask


def access_ask(actor: User, ask_id: int, *, to_change: bool = False) -> tuple[Ask, CaseScope]:
    """Load an ask of a relationship the actor sees; missing and forbidden look alike.

    ``to_change`` locks it until commit, so that of two answers given at once the second
    is decided on the first's result.
    """
    ask = load_for_change(db.session, Ask, ask_id) if to_change else db.session.get(Ask, ask_id)
    if ask is None:
        raise missing_ask()
    return ask, record_scope(actor, ask.case_id, ask.requested_state, missing_ask())


def _extension(ask: Ask, extension_id: int | None) -> int | None:
    """An answer may point at the extension recorded for the order the ask is about."""
    if extension_id is None:
        return None
    found = db.session.get(MeasureExtension, extension_id)
    if found is None or ask.measure_id is None or found.measure_id != ask.measure_id:
        raise checklist.refuse("extension", N_("Choose an extension of the order asked about."))
    return found.id


def answer_ask(
    actor: User,
    ask_id: int,
    *,
    outcome: str,
    reason: str = "",
    extension: int | None = None,
    now: datetime,
) -> Ask:
    """The asked side answers: granted, refused (with a reason) or answered; once."""
    ask, _scope = access_ask(actor, ask_id, to_change=True)
    channel = db.session.get(Channel, ask.channel_id)
    if channel is None or party_side(actor, channel) != ask.asked_state:
        raise PermissionDenied(N_("Only the side that was asked may answer."))
    if ask.outcome is not None:
        raise Conflict(
            N_("This ask has already been answered."),
            {"current": [ask.outcome], "allowed": []},
            reason="ask_answered",
        )
    ask.outcome = checklist.choice(outcome, [each.value for each in AskOutcome], "outcome")
    ask.reason = checklist.text(
        reason, MAX_REASON, "reason", required=outcome == AskOutcome.REFUSED
    )
    ask.extension_id = _extension(ask, extension)
    ask.answered_by_id = actor.id
    ask.answered_at = now
    db.session.flush()
    audit.record(
        actor,
        "ask.answered",
        "ask",
        ask.id,
        {"case": ask.case_id, "outcome": ask.outcome},
        at=now,
    )
    _tell_other_side(NotificationKind.ASK_ANSWERED, ask, actor, now)
    return ask


def _tell_other_side(kind: NotificationKind, ask: Ask, actor: User, now: datetime) -> None:
    """The other side of the channel learns that it was asked, or answered (never the text)."""
    tell_counterpart(
        Recorded(
            kind,
            actor,
            now,
            ask.case_id,
            ask.requested_state,
            NoticeTarget.ASK,
            ask.id,
            {"ask": ask.kind},
        )
    )
