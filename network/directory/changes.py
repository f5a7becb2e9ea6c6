"""What an edit changed: the old and new values of each field, as the audit record keeps them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from network.audit import service as audit
from network.auth.models import User


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The audit details: old and new value of each field that changed."""
    changed = [name for name in new if old.get(name) != new[name]]
    return {
        "old": {name: plain(old.get(name)) for name in changed},
        "new": {name: plain(new[name]) for name in changed},
    }


def plain(value: Any) -> Any:
    """A value as JSON holds it: moments as ISO 8601 text."""
    return value.isoformat() if isinstance(value, datetime) else value


def snapshot(entry: object, names: tuple[str, ...]) -> dict[str, Any]:
    """The named fields of an entry, before an edit changes them."""
    return {name: getattr(entry, name) for name in names}


def audit_created(
    actor: User | None,
    kind: str,
    entry_id: int,
    state_code: str,
    values: Mapping[str, Any],
    now: datetime,
) -> None:
    """Audit a new entry (``directory.<kind>.created``): its State and every value it was given."""
    details = {"state": state_code, **diff({}, values)}
    audit.record(actor, f"directory.{kind}.created", kind, entry_id, details, at=now)
