"""Disclosure services: sending, acknowledging and following up disclosures and notifications.

Kept whole, over 400 lines: art. 56 disclosures and art. 52(2)(b) notifications share one model,
one lifecycle and one view, so a split by noun would cut one thing in two.

A disclosure is seen by the practitioners and national administrators of the
State that sent it and of the State it was sent to; nobody else (observers and
the secretariat included). Its summary and subjects are sealed with a data key
of its own. Functions take the acting user and plain values, write their audit
record in the caller's transaction and flush; the entry point commits once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select

from network.assistance import checklist
from network.assistance.access import access_request
from network.audit import service as audit
from network.auth.models import User
from network.cases import opening
from network.cases.access import PARTY_ROLES, PersonRef, access_case, person_of
from network.cases.counterparts import Recorded, tell_counterpart
from network.cases.models import Case
from network.core.errors import Conflict, NotFound, PermissionDenied
from network.core.i18n import N_
from network.core.locking import load_for_change
from network.crypto import SCHEME_HUB_V1
from network.disclosures import details
from network.disclosures.models import Disclosure, DisclosureEvent
from network.extensions import db
from network.schemas.vocabularies import (
    DISCLOSURE_KINDS,
    DISCLOSURE_SUBJECT_ROLES,
    HANDLING_CODES,
    INFORMATION_GRADES,
    SOURCE_GRADES,
    NoticeTarget,
    NotificationKind,
)
from network.sealing import keystore
from network.sealing.integrity import OK, Opened

# The receiving State moves a disclosure; a "no action" may still lead somewhere later.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "sent": ("acknowledged", "followed_up", "no_action"),
    "acknowledged": ("followed_up", "no_action"),
    "no_action": ("followed_up",),
    "followed_up": (),
}
MAX_SUMMARY = 20_000
MAX_SUBJECTS = 50
MAX_NOTE = 2_000


@dataclass(frozen=True)
class DisclosureStep:
    from_status: str | None
    to_status: str
    note: str | None
    actor: PersonRef | None
    actor_state: str | None
    at: datetime
    integrity: str = OK


@dataclass
class DisclosureView:
    id: int
    kind: str
    # "sent" when the viewer's State sent it, "received" when it was sent to the viewer's State.
    direction: str
    from_state: str
    to_state: str
    reference: str
    handling_code: str
    source_grade: str | None
    information_grade: str | None
    status: str
    status_since: datetime
    led_to_case_id: int | None
    led_to_request_id: int | None
    sent_by: PersonRef | None
    sent_at: datetime
    allowed_statuses: list[str]
    version: int = 1  # the disclosure's, for the ETag of an edit of a notification's details
    summary: str = ""
    subjects: list[dict[str, str]] = field(default_factory=list)
    handling_note: str = ""
    history: list[DisclosureStep] = field(default_factory=list)
    # An art. 52(2)(b) notification's details and results; None for other kinds.
    notification: details.NotificationView | None = None
    # "failed" when the sealed body did not pass its integrity check (summary and subjects empty).
    integrity: str = OK


# --- access ----------------------------------------------------------------------------------


def _party_state(actor: User) -> str:
    if not actor.active or actor.role not in PARTY_ROLES or actor.state_code is None:
        raise PermissionDenied(N_("Only a State's practitioners and administrators may do this."))
    return actor.state_code


def access_disclosure(actor: User, disclosure_id: int, *, to_change: bool = False) -> Disclosure:
    """Load a disclosure the actor's State sent or received; missing and forbidden look alike.

    ``to_change`` locks it until commit, so that of two steps taken at once the second
    reads the status the first left.
    """
    if to_change:
        disclosure = load_for_change(db.session, Disclosure, disclosure_id)
    else:
        disclosure = db.session.get(Disclosure, disclosure_id)
    if (
        disclosure is None
        or not actor.active
        or actor.role not in PARTY_ROLES
        or actor.state_code not in {disclosure.from_state, disclosure.to_state}
    ):
        raise NotFound(N_("No such disclosure."), reason="disclosure_not_found")
    return disclosure


def _receiving(actor: User, disclosure_id: int) -> Disclosure:
    """The disclosure, locked for a step the receiving State alone takes."""
    disclosure = access_disclosure(actor, disclosure_id, to_change=True)
    if actor.state_code != disclosure.to_state:
        raise PermissionDenied(N_("Only the receiving State acts on a disclosure."))
    return disclosure


# --- input ------------------------------------------------------------------------------------


def _subjects(values: Sequence[Mapping[str, Any]] | None) -> list[dict[str, str]]:
    items = list(values or [])
    if len(items) > MAX_SUBJECTS:
        raise checklist.refuse("subjects", N_("At most %(max)s entries."), max=MAX_SUBJECTS)
    cleaned = []
    for item in items:
        name = checklist.text(str(item.get("name") or ""), 300, "subjects", required=True)
        role = str(item.get("role") or "other")
        checklist.choice(role, DISCLOSURE_SUBJECT_ROLES, "subjects")
        cleaned.append({"name": name, "role": role})
    return cleaned


# --- writing ---------------------------------------------------------------------------------


def _step(
    disclosure: Disclosure,
    to: str,
    actor: User,
    now: datetime,
    note: str = "",
    *,
    first: bool = False,
) -> None:
    event = DisclosureEvent(
        disclosure_id=disclosure.id,
        from_status=None if first else disclosure.status,
        to_status=to,
        actor_id=actor.id,
        actor_state=actor.state_code,
        at=now,
        note=note,
    )
    db.session.add(event)
    disclosure.status = to
    disclosure.status_since = now
    db.session.flush()


def send_disclosure(
    actor: User,
    *,
    kind: str,
    to_state: str,
    summary: str,
    subjects: Sequence[Mapping[str, Any]] = (),
    handling_code: str = "H0",
    handling_note: str = "",
    reference: str = "",
    source_grade: str | None = None,
    information_grade: str | None = None,
    notification: Mapping[str, Any] | None = None,
    now: datetime,
) -> Disclosure:
    """Send a disclosure from the actor's State to another State; never to one's own.

    ``notification`` holds an art. 52(2)(b) notification's details (``details``), if known yet.
    """
    from_state = _party_state(actor)
    checklist.choice(kind, DISCLOSURE_KINDS, "kind")
    target = checklist.state_code(to_state, "to_state")
    if target == from_state:
        raise checklist.refuse(
            "to_state",
            N_("A disclosure goes to another State, not to your own."),
            N_("A disclosure goes to another State, not to your own."),
        )
    checklist.choice(handling_code, HANDLING_CODES, "handling_code")
    note = checklist.text(handling_note, 500, "handling_note")
    if handling_code == "H3" and not note:
        raise checklist.refuse("handling_note", N_("Say in words what restriction H3 imposes."))
    if source_grade is not None:
        checklist.choice(source_grade, SOURCE_GRADES, "source_grade")
    if information_grade is not None:
        checklist.choice(information_grade, INFORMATION_GRADES, "information_grade")
    if notification is not None and kind != details.NOTIFICATION:
        raise checklist.refuse(
            "notification", N_("Only an article 52(2)(b) notification has these details.")
        )
    described = (
        details.check_details(notification, "notification.") if notification is not None else None
    )
    body = {
        "summary": checklist.text(summary, MAX_SUMMARY, "summary", required=True),
        "subjects": _subjects(subjects),
        "handling_note": note,
    }
    disclosure = Disclosure(
        kind=kind,
        from_state=from_state,
        to_state=target,
        reference=checklist.text(reference, 100, "reference"),
        handling_code=handling_code,
        source_grade=source_grade,
        information_grade=information_grade,
        data_key_id=keystore.create_data_key(now).id,
        scheme=SCHEME_HUB_V1,
        status="sent",
        status_since=now,
        sent_by_id=actor.id,
        sent_at=now,
        body=body,
    )
    if described is not None:
        details.apply_details(disclosure, described)
    db.session.add(disclosure)
    db.session.flush()
    _step(disclosure, "sent", actor, now, first=True)
    audited = {"kind": kind, "to_state": target, "handling_code": handling_code}
    audit.record(actor, "disclosure.sent", "disclosure", disclosure.id, audited, at=now)
    _tell(NotificationKind.DISCLOSURE_RECEIVED, disclosure, target, actor, now)
    return disclosure


def _tell(
    kind: NotificationKind, disclosure: Disclosure, state: str, actor: User, now: datetime
) -> None:
    """Tell the other State's practitioners what the actor's State did (no content)."""
    tell_counterpart(
        Recorded(kind, actor, now, None, state, NoticeTarget.DISCLOSURE, disclosure.id)
    )


def _move(disclosure: Disclosure, to: str, actor: User, note: str, now: datetime) -> None:
    allowed = TRANSITIONS[disclosure.status]
    if to not in allowed:
        raise Conflict(
            N_("A disclosure that is %(current)s cannot become %(to)s."),
            {
                "to": [N_("This step is not allowed now.")],
                "current": [disclosure.status],
                "allowed": list(allowed),
            },
            current=disclosure.status,
            to=to,
        )
    previous = disclosure.status
    _step(disclosure, to, actor, now, checklist.text(note, MAX_NOTE, "note"))
    audit.record(
        actor,
        "disclosure.status_changed",
        "disclosure",
        disclosure.id,
        {"from": previous, "to": to},
        at=now,
    )


def acknowledge(actor: User, disclosure_id: int, note: str = "", *, now: datetime) -> Disclosure:
    """The receiving State confirms it has the disclosure."""
    disclosure = _receiving(actor, disclosure_id)
    _move(disclosure, "acknowledged", actor, note, now)
    _tell(NotificationKind.DISCLOSURE_ACKNOWLEDGED, disclosure, disclosure.from_state, actor, now)
    return disclosure


def mark_no_action(actor: User, disclosure_id: int, note: str = "", *, now: datetime) -> Disclosure:
    """The receiving State records that nothing came of the disclosure (for now)."""
    disclosure = _receiving(actor, disclosure_id)
    _move(disclosure, "no_action", actor, note, now)
    return disclosure


def follow_up(
    actor: User,
    disclosure_id: int,
    *,
    case_id: int | None = None,
    request_id: int | None = None,
    note: str = "",
    now: datetime,
) -> Disclosure:
    """The receiving State links the case or request the disclosure led to."""
    disclosure = _receiving(actor, disclosure_id)
    if case_id is None and request_id is None:
        raise checklist.refuse("case", N_("Name the case or the request it led to."))
    if request_id is not None:
        try:
            request, _scope = access_request(actor, request_id)
        except NotFound:
            raise checklist.refuse("request", N_("No such request.")) from None
        disclosure.led_to_request_id = request.id
        case_id = case_id or request.case_id
    if case_id is not None:
        try:
            case = access_case(actor, case_id)
        except NotFound:
            raise checklist.refuse("case", N_("No such case.")) from None
        disclosure.led_to_case_id = case.id
    _move(disclosure, "followed_up", actor, note, now)
    return disclosure


def open_case_from_disclosure(
    actor: User, disclosure_id: int, now: datetime, title: str | None = None
) -> Case:
    """Open a case in one action: the receiving State asks the sending State.

    The receiving State becomes the requesting State and the sender the requested
    State (the disclosure's information is what the request would build on); the
    person who sent the disclosure joins the sender's side when they still can.
    """
    disclosure = _receiving(actor, disclosure_id)
    if "followed_up" not in TRANSITIONS[disclosure.status]:
        raise Conflict(
            N_("This disclosure has already been followed up."),
            {"current": [disclosure.status], "allowed": list(TRANSITIONS[disclosure.status])},
        )
    body = disclosure.body
    sender = disclosure.sent_by
    counterparts = (
        [sender.id]
        if sender.active
        and sender.role in PARTY_ROLES
        and sender.state_code == disclosure.from_state
        else []
    )
    case = opening.open_case(
        actor,
        title=(title or f"Disclosure {disclosure.from_state}-{disclosure.id}")[:200],
        summary=str(body.get("summary", ""))[: opening.MAX_SUMMARY],
        reference=disclosure.reference,
        requested_states=[disclosure.from_state],
        counterparts=counterparts,
        now=now,
    )
    disclosure.led_to_case_id = case.id
    _move(disclosure, "followed_up", actor, f"Case {case.id} opened.", now)
    audit.record(
        actor, "disclosure.case_opened", "disclosure", disclosure.id, {"case": case.id}, at=now
    )
    return case


# --- reading ---------------------------------------------------------------------------------


def _view(actor: User, disclosure: Disclosure, *, detailed: bool) -> DisclosureView:
    receiving = actor.state_code == disclosure.to_state
    view = DisclosureView(
        id=disclosure.id,
        kind=disclosure.kind,
        direction="received" if receiving else "sent",
        from_state=disclosure.from_state,
        to_state=disclosure.to_state,
        reference=disclosure.reference,
        handling_code=disclosure.handling_code,
        source_grade=disclosure.source_grade,
        information_grade=disclosure.information_grade,
        status=disclosure.status,
        status_since=disclosure.status_since,
        led_to_case_id=disclosure.led_to_case_id,
        led_to_request_id=disclosure.led_to_request_id,
        sent_by=person_of(disclosure.sent_by),
        sent_at=disclosure.sent_at,
        allowed_statuses=list(TRANSITIONS[disclosure.status]) if receiving else [],
        version=disclosure.version,
    )
    if not detailed:
        return view
    sealed = Opened(disclosure)
    body = sealed[Disclosure.body] or {}
    view.integrity = sealed.integrity
    view.summary = str(body.get("summary", ""))
    view.subjects = list(body.get("subjects", []))
    view.handling_note = str(body.get("handling_note", ""))
    view.notification = details.notification_view(actor, disclosure, body)
    events = db.session.scalars(
        select(DisclosureEvent)
        .where(DisclosureEvent.disclosure_id == disclosure.id)
        .order_by(DisclosureEvent.at, DisclosureEvent.id)
    )
    view.history = [_step_view(each) for each in events]
    return view


def _step_view(event: DisclosureEvent) -> DisclosureStep:
    sealed = Opened(event)
    return DisclosureStep(
        from_status=event.from_status,
        to_status=event.to_status,
        note=sealed[DisclosureEvent.note],
        actor=person_of(event.actor),
        actor_state=event.actor_state,
        at=event.at,
        integrity=sealed.integrity,
    )


def disclosure_view(actor: User, disclosure_id: int, now: datetime) -> DisclosureView:
    """One disclosure with its summary, subjects and history; the read is audited."""
    disclosure = access_disclosure(actor, disclosure_id)
    audit.record(actor, "disclosure.viewed", "disclosure", disclosure.id, at=now)
    return _view(actor, disclosure, detailed=True)


def list_disclosures(
    actor: User, box: str | None = None, page: int = 1, per_page: int = 50
) -> tuple[list[DisclosureView], int]:
    """What the actor's State sent ("sent"), received ("received"), or both, newest first."""
    if not actor.active or actor.role not in PARTY_ROLES or actor.state_code is None:
        return [], 0
    if page < 1 or not 1 <= per_page <= 200:
        raise checklist.refuse(
            "page", N_("Pages start at 1; 1 to 200 per page."), N_("Invalid page.")
        )
    if box == "sent":
        condition = Disclosure.from_state == actor.state_code
    elif box == "received":
        condition = Disclosure.to_state == actor.state_code
    elif box is None:
        condition = or_(
            Disclosure.from_state == actor.state_code, Disclosure.to_state == actor.state_code
        )
    else:
        raise checklist.refuse("box", N_("Choose one of: %(options)s."), options="sent, received")
    total = db.session.scalar(select(func.count(Disclosure.id)).where(condition)) or 0
    rows = db.session.scalars(
        select(Disclosure)
        .where(condition)
        .order_by(Disclosure.sent_at.desc(), Disclosure.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return [_view(actor, each, detailed=False) for each in rows], total
