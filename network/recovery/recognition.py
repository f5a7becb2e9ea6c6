"""Recognition of a foreign order: the steps the requested State's courts take, in order.

A request of kind recognition (54(1)(a) conviction-based, 54(1)(c) not) is given
effect by the requested State's courts: received, filed, third parties notified
(55(3)(c)), a hearing, recognised or refused, an appeal, final. The requested side
records each step with its dates; both sides of the relationship read them. A
hearing and an appeal deadline are court dates, listed and reminded like expiries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from network.assistance import checklist
from network.assistance.access import access_request, acting_side, require_side
from network.assistance.contents import MAX_REASON
from network.assistance.lifecycle import Side
from network.assistance.models import AssistanceRequest
from network.audit import service as audit
from network.auth.models import User
from network.cases.access import PersonRef, person_of
from network.core.errors import Conflict, InvalidTransition
from network.core.i18n import N_
from network.extensions import db
from network.recovery.models import RecognitionStepRecord
from network.schemas.vocabularies import RECOGNITION_KIND, RecognitionStep, RequestStatus
from network.sealing.integrity import OK, Opened

R = RecognitionStep

# Which step may follow which; None is a proceeding with no step yet. A hearing may be
# put off to a new date, and an appeal leads to a new hearing or a new decision.
NEXT: dict[RecognitionStep | None, tuple[RecognitionStep, ...]] = {
    None: (R.RECEIVED,),
    R.RECEIVED: (R.FILED,),
    R.FILED: (R.THIRD_PARTIES_NOTIFIED,),
    R.THIRD_PARTIES_NOTIFIED: (R.HEARING_SCHEDULED,),
    R.HEARING_SCHEDULED: (R.RECOGNISED, R.REFUSED, R.HEARING_SCHEDULED),
    R.RECOGNISED: (R.APPEAL_LODGED, R.FINAL),
    R.REFUSED: (R.APPEAL_LODGED, R.FINAL),
    R.APPEAL_LODGED: (R.HEARING_SCHEDULED, R.RECOGNISED, R.REFUSED),
    R.FINAL: (),
}
DECISIONS = frozenset({R.RECOGNISED, R.REFUSED})
# Before it is sent the requested side does not hold the order; a withdrawn one is not pursued.
_NOT_BEFORE_COURTS = frozenset(
    {RequestStatus.DRAFT, RequestStatus.SHARED_FOR_COMMENT, RequestStatus.WITHDRAWN}
)
# A court in a zone ahead of UTC may already be a day further on.
_CLOCK_SLACK = timedelta(days=1)

HEARING = "hearing"
APPEAL = "appeal"


@dataclass(frozen=True)
class RecognitionStepView:
    id: int
    step: str
    occurred_on: date
    hearing_on: date | None
    appeal_until: date | None
    grounds: str | None
    note: str | None
    actor: PersonRef | None
    at: datetime
    integrity: str = OK


@dataclass
class RecognitionView:
    """A proceeding as either side sees it; ``allowed`` is empty but for the requested side."""

    request_id: int
    conviction_based: bool | None
    current: str | None
    allowed: list[str]
    steps: list[RecognitionStepView] = field(default_factory=list)


# --- rules -----------------------------------------------------------------------------------


def allowed_after(current: str | None) -> list[str]:
    """The steps that may follow ``current`` (None: nothing recorded yet)."""
    return [each.value for each in NEXT[R(current) if current else None]]


def court_date(step: RecognitionStepRecord) -> tuple[str, date] | None:
    """The date the last step leaves open: a hearing, or the end of the time to appeal."""
    if step.step == R.HEARING_SCHEDULED and step.hearing_on is not None:
        return HEARING, step.hearing_on
    if step.step in DECISIONS and step.appeal_until is not None:
        return APPEAL, step.appeal_until
    return None


def _where_it_stands(current: str | None) -> dict[str, list[str]]:
    return {"current": [current] if current else [], "allowed": allowed_after(current)}


def _check_order(current: str | None, step: str) -> None:
    if step not in allowed_after(current):
        raise InvalidTransition(
            N_("This step cannot follow the last one recorded."),
            {"step": [N_("This step is not allowed now.")], **_where_it_stands(current)},
        )


def _check_dates(
    last: RecognitionStepRecord | None,
    step: str,
    occurred_on: date,
    hearing_on: date | None,
    appeal_until: date | None,
    now: datetime,
) -> None:
    if occurred_on > now.date() + _CLOCK_SLACK:
        raise checklist.refuse("on", N_("A step cannot be dated in the future."))
    if last is not None and occurred_on < last.occurred_on:
        raise checklist.refuse("on", N_("A step cannot be dated before the one before it."))
    if step == R.HEARING_SCHEDULED:
        if hearing_on is None:
            raise checklist.refuse("hearing_on", N_("Give the date of the hearing."))
        if hearing_on < occurred_on:
            raise checklist.refuse("hearing_on", N_("The hearing cannot come before the step."))
    elif hearing_on is not None:
        raise checklist.refuse("hearing_on", N_("A hearing date is given only when scheduled."))
    if step in DECISIONS:
        if appeal_until is not None and appeal_until < occurred_on:
            raise checklist.refuse(
                "appeal_until", N_("The time to appeal cannot end before the decision.")
            )
    elif appeal_until is not None:
        raise checklist.refuse(
            "appeal_until", N_("An appeal deadline is given only with a decision.")
        )


# --- reading ---------------------------------------------------------------------------------


def steps_of(request_id: int) -> list[RecognitionStepRecord]:
    return list(
        db.session.scalars(
            select(RecognitionStepRecord)
            .where(RecognitionStepRecord.request_id == request_id)
            .order_by(RecognitionStepRecord.id)
        )
    )


def last_steps(request_ids: Iterable[int]) -> dict[int, RecognitionStepRecord]:
    """Each proceeding's last step, by request id, in one query (deadlines, reminders)."""
    wanted = list(request_ids)
    if not wanted:
        return {}
    newest = (
        select(func.max(RecognitionStepRecord.id))
        .where(RecognitionStepRecord.request_id.in_(wanted))
        .group_by(RecognitionStepRecord.request_id)
    )
    rows = db.session.scalars(
        select(RecognitionStepRecord).where(RecognitionStepRecord.id.in_(newest))
    )
    return {each.request_id: each for each in rows}


def _step_view(step: RecognitionStepRecord) -> RecognitionStepView:
    sealed = Opened(step)
    return RecognitionStepView(
        id=step.id,
        step=step.step,
        occurred_on=step.occurred_on,
        hearing_on=step.hearing_on,
        appeal_until=step.appeal_until,
        grounds=sealed[RecognitionStepRecord.grounds],
        note=sealed[RecognitionStepRecord.note],
        actor=person_of(step.actor),
        at=step.at,
        integrity=sealed.integrity,
    )


def _view(request: AssistanceRequest, side: Side | None) -> RecognitionView:
    steps = steps_of(request.id)
    current = steps[-1].step if steps else None
    return RecognitionView(
        request_id=request.id,
        conviction_based=request.conviction_based,
        current=current,
        allowed=allowed_after(current) if side is Side.REQUESTED else [],
        steps=[_step_view(each) for each in steps],
    )


def _require_recognition(request: AssistanceRequest) -> None:
    if request.kind != RECOGNITION_KIND:
        raise Conflict(
            N_("Only a request for recognition of a foreign order has court steps."),
            reason="not_a_recognition",
        )


def recognition_view(actor: User, request_id: int, now: datetime) -> RecognitionView:
    """The proceeding on a request for recognition, for either side; the read is audited."""
    request, scope = access_request(actor, request_id)
    _require_recognition(request)
    audit.record(actor, "recognition.viewed", "request", request.id, at=now)
    return _view(request, acting_side(scope, request))


# --- recording -------------------------------------------------------------------------------


def record_step(
    actor: User,
    request_id: int,
    *,
    step: str,
    on: date,
    hearing_on: date | None = None,
    appeal_until: date | None = None,
    grounds: str = "",
    note: str = "",
    now: datetime,
) -> RecognitionStepRecord:
    """Record the next step of the requested State's courts; a refusal needs its grounds.

    The request is locked until commit, so of two steps taken at once from the same
    point one is recorded and the other is refused as out of order (409).
    """
    request, scope = access_request(actor, request_id, to_change=True)
    _require_recognition(request)
    require_side(scope, request, Side.REQUESTED)
    if request.status in _NOT_BEFORE_COURTS:
        raise Conflict(
            N_("The courts take steps only on a request that was sent."),
            reason="request_not_sent",
        )
    last = last_steps([request.id]).get(request.id)
    _check_order(last.step if last else None, step)
    _check_dates(last, step, on, hearing_on, appeal_until, now)
    grounds = checklist.text(grounds, MAX_REASON, "grounds")
    if step == R.REFUSED and not grounds:
        raise checklist.refuse("grounds", N_("Say on what grounds recognition was refused."))
    if step != R.REFUSED and grounds:
        raise checklist.refuse("grounds", N_("Grounds are given only with a refusal."))
    record = RecognitionStepRecord(
        request_id=request.id,
        step=step,
        occurred_on=on,
        hearing_on=hearing_on,
        appeal_until=appeal_until,
        actor_id=actor.id,
        at=now,
        grounds=grounds,
        note=checklist.text(note, MAX_REASON, "note"),
    )
    db.session.add(record)
    db.session.flush()
    audit.record(
        actor,
        "recognition.step",
        "request",
        request.id,
        {"step": step, "on": on.isoformat()},
        at=now,
    )
    return record
