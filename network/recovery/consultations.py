"""Consultations before lifting an order (art. 55(8)): invitation, representations, decision."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm.attributes import flag_modified

from network.assistance import checklist
from network.audit import service as audit
from network.auth.models import User
from network.core.errors import NotFound
from network.core.i18n import N_
from network.directory.changes import require_version
from network.extensions import db
from network.recovery.checks import MAX_TEXT
from network.recovery.measures import record_measure_event, writable_measure
from network.recovery.models import Consultation
from network.schemas.vocabularies import CONSULTATION_DECISIONS


def record_consultation(
    actor: User,
    measure_id: int,
    *,
    invited_on: date,
    deadline_on: date,
    representations_received_on: date | None = None,
    representations: str = "",
    decision: str = "pending",
    now: datetime,
) -> Consultation:
    """Record the art. 55(8) invitation to give reasons for keeping the order before lifting it."""
    measure, _scope = writable_measure(actor, measure_id, now)
    if deadline_on < invited_on:
        raise checklist.refuse("deadline_on", N_("The deadline cannot be before the invitation."))
    if representations_received_on is not None and representations_received_on < invited_on:
        raise checklist.refuse(
            "representations_received_on", N_("Representations cannot precede the invitation.")
        )
    consultation = Consultation(
        measure_id=measure.id,
        invited_on=invited_on,
        deadline_on=deadline_on,
        representations_received_on=representations_received_on,
        decision=checklist.choice(decision, CONSULTATION_DECISIONS, "decision"),
        recorded_by_id=actor.id,
        recorded_at=now,
        representations=checklist.text(representations, MAX_TEXT, "representations"),
    )
    db.session.add(consultation)
    db.session.flush()
    record_measure_event(
        measure,
        "consultation",
        actor,
        now,
        {"deadline_on": deadline_on.isoformat(), "decision": consultation.decision},
    )
    db.session.flush()
    audit.record(
        actor,
        "measure.consultation_recorded",
        "measure",
        measure.id,
        {"consultation": consultation.id, "decision": consultation.decision},
        at=now,
    )
    return consultation


def update_consultation(
    actor: User,
    consultation_id: int,
    *,
    representations_received_on: date | None = None,
    representations: str | None = None,
    decision: str | None = None,
    measure_id: int | None = None,
    now: datetime,
    expected_version: int | None = None,
) -> Consultation:
    """Note the representations received and the decision taken on them.

    A consultation is part of its order as both sides read it: noting one counts the
    order's version up, and ``expected_version`` is the order's version the editor saw.
    """
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None or measure_id not in (None, consultation.measure_id):
        raise NotFound(N_("No such consultation."), reason="consultation_not_found")
    try:
        measure, _scope = writable_measure(actor, consultation.measure_id, now)
    except NotFound:
        raise NotFound(N_("No such consultation."), reason="consultation_not_found") from None
    db.session.refresh(consultation)  # read again under the order's lock
    require_version(measure, expected_version, "measure", measure.id)
    flag_modified(measure, "kind")  # the order's row is written, and its version counted up
    if representations_received_on is not None:
        if representations_received_on < consultation.invited_on:
            raise checklist.refuse(
                "representations_received_on", N_("Representations cannot precede the invitation.")
            )
        consultation.representations_received_on = representations_received_on
    if representations is not None:
        consultation.representations = checklist.text(representations, MAX_TEXT, "representations")
    if decision is not None:
        consultation.decision = checklist.choice(decision, CONSULTATION_DECISIONS, "decision")
    record_measure_event(
        measure, "consultation_updated", actor, now, {"decision": consultation.decision}
    )
    db.session.flush()
    audit.record(
        actor,
        "measure.consultation_updated",
        "measure",
        measure.id,
        {"consultation": consultation.id, "decision": consultation.decision},
        at=now,
    )
    return consultation
