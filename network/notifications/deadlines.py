"""Deadlines: orders' expiries, requests' deadlines, asks' due dates, court dates and the
milestones the parties to a return agreed.

A deadline is a calendar date in the issuing State's time zone (DOMAIN.md): an
order expiring on 31 March in Lima ends at the end of that day in Lima. Days
left are counted in that zone too, so a reminder "in 7 days" means seven of the
issuing State's calendar days, whatever the server's or the reader's zone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from network.asks.due import due_date
from network.asks.models import Ask
from network.asks.read_models import my_open_asks
from network.assistance.models import AssistanceRequest
from network.assistance.read_models import my_requests
from network.auth.models import User
from network.cases.access import my_scopes
from network.cases.references import case_references
from network.core.clock import days_until, end_of_day, start_of_day
from network.directory.models import State
from network.directory.states import state_zone
from network.extensions import db
from network.recovery import expiry, measures, recognition, return_lines
from network.recovery.models import (
    CaseReturn,
    RecognitionStepRecord,
    ReturnMilestone,
)
from network.schemas.vocabularies import RECOGNITION_KIND, RequestStatus

MEASURE_EXPIRY = "measure_expiry"
REQUEST_DEADLINE = "request_deadline"
ASK_DUE = "ask_due"
# A hearing on a foreign order, or the last day to appeal its recognition or refusal.
COURT_DATE = "court_date"
# A follow-up milestone of a return under article 57 (``object_id`` is the milestone's).
RETURN_MILESTONE = "return_milestone"

# A request whose deadline no longer matters: answered, withdrawn or closed.
_REQUEST_SETTLED = frozenset(
    {
        RequestStatus.EXECUTED,
        RequestStatus.REFUSED,
        RequestStatus.WITHDRAWN,
        RequestStatus.CLOSED,
    }
)


@dataclass(frozen=True)
class Deadline:
    """One date that matters, as one viewer's side sees it (named by case reference only)."""

    kind: str
    object_id: int
    case_id: int
    requested_state: str
    issuing_state: str
    # The measure's kind (freezing, seizure), the request's (mla ...), the ask's (extension ...),
    # or for a court date "hearing" or "appeal" (``object_id`` is then the step's that set it).
    detail: str
    due_on: date
    due_at: datetime  # the UTC instant the date ends in its time zone
    time_zone: str
    days_left: int  # calendar days from today in that zone; negative once passed
    passed: bool
    # The viewer's file number for the case: filled for a list at once by ``deadlines_for``
    # (the reminder job names the case per recipient instead).
    reference: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.object_id}-{self.due_on.isoformat()}"

    @property
    def urgency(self) -> str:
        """lapsed/passed, today, urgent (7 days), soon (14 days) or later."""
        if self.passed:
            return "lapsed" if self.kind == MEASURE_EXPIRY else "passed"
        if self.days_left <= 0:
            return "today"
        if self.days_left <= 7:
            return "urgent"
        if self.days_left <= 14:
            return "soon"
        return "later"


# --- building deadlines ----------------------------------------------------------------------


def request_deadline(request: AssistanceRequest, now: datetime) -> Deadline | None:
    """The requester's deadline (46(24)) while the request is still open, else None."""
    if request.deadline_on is None or request.status in _REQUEST_SETTLED:
        return None
    if request.status in {RequestStatus.DRAFT, RequestStatus.SHARED_FOR_COMMENT}:
        return None
    zone = state_zone(db.session.get(State, request.requesting_state))
    zone_name = zone.key
    due_at = end_of_day(request.deadline_on, zone)
    return Deadline(
        kind=REQUEST_DEADLINE,
        object_id=request.id,
        case_id=request.case_id,
        requested_state=request.requested_state,
        issuing_state=request.requesting_state,
        detail=request.kind,
        due_on=request.deadline_on,
        due_at=due_at,
        time_zone=zone_name,
        days_left=days_until(request.deadline_on, zone, now),
        passed=now >= due_at,
    )


def expiry_deadline(order: measures.OpenExpiry, now: datetime) -> Deadline | None:
    """An open order's expiry, read by ``measures.open_expiries``; none before it is in effect.

    One past its expiry has lapsed, and stays on the list (and in the reminders) until it
    is lifted or replaced.
    """
    if now < start_of_day(order.effective_on, order.expiry.zone):
        return None  # requested: not in effect yet, so no expiry to watch
    due_at = order.expiry.at
    return Deadline(
        kind=MEASURE_EXPIRY,
        object_id=order.id,
        case_id=order.case_id,
        requested_state=order.requested_state,
        issuing_state=order.issuing_state,
        detail=order.kind,
        due_on=order.expiry.on,
        due_at=due_at,
        time_zone=order.expiry.zone.key,
        days_left=order.expiry.days_left(now),
        passed=now >= due_at,
    )


def ask_deadline(ask: Ask, now: datetime) -> Deadline | None:
    """An open ask's due date, read in the asked State's zone; an answered ask has none."""
    if ask.outcome is not None:
        return None
    due = due_date(ask)
    return Deadline(
        kind=ASK_DUE,
        object_id=ask.id,
        case_id=ask.case_id,
        requested_state=ask.requested_state,
        issuing_state=ask.asked_state,
        detail=ask.kind,
        due_on=due.on,
        due_at=due.at,
        time_zone=due.zone.key,
        days_left=due.days_left(now),
        passed=due.passed(now),
    )


def court_deadline(
    request: AssistanceRequest, step: RecognitionStepRecord, now: datetime
) -> Deadline | None:
    """The date a proceeding's last step leaves open, in the zone of the requested courts."""
    dated = recognition.court_date(step)
    if dated is None:
        return None
    what, on = dated
    zone = state_zone(db.session.get(State, request.requested_state))
    due_at = end_of_day(on, zone)
    return Deadline(
        kind=COURT_DATE,
        object_id=step.id,
        case_id=request.case_id,
        requested_state=request.requested_state,
        issuing_state=request.requested_state,
        detail=what,
        due_on=on,
        due_at=due_at,
        time_zone=zone.key,
        days_left=days_until(on, zone, now),
        passed=now >= due_at,
    )


def court_deadlines(requests: Iterable[AssistanceRequest], now: datetime) -> list[Deadline]:
    """The open court dates of these requests' recognition proceedings (withdrawn ones: none)."""
    pursued = [
        each
        for each in requests
        if each.kind == RECOGNITION_KIND
        and each.status not in {RequestStatus.WITHDRAWN, RequestStatus.CLOSED}
    ]
    last = recognition.last_steps(each.id for each in pursued)
    found = []
    for request in pursued:
        step = last.get(request.id)
        deadline = None if step is None else court_deadline(request, step, now)
        if deadline is not None:
            found.append(deadline)
    return found


def milestone_deadline(milestone: ReturnMilestone, row: CaseReturn, now: datetime) -> Deadline:
    """A milestone not yet met, read in the zone of the requested State that holds the assets."""
    zone = state_zone(db.session.get(State, row.requested_state))
    due_at = end_of_day(milestone.due_on, zone)
    return Deadline(
        kind=RETURN_MILESTONE,
        object_id=milestone.id,
        case_id=row.case_id,
        requested_state=row.requested_state,
        issuing_state=row.requested_state,
        detail="return",
        due_on=milestone.due_on,
        due_at=due_at,
        time_zone=zone.key,
        days_left=days_until(milestone.due_on, zone, now),
        passed=now >= due_at,
    )


def milestone_deadlines(
    user: User | None, now: datetime, seen: Mapping[int, frozenset[str]] | None = None
) -> list[Deadline]:
    """The open milestones of returns: of the relationships ``user`` sees, or all."""
    return [milestone_deadline(m, r, now) for m, r in return_lines.open_milestones(user, seen)]


def _sorted(deadlines: Iterable[Deadline]) -> list[Deadline]:
    return sorted(deadlines, key=lambda each: (each.due_at, each.kind, each.object_id))


def deadlines_for(user: User, now: datetime, within_days: int | None = 30) -> list[Deadline]:
    """The user's upcoming deadlines within ``within_days`` (all if None) and every lapsed one.

    Only records of the relationships the user sees (tracking scope), so a
    requested State never learns another requested State's dates.
    """
    return _named(user, _sorted(_found(user, now, within_days)))


def deadlines_page(
    user: User, now: datetime, within_days: int | None, page: int, per_page: int
) -> tuple[list[Deadline], int]:
    """One page of ``deadlines_for`` and how many there are; only the page is named."""
    found = _sorted(_found(user, now, within_days))
    return _named(user, found[(page - 1) * per_page : page * per_page]), len(found)


def _named(user: User, deadlines: list[Deadline]) -> list[Deadline]:
    """Each deadline with the user's file number for its case (one query for all)."""
    references = case_references({each.case_id for each in deadlines}, user.state_code)
    return [replace(each, reference=references[each.case_id]) for each in deadlines]


def _found(user: User, now: datetime, within_days: int | None) -> list[Deadline]:
    """``deadlines_for`` in no order and without case references."""
    found: list[Deadline] = []
    # The relationships the user sees, read once for every kind of record below.
    seen = my_scopes(user)
    requests = my_requests(user, seen)
    for request in requests:
        deadline = request_deadline(request, now)
        if deadline is not None:
            found.append(deadline)
    found.extend(court_deadlines(requests, now))
    found.extend(milestone_deadlines(user, now, seen))
    # Orders that cannot fall in the window stay in the database: only the date's
    # reading in each issuing zone is left to Python.
    horizon = None
    if within_days is not None:
        horizon = expiry.latest_local_date(now) + timedelta(days=within_days)
    for order in measures.open_expiries(user, horizon, seen):
        deadline = expiry_deadline(order, now)
        if deadline is not None:
            found.append(deadline)
    for ask in my_open_asks(user, seen):
        deadline = ask_deadline(ask, now)
        if deadline is not None:
            found.append(deadline)
    if within_days is not None:
        found = [each for each in found if each.passed or each.days_left <= within_days]
    return found
