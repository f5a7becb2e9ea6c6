"""Directory export: the whole directory as JSON, or one kind of record as CSV."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from sqlalchemy import select

from network.core.errors import InvalidInput
from network.core.i18n import N_
from network.directory.exchange import (
    AUTHORITY_DATA,
    COLUMNS,
    FOCAL_POINT_DATA,
    FORMAT,
    FORMAT_VERSION,
    KINDS,
    authority_key,
)
from network.directory.models import Authority, CountryProfile, FocalPoint, State
from network.directory.observer_bodies import list_observer_bodies
from network.directory.profiles import PROFILE_FIELDS
from network.extensions import db


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _observer_bodies() -> list[dict[str, Any]]:
    return [{"acronym": b.acronym, "name": b.name} for b in list_observer_bodies()]


def _states() -> list[dict[str, Any]]:
    return [
        {
            "code": s.code,
            "names": dict(sorted(s.names.items())),
            "uncac_status": s.uncac_status,
            "region": s.region,
            "time_zone": s.time_zone,
            "is_demo_data": s.is_demo_data,
            "is_observer_state": s.is_observer_state,
        }
        for s in db.session.scalars(select(State).order_by(State.code))
    ]


def _authorities() -> list[dict[str, Any]]:
    records = [
        {
            "key": authority_key(a),
            "state": a.state_code,
            **{name: getattr(a, name) for name in AUTHORITY_DATA},
            "is_demo": a.is_demo,
            "last_confirmed_at": _iso(a.last_confirmed_at),
        }
        for a in db.session.scalars(select(Authority)).all()
    ]
    return sorted(records, key=lambda r: (r["state"], r["key"]))


def _focal_points() -> list[dict[str, Any]]:
    records = [
        {
            "key": f.key or f"focal-point-{f.id}",
            "state": f.state_code,
            "authority": authority_key(f.authority),
            **{name: getattr(f, name) for name in FOCAL_POINT_DATA},
            "is_demo": f.is_demo,
            "last_confirmed_at": _iso(f.last_confirmed_at),
        }
        for f in db.session.scalars(select(FocalPoint)).all()
    ]
    return sorted(records, key=lambda r: (r["state"], r["key"]))


def _profiles() -> list[dict[str, Any]]:
    profiles = db.session.scalars(
        select(CountryProfile).order_by(CountryProfile.state_code, CountryProfile.version)
    )
    return [
        {
            "state": p.state_code,
            "version": p.version,
            **{name: getattr(p, name) for name in PROFILE_FIELDS},
            "note": p.note,
            "is_demo": p.is_demo,
            "changed_at": _iso(p.changed_at),
        }
        for p in profiles
    ]


_RECORDS = {
    "observer_bodies": _observer_bodies,
    "states": _states,
    "authorities": _authorities,
    "focal_points": _focal_points,
    "profiles": _profiles,
}


def export_json(kinds: tuple[str, ...] = KINDS) -> dict[str, Any]:
    """The whole directory (or the kinds asked for) as one JSON document."""
    document: dict[str, Any] = {"format": FORMAT, "version": FORMAT_VERSION}
    for kind in kinds:
        document[kind] = _RECORDS[kind]()
    return document


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return ";".join(f"{key}={text}" for key, text in value.items())
    if isinstance(value, list):
        return ";".join(
            f"{item['network']}:{item['status']}" if isinstance(item, dict) else str(item)
            for item in value
        )
    return str(value)


def export_csv(kind: str) -> str:
    """One kind of record as CSV; lists are joined with ';', memberships as network:status."""
    if kind not in KINDS:
        raise InvalidInput(N_("Unknown kind of record."), {"kind": [", ".join(KINDS)]})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS[kind])
    for record in _RECORDS[kind]():
        writer.writerow([_cell(record[column]) for column in COLUMNS[kind]])
    return out.getvalue()
