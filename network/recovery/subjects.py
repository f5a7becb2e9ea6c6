"""Subjects: the natural and legal persons of a case, recorded, fetched and listed.

Every function takes the acting user and plain values, loads the case through
``case_scope`` (and so ``access_case``), writes its audit record in the
caller's transaction and flushes; the entry point commits once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select

from network.assistance import checklist
from network.audit import service as audit
from network.auth.models import User
from network.cases.access import CaseScope, case_scope, record_scope, writable_relationship
from network.core.errors import NotFound
from network.core.i18n import N_
from network.extensions import db
from network.recovery.checks import clean_identifiers
from network.recovery.matching import index_subject
from network.recovery.models import Subject
from network.recovery.read_models import SubjectView, read_subject
from network.schemas.vocabularies import SUBJECT_KINDS, SUBJECT_ROLES

MAX_NAMES = 20


def _strings(values: Iterable[Any] | None, limit: int, name: str, each_max: int = 300) -> list[str]:
    items = [str(value).strip() for value in (values or []) if str(value).strip()]
    if len(items) > limit:
        raise checklist.refuse(name, N_("At most %(max)s entries."), max=limit)
    for item in items:
        if len(item) > each_max:
            raise checklist.refuse(name, N_("At most %(max)s characters."), max=each_max)
    return items


def record_subject(
    actor: User,
    case_id: int,
    *,
    kind: str,
    names: Sequence[str],
    roles: Sequence[str] = (),
    transliterations: Sequence[str] = (),
    nationality: str | None = None,
    identifiers: Mapping[str, Any] | None = None,
    requested_state: str | None = None,
    now: datetime,
) -> Subject:
    """Record a natural or legal person; names and identifiers are sealed."""
    scope = case_scope(actor, case_id)
    relationship = writable_relationship(scope, requested_state, "requested_state")
    checklist.choice(kind, SUBJECT_KINDS, "kind")
    cleaned_names = _strings(names, MAX_NAMES, "names")
    if not cleaned_names:
        raise checklist.refuse("names", N_("Give at least one name."))
    cleaned_roles = list(dict.fromkeys(roles))
    for role in cleaned_roles:
        checklist.choice(role, SUBJECT_ROLES, "roles")
    identity = {
        "names": cleaned_names,
        "transliterations": _strings(transliterations, MAX_NAMES, "transliterations"),
        "identifiers": clean_identifiers(identifiers),
    }
    subject = Subject(
        case_id=scope.case.id,
        requested_state=relationship,
        kind=kind,
        roles=cleaned_roles,
        nationality=checklist.state_code(nationality, "nationality") if nationality else None,
        recorded_by_id=actor.id,
        recorded_at=now,
        identity=identity,
    )
    db.session.add(subject)
    db.session.flush()
    index_subject(subject)
    audit.record(
        actor,
        "subject.recorded",
        "subject",
        subject.id,
        {"case": scope.case.id, "kind": kind, "roles": cleaned_roles},
        at=now,
    )
    return subject


def access_subject(actor: User, subject_id: int) -> tuple[Subject, CaseScope]:
    """Load a subject of a relationship the actor sees; missing and forbidden look alike."""
    subject = db.session.get(Subject, subject_id)
    if subject is None:
        raise NotFound(N_("No such subject."), reason="subject_not_found")
    scope = record_scope(
        actor, subject.case_id, subject.requested_state,
        NotFound(N_("No such subject."), reason="subject_not_found"),
    )
    return subject, scope


def list_subjects(actor: User, case_id: int) -> list[SubjectView]:
    """The case's subjects the actor's sides see, oldest first."""
    scope = case_scope(actor, case_id)
    rows = db.session.scalars(
        select(Subject)
        .where(Subject.case_id == scope.case.id, Subject.requested_state.in_(sorted(scope.visible)))
        .order_by(Subject.id)
    ).all()
    return [read_subject(each) for each in rows]


def subject_view(actor: User, subject_id: int, now: datetime) -> SubjectView:
    """One subject; the read is audited."""
    subject, _scope = access_subject(actor, subject_id)
    audit.record(actor, "subject.viewed", "subject", subject.id, at=now)
    return read_subject(subject)
