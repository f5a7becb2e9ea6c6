"""Freshness: entries confirmed within twelve months are current; the rest are reported stale."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, select

from network.audit import service as audit
from network.auth.models import User
from network.auth.policy import Action, require
from network.directory.authorities import get_authority
from network.directory.changes import plain
from network.directory.focal_points import get_focal_point
from network.directory.models import Authority, FocalPoint
from network.extensions import db

STALE_AFTER = timedelta(days=365)


def is_stale(entry: Authority | FocalPoint, now: datetime) -> bool:
    """Not confirmed for twelve months (or never)."""
    return stale_since(entry.last_confirmed_at, now)


def stale_since(last_confirmed_at: datetime | None, now: datetime) -> bool:
    """``is_stale`` for an entry of which only the confirmation time was loaded."""
    return last_confirmed_at is None or now - last_confirmed_at > STALE_AFTER


@dataclass(frozen=True)
class StaleEntry:
    state_code: str
    entry_type: str
    entry_id: int
    label: str
    last_confirmed_at: datetime | None


def stale_report(now: datetime, state_code: str | None = None) -> dict[str, list[StaleEntry]]:
    """Stale entries grouped by State, for the directory-report command and reminders."""
    cutoff = now - STALE_AFTER
    report: dict[str, list[StaleEntry]] = {}
    kinds: tuple[tuple[type[Authority] | type[FocalPoint], str], ...] = (
        (Authority, "authority"),
        (FocalPoint, "focal_point"),
    )
    for model, entry_type in kinds:
        query: Select[Authority | FocalPoint] = select(model)
        query = query.where(
            (model.last_confirmed_at.is_(None)) | (model.last_confirmed_at < cutoff),
            model.status == "active",
        )
        if state_code:
            query = query.where(model.state_code == state_code)
        for entry in db.session.scalars(query.order_by(model.state_code, model.id)):
            report.setdefault(entry.state_code, []).append(
                StaleEntry(
                    entry.state_code, entry_type, entry.id, entry.name, entry.last_confirmed_at
                )
            )
    return dict(sorted(report.items()))


def _confirm(actor: User, entry: Authority | FocalPoint, entry_type: str, now: datetime) -> None:
    """Mark the entry confirmed now by the actor, with the audit record of the old moment."""
    require(actor, Action.EDIT_STATE_DIRECTORY, entry.state_code)
    old = entry.last_confirmed_at
    entry.last_confirmed_at = now
    entry.last_confirmed_by_id = actor.id
    audit.record(
        actor,
        f"directory.{entry_type}.confirmed",
        entry_type,
        entry.id,
        {"old": {"last_confirmed_at": plain(old)}, "new": {"last_confirmed_at": now.isoformat()}},
        at=now,
    )
    db.session.flush()


def confirm_authority(actor: User, authority_id: int, *, now: datetime) -> Authority:
    """One action: 'this entry is still right as it stands'."""
    authority = get_authority(authority_id)
    _confirm(actor, authority, "authority", now)
    return authority


def confirm_focal_point(actor: User, focal_point_id: int, *, now: datetime) -> FocalPoint:
    """One action: 'this person's entry is still right as it stands'."""
    focal_point = get_focal_point(focal_point_id)
    _confirm(actor, focal_point, "focal_point", now)
    return focal_point
