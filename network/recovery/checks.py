"""Input checks the recovery records share: text limits, identifier maps, links to other rows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from network.assistance import checklist
from network.assistance.models import AssistanceRequest
from network.cases.access import CaseScope
from network.core.i18n import N_
from network.extensions import db
from network.recovery.models import Subject

MAX_TEXT = 4_000
MAX_IDENTIFIERS = 30

_Linked = TypeVar("_Linked", Subject, AssistanceRequest)


def clean_identifiers(
    values: Mapping[str, Any] | None, name: str = "identifiers"
) -> dict[str, str]:
    """Labelled identifiers (passport, register number ...), trimmed and bounded."""
    values = values or {}
    if len(values) > MAX_IDENTIFIERS:
        raise checklist.refuse(name, N_("At most %(max)s entries."), max=MAX_IDENTIFIERS)
    cleaned: dict[str, str] = {}
    for label, value in values.items():
        key = str(label).strip()
        text = str(value or "").strip()
        if not key or len(key) > 60 or len(text) > 300:
            raise checklist.refuse(
                name, N_("Each identifier needs a label (60) and a value (300).")
            )
        cleaned[key] = text
    return cleaned


def linked_id(
    model: type[_Linked],
    row_id: int | None,
    scope: CaseScope,
    relationship: str,
    field: str,
    message: str,
) -> int | None:
    """The id of a row of the same case and requested State, or a refusal naming the field."""
    if row_id is None:
        return None
    row = db.session.get(model, row_id)
    if row is None or row.case_id != scope.case.id or row.requested_state != relationship:
        raise checklist.refuse(field, message)
    return row.id
