"""Opening a case toward the requested States, and moving it from one stage to the next.

Title, summary and stage reasons are sealed with a data key of the case's own
(``cases.data_key_id``), distinct from its channels' keys, so that retention can
drop one channel's content without losing the case. Every function takes the
acting user and plain values, writes its audit record in the caller's
transaction and flushes; the entry point commits once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select

from network.audit import service as audit
from network.auth.models import User
from network.auth.policy import Action, require
from network.cases.access import PARTY_ROLES, manageable_case
from network.cases.models import Case, CaseReference, Channel, StageChange
from network.cases.references import MAX_REFERENCE, checked_text
from network.cases.team import join_team
from network.core.errors import Conflict, InvalidInput, PermissionDenied
from network.core.i18n import N_
from network.crypto import SCHEME_HUB_V1
from network.directory.changes import require_version
from network.directory.models import State
from network.extensions import db
from network.schemas.vocabularies import Stage
from network.sealing import keystore

MAX_TITLE = 200
MAX_SUMMARY = 20_000
MAX_REASON = 2_000
MAX_REQUESTED_STATES = 20
MAX_COUNTERPARTS = 50


def _checked_states(actor: User, requested_states: Sequence[str]) -> list[str]:
    codes = [code.strip().upper() for code in requested_states]
    problem = None
    if not codes:
        problem = N_("Choose at least one requested State.")
    elif len(codes) > MAX_REQUESTED_STATES or len(set(codes)) != len(codes):
        problem = N_("Choose each requested State once, at most 20.")
    elif actor.state_code in codes:
        problem = N_("Your own State cannot be a requested State.")
    elif db.session.scalar(select(func.count(State.code)).where(State.code.in_(codes))) != len(
        codes
    ):
        problem = N_("Unknown State code.")
    if problem is not None:
        raise InvalidInput(N_("Some values are not valid."), {"requested_states": [problem]})
    return codes


def _checked_counterparts(counterparts: Sequence[int], states: list[str]) -> list[User]:
    wanted = list(dict.fromkeys(counterparts))
    users = list(db.session.scalars(select(User).where(User.id.in_(wanted)))) if wanted else []
    fits = [
        each
        for each in users
        if each.active and each.role in PARTY_ROLES and each.state_code in states
    ]
    if len(wanted) > MAX_COUNTERPARTS or len(fits) != len(wanted):
        raise InvalidInput(
            N_("Some values are not valid."),
            {"counterparts": [N_("Choose active users of the requested States.")]},
        )
    return sorted(fits, key=lambda each: wanted.index(each.id))


def _record_stage(
    case: Case,
    from_stage: str | None,
    to_stage: str,
    reason: str,
    actor: User,
    now: datetime,
) -> None:
    change = StageChange(
        case_id=case.id,
        from_stage=from_stage,
        to_stage=to_stage,
        changed_by_id=actor.id,
        changed_at=now,
        reason=reason,
    )
    db.session.add(change)
    db.session.flush()


def _new_case(actor: User, requesting: str, title: str, summary: str, now: datetime) -> Case:
    """The case row, with a data key of its own, at its first stage."""
    case = Case(
        requesting_state=requesting,
        data_key_id=keystore.create_data_key(now).id,
        scheme=SCHEME_HUB_V1,
        stage=Stage.INFORMAL_CONSULTATION.value,
        opened_by_id=actor.id,
        opened_at=now,
        title=title,
        summary=summary,
    )
    db.session.add(case)
    db.session.flush()
    return case


def open_case(
    actor: User,
    *,
    title: str,
    summary: str,
    reference: str,
    requested_states: list[str],
    counterparts: list[int],
    now: datetime,
) -> Case:
    """Open a case from the actor's State toward each requested State, one channel each.

    The requesting team starts with the actor; each requested State's team with
    the chosen counterparts of that State (a State may start with nobody and
    have its national administrator add colleagues later).
    """
    require(actor, Action.OPEN_CASE)
    title = checked_text(title, MAX_TITLE, "title", required=True)
    summary = checked_text(summary, MAX_SUMMARY, "summary", required=False)
    reference = checked_text(reference, MAX_REFERENCE, "reference", required=False)
    states = _checked_states(actor, requested_states)
    people = _checked_counterparts(counterparts, states)
    requesting = actor.state_code
    assert requesting is not None  # noqa: S101 - OPEN_CASE requires a State

    case = _new_case(actor, requesting, title, summary, now)
    for state in states:
        db.session.add(
            Channel(
                case_id=case.id,
                requested_state=state,
                data_key_id=keystore.create_data_key(now).id,
                last_seq=0,
                created_at=now,
            )
        )
    db.session.flush()
    _record_stage(case, None, Stage.INFORMAL_CONSULTATION.value, "", actor, now)
    if reference:
        db.session.add(
            CaseReference(
                case_id=case.id,
                state_code=requesting,
                reference=reference,
                set_by_id=actor.id,
                set_at=now,
            )
        )
    # The opening seats are in the history; the opening itself is what announces them.
    join_team(case, actor, requesting, actor, now, announce=False)
    for person in people:
        assert person.state_code is not None  # noqa: S101 - checked above
        join_team(case, person, person.state_code, actor, now, announce=False)
    audit.record(
        actor,
        "case.opened",
        "case",
        case.id,
        {"requested_states": states, "counterparts": [each.id for each in people]},
        at=now,
    )
    return case


def change_stage(
    actor: User,
    case_id: int,
    stage: str,
    reason: str,
    now: datetime,
    expected_version: int | None = None,
) -> Case:
    """Move the case to another stage (the requesting side decides); the history keeps why.

    ``expected_version`` is the case's version the mover saw (the API's If-Match).
    """
    case, side = manageable_case(actor, case_id, to_change=True)
    require_version(case, expected_version, "case", case.id)
    if side != case.requesting_state:
        raise PermissionDenied(N_("Only the requesting side moves the case to another stage."))
    if stage not in {each.value for each in Stage}:
        raise InvalidInput(N_("Some values are not valid."), {"stage": [N_("Unknown stage.")]})
    if stage == case.stage:
        raise Conflict(
            N_("The case is already at this stage."),
            {"current": [case.stage], "allowed": [e.value for e in Stage if e != case.stage]},
        )
    text = checked_text(reason, MAX_REASON, "reason", required=False)
    previous = case.stage
    case.stage = stage
    _record_stage(case, previous, stage, text, actor, now)
    audit.record(
        actor, "case.stage_changed", "case", case.id, {"from": previous, "to": stage}, at=now
    )
    return case
