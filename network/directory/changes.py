"""What an edit changed, as the audit record keeps it; whether it was made from the current
version; and how a new entry joins the directory."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol, TypeVar

from network.audit import service as audit
from network.auth.models import User
from network.core.errors import StaleEdit
from network.core.i18n import N_
from network.extensions import db


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


class _Versioned(Protocol):
    version: int


def require_version(record: _Versioned, expected: int | None, kind: str, ident: object) -> None:
    """Refuse an edit made from an older version of the record, naming who changed it since.

    ``expected`` is the version the editor saw; None edits whatever is current. Call it on a
    record loaded with ``load_for_change``, so that no other change slips in before the write.
    Who and when come from the audit trail, which holds every change (``kind`` and ``ident``).
    """
    if expected is None or expected == record.version:
        return
    last = audit.last_change(kind, ident)
    author = db.session.get(User, last.actor_id) if last and last.actor_id else None
    raise changed_since(author, last.at if last else None)


def changed_since(author: User | None, at: datetime | None) -> StaleEdit:
    """The refusal of an edit made from a replaced version: who replaced it and when, if known."""
    if author is None or at is None:
        return StaleEdit(N_("This record was changed since you opened it."))
    return StaleEdit(
        N_("Changed by %(name)s at %(time)s since you opened it."),
        {"changed_by": [author.name], "changed_at": [at.isoformat()]},
        name=author.name,
        time=at,
    )


class _Stored(Protocol):
    id: int


Entry = TypeVar("Entry", bound=_Stored)


def first_confirmation(
    actor: User | None, confirmed_at: datetime | None, now: datetime
) -> dict[str, Any]:
    """A new entry counts as confirmed by whoever adds it (an import may give an older date)."""
    return {
        "last_confirmed_at": confirmed_at or now,
        "last_confirmed_by_id": actor.id if actor is not None else None,
    }


def add_entry(
    entry: Entry,
    index: Callable[[Sequence[Entry]], None],
    actor: User | None,
    kind: str,
    state_code: str,
    values: Mapping[str, Any],
    now: datetime,
) -> Entry:
    """Store, index for search and audit a new entry (``directory.<kind>.created``)."""
    db.session.add(entry)
    db.session.flush()
    index([entry])
    details = {"state": state_code, **diff({}, values)}
    audit.record(actor, f"directory.{kind}.created", kind, entry.id, details, at=now)
    db.session.flush()
    return entry
