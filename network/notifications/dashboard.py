"""The home page's figures: deadlines, lapsed orders, requests waiting, unread, disclosures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from network.assistance import lifecycle
from network.assistance.read_models import my_requests
from network.auth.models import User
from network.disclosures import service as disclosures
from network.messages.reading import unread_counts
from network.notifications.deadlines import Deadline, case_reference, deadlines_for
from network.schemas.vocabularies import RequestStatus

DASHBOARD_DAYS = 30


@dataclass(frozen=True)
class WaitingRequest:
    id: int
    case_id: int
    reference: str
    kind: str
    counterpart: str
    status: str
    since: datetime
    days: int
    urgent: bool


@dataclass(frozen=True)
class UnreadCase:
    case_id: int
    reference: str
    unread: int


@dataclass(frozen=True)
class NewDisclosure:
    id: int
    kind: str
    from_state: str
    reference: str
    handling_code: str
    sent_at: datetime


@dataclass
class Dashboard:
    upcoming: list[Deadline] = field(default_factory=list)
    lapsed: list[Deadline] = field(default_factory=list)
    waiting: list[WaitingRequest] = field(default_factory=list)
    unread: list[UnreadCase] = field(default_factory=list)
    disclosures: list[NewDisclosure] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.upcoming or self.lapsed or self.waiting or self.unread or self.disclosures)


def _waits_on(user: User, status: str, requesting: str, requested: str) -> bool:
    """Whether the next step of a request is the user's State's to take."""
    if user.state_code == requested:
        return status in lifecycle.WITH_REQUESTED_SIDE
    if user.state_code == requesting:
        return status in {
            RequestStatus.DRAFT,
            RequestStatus.SHARED_FOR_COMMENT,
            RequestStatus.MORE_INFORMATION_REQUESTED,
        }
    return False


def dashboard(user: User, now: datetime) -> Dashboard:
    """Everything on the user's home page, from the records their sides may see."""
    board = Dashboard()
    for deadline in deadlines_for(user, now, DASHBOARD_DAYS):
        (board.lapsed if deadline.passed else board.upcoming).append(deadline)
    for request in my_requests(user):
        if not _waits_on(user, request.status, request.requesting_state, request.requested_state):
            continue
        counterpart = (
            request.requesting_state
            if user.state_code == request.requested_state
            else request.requested_state
        )
        board.waiting.append(
            WaitingRequest(
                id=request.id,
                case_id=request.case_id,
                reference=case_reference(request.case_id, user.state_code),
                kind=request.kind,
                counterpart=counterpart,
                status=request.status,
                since=request.status_since,
                days=max((now - request.status_since).days, 0),
                urgent=request.urgent,
            )
        )
    board.waiting.sort(key=lambda each: (not each.urgent, each.since))
    board.unread = [
        UnreadCase(case_id, case_reference(case_id, user.state_code), count)
        for case_id, count in sorted(unread_counts(user).items())
        if count > 0
    ]
    received, _total = disclosures.list_disclosures(user, "received", 1, 50)
    board.disclosures = [
        NewDisclosure(
            id=each.id,
            kind=each.kind,
            from_state=each.from_state,
            reference=each.reference,
            handling_code=each.handling_code,
            sent_at=each.sent_at,
        )
        for each in received
        if each.status == "sent"
    ]
    return board
