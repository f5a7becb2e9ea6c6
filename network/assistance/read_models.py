"""Read models of requests: one request as a side sees it, lists, and times drawn from the history.

The API and the pages dump these with the schemas of ``network.schemas.assistance``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from network.assistance import checklist, lifecycle
from network.assistance.access import access_request, acting_side
from network.assistance.contents import KIND_ITEMS, ChecklistItem, request_checklist
from network.assistance.lifecycle import Side
from network.assistance.models import (
    AssistanceRequest,
    DelayNotice,
    RequestTransition,
    StatusEnquiry,
)
from network.audit import service as audit
from network.auth.models import User
from network.cases.access import (
    CaseScope,
    PersonRef,
    case_scope,
    my_scopes,
    person_of,
    reached_cases,
)
from network.core.clock import as_utc
from network.core.i18n import N_
from network.extensions import db
from network.schemas.vocabularies import RequestStatus
from network.sealing.integrity import OK, Opened

DEFAULT_PER_PAGE = 50


@dataclass(frozen=True)
class TransitionView:
    from_status: str | None
    to_status: str
    reason: str | None
    grounds: str | None
    postponed_until: date | None
    actor: PersonRef | None
    actor_state: str | None
    at: datetime
    integrity: str = OK


@dataclass(frozen=True)
class EnquiryView:
    id: int
    question: str | None
    asked_by: PersonRef | None
    asked_at: datetime
    answer: str | None
    answered_by: PersonRef | None
    answered_at: datetime | None
    integrity: str = OK


@dataclass(frozen=True)
class DelayNoticeView:
    id: int
    delay_days: int
    expected_on: date | None
    reason: str | None
    given_by: PersonRef | None
    given_at: datetime
    integrity: str = OK


@dataclass
class RequestView:
    """A request as one party (or invited observer) of its relationship sees it.

    Contents that fail their integrity check come back empty, with ``integrity`` ``failed``.
    """

    id: int
    case_id: int
    kind: str
    requesting_state: str
    requested_state: str
    # "outgoing" for the requesting side, "incoming" for the requested side, None for observers.
    direction: str | None
    reference: str
    legal_basis: str
    legal_basis_text: str
    transmission_channel: str
    language: str | None
    urgent: bool
    deadline_on: date | None
    # A request for recognition: 54(1)(a) conviction-based (True) or 54(1)(c) (False).
    conviction_based: bool | None
    status: str
    status_since: datetime
    created_by: PersonRef | None
    created_at: datetime
    allowed_steps: list[str]
    # The record's version: the API's ETag, the edit form's hidden field.
    version: int
    contents: dict[str, str] = field(default_factory=dict)
    deadline_reason: str = ""
    missing: list[str] = field(default_factory=list)
    # The kind's items and what the requested State's profile asks, each done or not.
    checklist: list[ChecklistItem] = field(default_factory=list)
    history: list[TransitionView] = field(default_factory=list)
    enquiries: list[EnquiryView] = field(default_factory=list)
    delay_notices: list[DelayNoticeView] = field(default_factory=list)
    time_in_status: dict[str, float] = field(default_factory=dict)
    response_time: float | None = None
    integrity: str = OK

    @property
    def missing_items(self) -> list[ChecklistItem]:
        """The checklist's required items not yet done: the request cannot be sent before."""
        return [each for each in self.checklist if each.required and not each.done]


# --- derived from the history ----------------------------------------------------------------


def history(request: AssistanceRequest) -> list[RequestTransition]:
    return list(
        db.session.scalars(
            select(RequestTransition)
            .where(RequestTransition.request_id == request.id)
            .order_by(RequestTransition.at, RequestTransition.id)
        )
    )


def time_in_status(request: AssistanceRequest, now: datetime) -> dict[str, timedelta]:
    """Time spent in each status, from the history; the current status counts until now."""
    spent: dict[str, timedelta] = {}
    steps = history(request)
    for step, following in zip(steps, [*steps[1:], None], strict=True):
        end = as_utc(following.at) if following is not None else now
        spent[step.to_status] = spent.get(step.to_status, timedelta()) + max(
            end - as_utc(step.at), timedelta()
        )
    return spent


def response_time(request: AssistanceRequest) -> timedelta | None:
    """From the first sending to the first answer (executed, partly executed or refused)."""
    sent_at: datetime | None = None
    for step in history(request):
        if step.to_status == RequestStatus.SENT and sent_at is None:
            sent_at = as_utc(step.at)
        elif step.to_status in lifecycle.ANSWERED and sent_at is not None:
            return as_utc(step.at) - sent_at
    return None


# --- reading ---------------------------------------------------------------------------------


def _direction(scope: CaseScope, request: AssistanceRequest) -> str | None:
    side = acting_side(scope, request)
    if side is Side.REQUESTING:
        return "outgoing"
    if side is Side.REQUESTED:
        return "incoming"
    return None


def _view(
    scope: CaseScope, request: AssistanceRequest, now: datetime, *, detailed: bool
) -> RequestView:
    view = RequestView(
        id=request.id,
        case_id=request.case_id,
        kind=request.kind,
        requesting_state=request.requesting_state,
        requested_state=request.requested_state,
        direction=_direction(scope, request),
        reference=request.reference,
        legal_basis=request.legal_basis,
        legal_basis_text=request.legal_basis_text,
        transmission_channel=request.transmission_channel,
        language=request.language,
        urgent=request.urgent,
        deadline_on=request.deadline_on,
        conviction_based=request.conviction_based,
        status=request.status,
        status_since=request.status_since,
        created_by=person_of(request.created_by),
        created_at=request.created_at,
        allowed_steps=lifecycle.steps_for(request.status, acting_side(scope, request)),
        version=request.version,
    )
    if not detailed:
        return view
    sealed = Opened(request)
    contents = sealed[AssistanceRequest.contents]
    if contents is not None:
        view.deadline_reason = contents.pop("deadline_reason", "")
        view.contents = {name: contents.get(name, "") for name, _ in KIND_ITEMS[request.kind]}
        view.checklist = request_checklist(request)
        view.missing = [each.item for each in view.missing_items]
    view.integrity = sealed.integrity
    view.history = [_transition_view(step) for step in history(request)]
    enquiries = db.session.scalars(
        select(StatusEnquiry)
        .where(StatusEnquiry.request_id == request.id)
        .order_by(StatusEnquiry.id)
    )
    view.enquiries = [_enquiry_view(each) for each in enquiries]
    notices = db.session.scalars(
        select(DelayNotice).where(DelayNotice.request_id == request.id).order_by(DelayNotice.id)
    )
    view.delay_notices = [_delay_notice_view(each) for each in notices]
    view.time_in_status = {
        status: spent.total_seconds() for status, spent in time_in_status(request, now).items()
    }
    answered = response_time(request)
    view.response_time = None if answered is None else answered.total_seconds()
    return view


def _transition_view(step: RequestTransition) -> TransitionView:
    sealed = Opened(step)
    return TransitionView(
        from_status=step.from_status,
        to_status=step.to_status,
        reason=sealed[RequestTransition.reason],
        grounds=step.grounds,
        postponed_until=step.postponed_until,
        actor=person_of(step.actor),
        actor_state=step.actor_state,
        at=step.at,
        integrity=sealed.integrity,
    )


def _enquiry_view(enquiry: StatusEnquiry) -> EnquiryView:
    sealed = Opened(enquiry)
    return EnquiryView(
        id=enquiry.id,
        question=sealed[StatusEnquiry.question],
        asked_by=person_of(enquiry.asked_by),
        asked_at=enquiry.asked_at,
        answer=sealed[StatusEnquiry.answer],
        answered_by=person_of(enquiry.answered_by),
        answered_at=enquiry.answered_at,
        integrity=sealed.integrity,
    )


def _delay_notice_view(notice: DelayNotice) -> DelayNoticeView:
    sealed = Opened(notice)
    return DelayNoticeView(
        id=notice.id,
        delay_days=notice.delay_days,
        expected_on=notice.expected_on,
        reason=sealed[DelayNotice.reason],
        given_by=person_of(notice.given_by),
        given_at=notice.given_at,
        integrity=sealed.integrity,
    )


def request_view(actor: User, request_id: int, now: datetime) -> RequestView:
    """One request with its contents, history, enquiries and delay notices; the read is audited."""
    request, scope = access_request(actor, request_id)
    view = _view(scope, request, now, detailed=True)
    audit.record(actor, "request.viewed", "request", request.id, at=now)
    return view


def list_requests(
    actor: User, case_id: int, now: datetime, page: int = 1, per_page: int = DEFAULT_PER_PAGE
) -> tuple[list[RequestView], int]:
    """The case's requests the actor's sides may see, newest first."""
    scope = case_scope(actor, case_id)
    checks_page(page, per_page)
    condition = (AssistanceRequest.case_id == scope.case.id) & (
        AssistanceRequest.requested_state.in_(sorted(scope.visible))
    )
    total = db.session.scalar(select(func.count(AssistanceRequest.id)).where(condition)) or 0
    rows = db.session.scalars(
        select(AssistanceRequest)
        .where(condition)
        .order_by(AssistanceRequest.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return [_view(scope, each, now, detailed=False) for each in rows], total


def checks_page(page: int, per_page: int) -> None:
    if page < 1 or not 1 <= per_page <= 200:
        raise checklist.refuse(
            "page", N_("Pages start at 1; 1 to 200 per page."), N_("Invalid page.")
        )


def my_requests(
    actor: User, seen: Mapping[int, frozenset[str]] | None = None
) -> list[AssistanceRequest]:
    """Every request in the actor's cases that the actor's sides see (for dashboards, deadlines).

    ``seen`` are the actor's scopes (``my_scopes``) when the caller has them already.
    """
    scopes = my_scopes(actor) if seen is None else seen
    if not scopes:
        return []
    rows = db.session.scalars(
        select(AssistanceRequest)
        .where(AssistanceRequest.case_id.in_(reached_cases(actor)))
        .order_by(AssistanceRequest.id)
    ).all()
    return [each for each in rows if each.requested_state in scopes[each.case_id]]


def open_requests_everywhere() -> list[AssistanceRequest]:
    """Every request not yet closed, for the deadline engine (which runs without an actor)."""
    return list(
        db.session.scalars(
            select(AssistanceRequest)
            .where(AssistanceRequest.status != RequestStatus.CLOSED.value)
            .order_by(AssistanceRequest.id)
        )
    )
