"""Status enquiries and delay notices (46(24)): the requesting side asks, the requested answers.

Like the request services, each takes the acting user, audits in the caller's
transaction and flushes; the question, answer and reason are sealed.
"""

from __future__ import annotations

from datetime import date, datetime

from network.assistance import checklist, lifecycle
from network.assistance.access import access_request, require_side
from network.assistance.contents import MAX_REASON
from network.assistance.lifecycle import Side
from network.assistance.models import AssistanceRequest, DelayNotice, StatusEnquiry
from network.audit import service as audit
from network.auth.models import User
from network.cases.counterparts import Recorded, tell_counterpart
from network.core.errors import Conflict, NotFound
from network.core.i18n import N_
from network.core.locking import load_for_change
from network.extensions import db
from network.schemas.vocabularies import NoticeTarget, NotificationKind, RequestStatus

MAX_DELAY_DAYS = 3_650


def ask_status(actor: User, request_id: int, question: str, now: datetime) -> StatusEnquiry:
    """The requesting side asks how a sent request is progressing."""
    request, scope = access_request(actor, request_id, to_change=True)
    require_side(scope, request, Side.REQUESTING)
    if request.status in {
        RequestStatus.DRAFT,
        RequestStatus.SHARED_FOR_COMMENT,
        RequestStatus.CLOSED,
    }:
        raise Conflict(
            N_("Ask about progress only once the request is sent and until it is closed."),
            lifecycle.where_it_stands(request.status, Side.REQUESTING),
        )
    text = checklist.text(question, MAX_REASON, "question", required=True)
    enquiry = StatusEnquiry(
        request_id=request.id, asked_by_id=actor.id, asked_at=now, question=text
    )
    db.session.add(enquiry)
    db.session.flush()
    audit.record(
        actor, "request.enquiry_asked", "request", request.id, {"enquiry": enquiry.id}, at=now
    )
    _tell(request, actor, now)
    return enquiry


def answer_enquiry(
    actor: User, enquiry_id: int, answer: str, now: datetime, request_id: int | None = None
) -> StatusEnquiry:
    """The requested side answers a status enquiry, once (of ``request_id`` when given).

    The enquiry is locked before it is read, so that of two answers given at once the
    second finds the first and is refused.
    """
    enquiry = load_for_change(db.session, StatusEnquiry, enquiry_id)
    if enquiry is None or request_id not in (None, enquiry.request_id):
        raise NotFound(N_("No such enquiry."), reason="enquiry_not_found")
    try:
        request, scope = access_request(actor, enquiry.request_id)
    except NotFound:
        raise NotFound(N_("No such enquiry."), reason="enquiry_not_found") from None
    require_side(scope, request, Side.REQUESTED)
    if enquiry.answered_at is not None:
        raise Conflict(
            N_("This enquiry has already been answered."), {"current": ["answered"], "allowed": []}
        )
    text = checklist.text(answer, MAX_REASON, "answer", required=True)
    enquiry.answer = text
    enquiry.answered_by_id = actor.id
    enquiry.answered_at = now
    db.session.flush()
    audit.record(
        actor, "request.enquiry_answered", "request", request.id, {"enquiry": enquiry.id}, at=now
    )
    _tell(request, actor, now, "answered")
    return enquiry


def give_delay_notice(
    actor: User,
    request_id: int,
    *,
    delay_days: int,
    reason: str,
    expected_on: date | None = None,
    now: datetime,
) -> DelayNotice:
    """The requested side says execution will take longer: by how many days, and why."""
    request, scope = access_request(actor, request_id, to_change=True)
    require_side(scope, request, Side.REQUESTED)
    if request.status not in lifecycle.WITH_REQUESTED_SIDE:
        raise Conflict(
            N_("A delay notice is given only while the request is with the requested side."),
            lifecycle.where_it_stands(request.status, Side.REQUESTED),
        )
    if not isinstance(delay_days, int) or not 1 <= delay_days <= MAX_DELAY_DAYS:
        raise checklist.refuse("delay_days", N_("Between 1 and 3650 days."))
    text = checklist.text(reason, MAX_REASON, "reason", required=True)
    if expected_on is not None and expected_on < now.date():
        raise checklist.refuse("expected_on", N_("The date cannot be in the past."))
    notice = DelayNotice(
        request_id=request.id,
        delay_days=delay_days,
        expected_on=expected_on,
        given_by_id=actor.id,
        given_at=now,
        reason=text,
    )
    db.session.add(notice)
    db.session.flush()
    audit.record(
        actor,
        "request.delay_notice",
        "request",
        request.id,
        {"notice": notice.id, "days": delay_days},
        at=now,
    )
    _tell(request, actor, now, "delay")
    return notice


def _tell(request: AssistanceRequest, actor: User, now: datetime, variant: str = "") -> None:
    """Tell the other side of the request that an enquiry, an answer or a notice came."""
    tell_counterpart(
        Recorded(
            NotificationKind.ENQUIRY_RECEIVED,
            actor,
            now,
            request.case_id,
            request.requested_state,
            NoticeTarget.REQUEST,
            request.id,
            {"request": request.kind},
            variant,
        )
    )
