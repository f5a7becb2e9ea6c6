"""Request services: recording formal requests, moving them through the state machine, enquiries.

Every function takes the acting user and plain values, loads the case through
``case_scope`` (and so ``access_case``), writes its audit record in the
caller's transaction and flushes; the entry point commits once. The 46(15)
contents are sealed with the case's data key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import pycountry
from sqlalchemy import func, select

from network.assistance import checklist, lifecycle
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
    record_scope,
    require_party,
    writable_relationship,
)
from network.cases.models import Channel
from network.core.clock import as_utc
from network.core.errors import Conflict, NotFound, PermissionDenied
from network.core.i18n import N_
from network.directory.profiles import current_profile, profile_checklist
from network.extensions import db
from network.messages.service import post_message
from network.schemas.vocabularies import (
    REFUSAL_GROUNDS,
    REQUEST_KINDS,
    REQUEST_LEGAL_BASES,
    TRANSMISSION_CHANNELS,
    RequestStatus,
)
from network.sealing.integrity import OK, Opened

# The article 46(15) contents, in the order of the article, with whether a request needs them.
CONTENT_FIELDS: dict[str, tuple[str, bool]] = {
    "requesting_authority": (N_("The authority making the request (46(15)(a))"), True),
    "subject_and_nature": (
        N_("The subject matter and nature of the investigation or proceeding (46(15)(b))"),
        True,
    ),
    "summary_of_facts": (N_("A summary of the relevant facts (46(15)(c))"), True),
    "assistance_sought": (N_("The assistance sought (46(15)(d))"), True),
    "procedure": (N_("Any particular procedure to be followed (46(15)(d))"), False),
    "persons_concerned": (
        N_("Identity, location and nationality of any person concerned (46(15)(e))"),
        True,
    ),
    "purpose": (N_("The purpose of the evidence, information or action (46(15)(f))"), True),
    "dual_criminality_statement": (
        N_("How the conduct is an offence under the requested State's law"),
        False,
    ),
}
MISSING_LABELS: dict[str, str] = {
    **{name: label for name, (label, _required) in CONTENT_FIELDS.items()},
    "deadline_reason": N_("The reason for the deadline asked (46(24))"),
    "profile.legal_basis": N_(
        "The requested State does not accept UNCAC as the legal basis for this kind of request"
    ),
    "profile.treaty_or_reciprocity": N_(
        "The requested State needs a treaty or an assurance of reciprocity"
    ),
    "profile.language": N_("A language the requested State accepts requests in"),
    "profile.dual_criminality": N_(
        "The requested State requires dual criminality: say how the conduct is an offence there"
    ),
}
MAX_CONTENT = 20_000
MAX_REASON = 4_000
MAX_DELAY_DAYS = 3_650
DEFAULT_PER_PAGE = 50


# --- views -----------------------------------------------------------------------------------


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
    status: str
    status_since: datetime
    created_by: PersonRef | None
    created_at: datetime
    allowed_steps: list[str]
    contents: dict[str, str] = field(default_factory=dict)
    deadline_reason: str = ""
    missing: list[str] = field(default_factory=list)
    history: list[TransitionView] = field(default_factory=list)
    enquiries: list[EnquiryView] = field(default_factory=list)
    delay_notices: list[DelayNoticeView] = field(default_factory=list)
    time_in_status: dict[str, float] = field(default_factory=dict)
    response_time: float | None = None
    integrity: str = OK


# --- access ----------------------------------------------------------------------------------


def access_request(actor: User, request_id: int) -> tuple[AssistanceRequest, CaseScope]:
    """Load a request the actor may see; missing and forbidden look alike."""
    request = db.session.get(AssistanceRequest, request_id)
    if request is None:
        raise NotFound(N_("No such request."))
    scope = record_scope(actor, request.case_id, request.requested_state, N_("No such request."))
    return request, scope


def acting_side(scope: CaseScope, request: AssistanceRequest) -> Side | None:
    """Which end of this request the actor stands at, if any."""
    if scope.side == request.requesting_state:
        return Side.REQUESTING
    if scope.side == request.requested_state:
        return Side.REQUESTED
    return None


def _require_side(scope: CaseScope, request: AssistanceRequest, wanted: Side) -> None:
    if acting_side(scope, request) != wanted:
        if wanted is Side.REQUESTING:
            raise PermissionDenied(N_("Only the requesting side may do this."))
        raise PermissionDenied(N_("Only the requested side may do this."))


# --- contents --------------------------------------------------------------------------------


def _clean_contents(values: Mapping[str, Any]) -> dict[str, str]:
    unknown = set(values) - set(CONTENT_FIELDS)
    if unknown:
        raise checklist.refuse(
            "contents", N_("Unknown item: %(names)s."), names=", ".join(sorted(unknown))
        )
    return {
        name: checklist.text(str(value or ""), MAX_CONTENT, f"contents.{name}")
        for name, value in values.items()
    }


def _language(value: str | None) -> str | None:
    code = (value or "").strip().lower()
    if not code:
        return None
    if len(code) != 2 or pycountry.languages.get(alpha_2=code) is None:
        raise checklist.refuse("language", N_("Not an ISO 639-1 language code."))
    return code


def _deadline(value: date | None, now: datetime) -> date | None:
    if value is not None and value < now.date():
        raise checklist.refuse("deadline_on", N_("The deadline cannot be in the past."))
    return value


# --- recording -------------------------------------------------------------------------------


def _record_transition(
    request: AssistanceRequest,
    from_status: str | None,
    to_status: str,
    actor: User,
    now: datetime,
    *,
    reason: str = "",
    grounds: str | None = None,
    until: date | None = None,
) -> RequestTransition:
    step = RequestTransition(
        request_id=request.id,
        from_status=from_status,
        to_status=to_status,
        grounds=grounds,
        postponed_until=until,
        actor_id=actor.id,
        actor_state=actor.state_code,
        at=now,
        reason=reason,
    )
    db.session.add(step)
    request.status = to_status
    request.status_since = now
    db.session.flush()
    return step


def create_request(
    actor: User,
    case_id: int,
    *,
    kind: str,
    requested_state: str | None,
    legal_basis: str,
    transmission_channel: str,
    legal_basis_text: str = "",
    reference: str = "",
    language: str | None = None,
    urgent: bool = False,
    deadline_on: date | None = None,
    deadline_reason: str = "",
    contents: Mapping[str, Any] | None = None,
    now: datetime,
) -> AssistanceRequest:
    """Record a draft request from the case's requesting State to one of its requested States."""
    scope = case_scope(actor, case_id)
    side = require_party(scope)
    if side != scope.case.requesting_state:
        raise PermissionDenied(N_("Only the requesting side records a request."))
    requested = writable_relationship(scope, requested_state, "requested_state")
    cleaned = _clean_contents(contents or {})
    request = AssistanceRequest(
        case_id=scope.case.id,
        kind=checklist.choice(kind, REQUEST_KINDS, "kind"),
        requesting_state=scope.case.requesting_state,
        requested_state=requested,
        reference=checklist.text(reference, 100, "reference"),
        legal_basis=checklist.choice(legal_basis, REQUEST_LEGAL_BASES, "legal_basis"),
        legal_basis_text=checklist.text(legal_basis_text, 500, "legal_basis_text"),
        transmission_channel=checklist.choice(
            transmission_channel, TRANSMISSION_CHANNELS, "transmission_channel"
        ),
        language=_language(language),
        urgent=bool(urgent),
        deadline_on=_deadline(deadline_on, now),
        status=RequestStatus.DRAFT.value,
        status_since=now,
        created_by_id=actor.id,
        created_at=now,
    )
    reason = checklist.text(deadline_reason, MAX_REASON, "deadline_reason")
    request.contents = {**cleaned, "deadline_reason": reason}
    db.session.add(request)
    db.session.flush()
    _record_transition(request, None, RequestStatus.DRAFT.value, actor, now)
    audit.record(
        actor,
        "request.created",
        "request",
        request.id,
        {"case": scope.case.id, "kind": request.kind, "requested_state": requested},
        at=now,
    )
    return request


_PLAIN_FIELDS = ("reference", "legal_basis", "legal_basis_text", "transmission_channel")


def update_request(
    actor: User, request_id: int, values: Mapping[str, Any], now: datetime
) -> AssistanceRequest:
    """Edit a request's details and contents while the requesting side still holds the pen.

    ``contents`` merges item by item; an empty string clears an item.
    """
    request, scope = access_request(actor, request_id)
    _require_side(scope, request, Side.REQUESTING)
    if request.status not in lifecycle.EDITABLE:
        raise Conflict(
            N_("A request that is %(status)s can no longer be edited."), status=request.status
        )
    if "reference" in values:
        request.reference = checklist.text(values["reference"], 100, "reference")
    if "legal_basis" in values:
        request.legal_basis = checklist.choice(
            values["legal_basis"], REQUEST_LEGAL_BASES, "legal_basis"
        )
    if "legal_basis_text" in values:
        request.legal_basis_text = checklist.text(
            values["legal_basis_text"], 500, "legal_basis_text"
        )
    if "transmission_channel" in values:
        request.transmission_channel = checklist.choice(
            values["transmission_channel"], TRANSMISSION_CHANNELS, "transmission_channel"
        )
    if "language" in values:
        request.language = _language(values["language"])
    if "urgent" in values:
        request.urgent = bool(values["urgent"])
    if "deadline_on" in values:
        request.deadline_on = _deadline(values["deadline_on"], now)
    contents = request.contents
    if "contents" in values:
        contents.update(_clean_contents(values["contents"] or {}))
    if "deadline_reason" in values:
        contents["deadline_reason"] = checklist.text(
            values["deadline_reason"], MAX_REASON, "deadline_reason"
        )
    request.contents = contents
    db.session.flush()
    changed = sorted(
        name
        for name in values
        if name
        in {*_PLAIN_FIELDS, "language", "urgent", "deadline_on", "contents", "deadline_reason"}
    )
    audit.record(actor, "request.updated", "request", request.id, {"fields": changed}, at=now)
    return request


def transition(
    actor: User,
    request_id: int,
    *,
    to: str,
    reason: str = "",
    grounds: str | None = None,
    until: date | None = None,
    now: datetime,
) -> AssistanceRequest:
    """Move a request one step; refusal needs grounds, postponement a reason and a date.

    A step the state machine does not allow, or not from the actor's side, raises
    InvalidTransition (409) listing the steps the actor may take instead.
    """
    request, scope = access_request(actor, request_id)
    side = acting_side(scope, request)
    lifecycle.check_step(request.status, to, side)
    reason = checklist.text(reason, MAX_REASON, "reason")
    if to == RequestStatus.REFUSED:
        checklist.choice(grounds, REFUSAL_GROUNDS, "grounds")
        if grounds == "other" and not reason:
            raise checklist.refuse("reason", N_("Say on what ground the request is refused."))
    elif grounds:
        raise checklist.refuse("grounds", N_("Grounds are given only with a refusal."))
    if to == RequestStatus.POSTPONED:
        if not reason:
            raise checklist.refuse("reason", N_("Say why execution is postponed (46(25))."))
        if until is None:
            raise checklist.refuse("until", N_("Say until when execution is postponed."))
        if until < now.date():
            raise checklist.refuse("until", N_("The date cannot be in the past."))
    elif until is not None:
        raise checklist.refuse("until", N_("A date is given only with a postponement."))
    if to == RequestStatus.MORE_INFORMATION_REQUESTED and not reason:
        raise checklist.refuse("reason", N_("Say what information is needed."))
    previous = request.status
    _record_transition(
        request, previous, to, actor, now, reason=reason, grounds=grounds or None, until=until
    )
    audit.record(
        actor,
        "request.transition",
        "request",
        request.id,
        {"from": previous, "to": to, "grounds": grounds},
        at=now,
    )
    return request


def share_draft_for_comment(actor: User, request_id: int, now: datetime) -> AssistanceRequest:
    """Post a summary of the draft into the channel with its requested State; mark it shared.

    Informal first: the requested side comments in the channel before the request
    is sent, and sees at once what is still missing.
    """
    request, scope = access_request(actor, request_id)
    lifecycle.check_step(
        request.status, RequestStatus.SHARED_FOR_COMMENT.value, acting_side(scope, request)
    )
    channel = db.session.scalar(
        select(Channel).where(
            Channel.case_id == request.case_id, Channel.requested_state == request.requested_state
        )
    )
    if channel is None:
        raise NotFound(N_("No such channel."))
    shared_before = (
        db.session.scalar(
            select(func.count(RequestTransition.id)).where(
                RequestTransition.request_id == request.id,
                RequestTransition.to_status == RequestStatus.SHARED_FOR_COMMENT.value,
            )
        )
        or 0
    )
    message, _new = post_message(
        actor,
        channel.id,
        client_id=f"request-{request.id}-draft-{shared_before + 1}",
        body=draft_summary(request),
        handling_code="H0",
        now=now,
    )
    _record_transition(
        request,
        request.status,
        RequestStatus.SHARED_FOR_COMMENT.value,
        actor,
        now,
        reason=f"Shared in the channel as message {message.seq}.",
    )
    audit.record(
        actor,
        "request.shared_for_comment",
        "request",
        request.id,
        {"channel": channel.id, "seq": message.seq},
        at=now,
    )
    return request


def draft_summary(request: AssistanceRequest) -> str:
    """The text posted into the channel when a draft is shared (English, like a cover note)."""
    contents = request.contents
    lines = [
        f"Draft {request.kind.upper()} request #{request.id} "
        f"({request.requesting_state} to {request.requested_state}) shared for comment.",
        f"Legal basis: {request.legal_basis} {request.legal_basis_text}".rstrip(),
        f"Urgent: {'yes' if request.urgent else 'no'}",
    ]
    if request.deadline_on is not None:
        lines.append(f"Deadline asked: {request.deadline_on.isoformat()}")
    for name in ("assistance_sought", "purpose"):
        if contents.get(name):
            lines.append(f"{name.replace('_', ' ').capitalize()}: {contents[name]}")
    missing = missing_contents(request)
    if missing:
        lines.append("Still missing: " + "; ".join(MISSING_LABELS[each] for each in missing))
    lines.append("Please comment in this channel before the request is sent.")
    return "\n".join(lines)


def missing_contents(request: AssistanceRequest) -> list[str]:
    """Codes (keys of MISSING_LABELS) of what the request still lacks.

    The 46(15) items that are required and empty, the reason for a deadline, and
    what the requested State's current country profile asks for that the request
    does not give (legal basis, language, dual criminality).
    """
    contents = request.contents
    missing = [
        name
        for name, (_label, required) in CONTENT_FIELDS.items()
        if required and not contents.get(name, "").strip()
    ]
    if request.deadline_on is not None and not contents.get("deadline_reason", "").strip():
        missing.append("deadline_reason")
    profile = current_profile(request.requested_state)
    if profile is None:
        return missing
    uncac_accepted = {
        "mla": profile.uncac_basis_mla,
        "freezing": profile.uncac_basis_mla,
        "extradition": profile.uncac_basis_extradition,
        "confiscation": profile.uncac_basis_confiscation,
        "return": profile.uncac_basis_confiscation,
    }[request.kind]
    if request.legal_basis == "uncac" and uncac_accepted is False:
        missing.append("profile.legal_basis")
    needs = profile.treaty_or_reciprocity
    if (
        (needs == "treaty" and request.legal_basis != "treaty")
        or (needs == "reciprocity" and request.legal_basis != "reciprocity")
        or (needs == "treaty_or_reciprocity" and request.legal_basis == "uncac")
    ):
        missing.append("profile.treaty_or_reciprocity")
    if profile.languages and request.language not in profile.languages:
        missing.append("profile.language")
    coercive = request.kind in {"freezing", "confiscation", "extradition"}
    if (
        profile.dual_criminality == "always"
        or (profile.dual_criminality == "coercive_only" and coercive)
    ) and not contents.get("dual_criminality_statement", "").strip():
        missing.append("profile.dual_criminality")
    return missing


def profile_checklist_for(request: AssistanceRequest) -> list[tuple[str, str]]:
    """The requested State's country-profile checklist (label, value); empty without a profile."""
    profile = current_profile(request.requested_state)
    return profile_checklist(profile) if profile is not None else []


# --- enquiries and delay notices (46(24)) ----------------------------------------------------


def ask_status(actor: User, request_id: int, question: str, now: datetime) -> StatusEnquiry:
    """The requesting side asks how a sent request is progressing."""
    request, scope = access_request(actor, request_id)
    _require_side(scope, request, Side.REQUESTING)
    if request.status in {
        RequestStatus.DRAFT,
        RequestStatus.SHARED_FOR_COMMENT,
        RequestStatus.CLOSED,
    }:
        raise Conflict(
            N_("Ask about progress only once the request is sent and until it is closed.")
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
    return enquiry


def answer_enquiry(
    actor: User, enquiry_id: int, answer: str, now: datetime, request_id: int | None = None
) -> StatusEnquiry:
    """The requested side answers a status enquiry, once (of ``request_id`` when given)."""
    enquiry = db.session.get(StatusEnquiry, enquiry_id)
    if enquiry is None or request_id not in (None, enquiry.request_id):
        raise NotFound(N_("No such enquiry."))
    try:
        request, scope = access_request(actor, enquiry.request_id)
    except NotFound:
        raise NotFound(N_("No such enquiry.")) from None
    _require_side(scope, request, Side.REQUESTED)
    if enquiry.answered_at is not None:
        raise Conflict(N_("This enquiry has already been answered."))
    text = checklist.text(answer, MAX_REASON, "answer", required=True)
    enquiry.answer = text
    enquiry.answered_by_id = actor.id
    enquiry.answered_at = now
    db.session.flush()
    audit.record(
        actor, "request.enquiry_answered", "request", request.id, {"enquiry": enquiry.id}, at=now
    )
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
    request, scope = access_request(actor, request_id)
    _require_side(scope, request, Side.REQUESTED)
    if request.status not in lifecycle.WITH_REQUESTED_SIDE:
        raise Conflict(
            N_("A delay notice is given only while the request is with the requested side.")
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
    return notice


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
        status=request.status,
        status_since=request.status_since,
        created_by=person_of(request.created_by),
        created_at=request.created_at,
        allowed_steps=lifecycle.steps_for(request.status, acting_side(scope, request)),
    )
    if not detailed:
        return view
    sealed = Opened(request)
    contents = sealed[AssistanceRequest.contents]
    if contents is not None:
        view.deadline_reason = contents.pop("deadline_reason", "")
        view.contents = {name: contents.get(name, "") for name in CONTENT_FIELDS}
        view.missing = missing_contents(request)
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


def my_requests(actor: User) -> list[AssistanceRequest]:
    """Every request in the actor's cases that the actor's sides see (for dashboards, deadlines)."""
    scopes = my_scopes(actor)
    if not scopes:
        return []
    rows = db.session.scalars(
        select(AssistanceRequest)
        .where(AssistanceRequest.case_id.in_(list(scopes)))
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
