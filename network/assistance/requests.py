"""Recording formal requests and moving them through the state machine.

Every function takes the acting user and plain values, loads the case through
``case_scope`` (and so ``access_case``), writes its audit record in the
caller's transaction and flushes; the entry point commits once. The 46(15)
contents are sealed with the case's data key.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import pycountry
from sqlalchemy import func, select

from network.assistance import checklist, lifecycle
from network.assistance.access import access_request, acting_side, require_side
from network.assistance.contents import (
    MAX_REASON,
    clean_contents,
    draft_summary,
    missing_contents,
)
from network.assistance.lifecycle import Side
from network.assistance.models import AssistanceRequest, RequestTransition
from network.audit import service as audit
from network.auth.models import User
from network.cases.access import case_scope, require_party, writable_relationship
from network.cases.counterparts import Recorded, tell_counterpart
from network.cases.models import Channel
from network.core.errors import Conflict, NotFound, PermissionDenied
from network.core.i18n import N_
from network.directory.changes import require_version
from network.extensions import db
from network.messages.posting import post_message
from network.schemas.vocabularies import (
    RECOGNITION_KIND,
    REFUSAL_GROUNDS,
    REQUEST_KINDS,
    REQUEST_LEGAL_BASES,
    TRANSMISSION_CHANNELS,
    NoticeTarget,
    NotificationKind,
    RequestStatus,
)


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


def _conviction_based(kind: str, value: bool | None) -> bool | None:
    if kind == RECOGNITION_KIND and value is None:
        raise checklist.refuse(
            "conviction_based",
            N_("Say whether the order rests on a conviction (54(1)(a)) or not (54(1)(c))."),
        )
    if kind != RECOGNITION_KIND and value is not None:
        raise checklist.refuse(
            "conviction_based", N_("Only a request for recognition says this.")
        )
    return value


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
    conviction_based: bool | None = None,
    now: datetime,
) -> AssistanceRequest:
    """Record a draft request from the case's requesting State to one of its requested States.

    A request for recognition says whether the foreign order rests on a conviction
    (54(1)(a)) or not (54(1)(c)); no other kind says either.
    """
    scope = case_scope(actor, case_id)
    side = require_party(scope)
    if side != scope.case.requesting_state:
        raise PermissionDenied(N_("Only the requesting side records a request."))
    requested = writable_relationship(scope, requested_state, "requested_state")
    kind = checklist.choice(kind, REQUEST_KINDS, "kind")
    cleaned = clean_contents(contents or {}, kind)
    request = AssistanceRequest(
        case_id=scope.case.id,
        kind=kind,
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
        conviction_based=_conviction_based(kind, conviction_based),
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
    actor: User,
    request_id: int,
    values: Mapping[str, Any],
    now: datetime,
    expected_version: int | None = None,
) -> AssistanceRequest:
    """Edit a request's details and contents while the requesting side still holds the pen.

    ``contents`` merges item by item; an empty string clears an item. ``expected_version`` is
    the version the editor saw; another change since refuses the edit.
    """
    request, scope = access_request(actor, request_id, to_change=True)
    require_side(scope, request, Side.REQUESTING)
    require_version(request, expected_version, "request", request.id)
    if request.status not in lifecycle.EDITABLE:
        raise Conflict(
            N_("A request that is %(status)s can no longer be edited."),
            lifecycle.where_it_stands(request.status, Side.REQUESTING),
            status=request.status,
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
        contents.update(clean_contents(values["contents"] or {}, request.kind))
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
    InvalidTransition (409) listing the steps the actor may take instead; sending a
    request that still lacks what its kind and the requested State's profile ask raises
    Conflict ``request_incomplete`` (409) listing the missing items.
    """
    request, scope = access_request(actor, request_id, to_change=True)
    side = acting_side(scope, request)
    lifecycle.check_step(request.status, to, side)
    if to == RequestStatus.SENT:
        _require_complete(request, side)
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
    tell_other_side(NotificationKind.REQUEST_STATUS_CHANGED, request, actor, now, status=to)
    return request


def _require_complete(request: AssistanceRequest, side: Side | None) -> None:
    """Refuse to send a request while its checklist has a required item not done."""
    missing = missing_contents(request)
    if missing:
        raise Conflict(
            N_("The request cannot be sent yet: required items are missing (%(count)s)."),
            {"missing_items": missing, **lifecycle.where_it_stands(request.status, side)},
            reason="request_incomplete",
            count=len(missing),
        )


def share_draft_for_comment(actor: User, request_id: int, now: datetime) -> AssistanceRequest:
    """Post a summary of the draft into the channel with its requested State; mark it shared.

    Informal first: the requested side comments in the channel before the request
    is sent, and sees at once what is still missing.
    """
    request, scope = access_request(actor, request_id, to_change=True)
    lifecycle.check_step(
        request.status, RequestStatus.SHARED_FOR_COMMENT.value, acting_side(scope, request)
    )
    channel = db.session.scalar(
        select(Channel).where(
            Channel.case_id == request.case_id, Channel.requested_state == request.requested_state
        )
    )
    if channel is None:
        raise NotFound(N_("No such channel."), reason="channel_not_found")
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
    tell_other_side(NotificationKind.DRAFT_SHARED, request, actor, now)
    return request


def tell_other_side(
    kind: NotificationKind, request: AssistanceRequest, actor: User, now: datetime, **words: str
) -> None:
    """Tell the other side of the request what the actor's side did (the kind, no content)."""
    tell_counterpart(
        Recorded(
            kind,
            actor,
            now,
            request.case_id,
            request.requested_state,
            NoticeTarget.REQUEST,
            request.id,
            {"request": request.kind, **words},
        )
    )
