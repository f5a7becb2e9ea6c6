"""Each side's own file number for a case: setting it, and naming a case by it everywhere.

References are the sides' own file numbers, stored in clear so that notices, calendars
and documents can name a case without opening any of its sealed content.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from network.audit import service as audit
from network.auth.models import User
from network.cases.access import manageable_case
from network.cases.models import Case, CaseReference
from network.core.errors import InvalidInput
from network.core.i18n import N_
from network.directory.changes import require_version
from network.extensions import db

MAX_REFERENCE = 100


def checked_text(value: str, limit: int, name: str, required: bool) -> str:
    """The text stripped; refused when required and empty, or longer than ``limit``."""
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(
            N_("Some values are not valid."), {name: [N_("This field is required.")]}
        )
    if len(text) > limit:
        raise InvalidInput(
            N_("Some values are not valid."), {name: [N_("At most %(max)s characters.")]}, max=limit
        )
    return text


def set_own_reference(
    actor: User,
    case_id: int,
    reference: str,
    now: datetime,
    expected_version: int | None = None,
) -> None:
    """Set (or with an empty value, clear) the actor's State's own reference for the case.

    The reference is part of the case as its side reads it, so setting it counts the case's
    version up; ``expected_version`` is the one the editor saw.
    """
    case, side = manageable_case(actor, case_id, to_change=True)
    require_version(case, expected_version, "case", case.id)
    text = checked_text(reference, MAX_REFERENCE, "reference", required=False)
    row = db.session.scalar(
        select(CaseReference).where(
            CaseReference.case_id == case.id, CaseReference.state_code == side
        )
    )
    if not text:
        if row is not None:
            db.session.delete(row)
    elif row is None:
        db.session.add(
            CaseReference(
                case_id=case.id, state_code=side, reference=text, set_by_id=actor.id, set_at=now
            )
        )
    else:
        row.reference, row.set_by_id, row.set_at = text, actor.id, now
    flag_modified(case, "stage")  # the case row is written, and its version counted up
    db.session.flush()
    audit.record(actor, "case.reference_set", "case", case.id, {"state": side}, at=now)


def case_reference(case_id: int, state_code: str | None) -> str:
    """The viewer's own file number for the case, else the requesting side's, else its number.

    References are the sides' own file numbers, stored in clear; a title is never used.
    """
    return case_references([case_id], state_code)[case_id]


def case_references(case_ids: Iterable[int], state_code: str | None) -> dict[int, str]:
    """``case_reference`` for many cases in two queries, for lists."""
    wanted = set(case_ids)
    if not wanted:
        return {}
    stored: dict[int, dict[str, str]] = {}
    for case_id, side, reference in db.session.execute(
        select(CaseReference.case_id, CaseReference.state_code, CaseReference.reference).where(
            CaseReference.case_id.in_(wanted)
        )
    ):
        stored.setdefault(case_id, {})[side] = reference
    requesting = dict(
        db.session.execute(select(Case.id, Case.requesting_state).where(Case.id.in_(wanted))).all()
    )
    found: dict[int, str] = {}
    for case_id in wanted:
        sides = stored.get(case_id, {})
        found[case_id] = (
            (state_code and sides.get(state_code))
            or sides.get(requesting.get(case_id, ""))
            or f"#{case_id}"
        )
    return found


def case_with_reference(state_code: str, reference: str) -> int | None:
    """The case a State files under ``reference``, if any (for loaders that must not repeat)."""
    return db.session.scalar(
        select(CaseReference.case_id).where(
            CaseReference.state_code == state_code, CaseReference.reference == reference
        )
    )
