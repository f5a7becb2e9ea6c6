"""Directory exchange formats: JSON (everything) and CSV (one kind of record per file).

Exports are deterministic (sorted by State and key) so that export, import into an empty
database and export again give the same bytes. Imports check every record first and write
nothing unless all are valid; errors name the row and the field.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

from anyascii import anyascii
from sqlalchemy import select

from network.audit import service as audit
from network.auth.models import User
from network.auth.policy import Action, can, require
from network.core.batches import batches
from network.core.errors import InvalidInput
from network.core.i18n import N_
from network.directory import service
from network.directory.models import Authority, CountryProfile, FocalPoint, ObserverBody, State
from network.directory.validation import Fields
from network.extensions import db
from network.schemas.vocabularies import REGIONS, UNCAC_STATUSES, Role

FORMAT = "arnet-directory"
FORMAT_VERSION = 1
KINDS = ("observer_bodies", "states", "authorities", "focal_points", "profiles")

_AUTHORITY_DATA = tuple(name for name in service.AUTHORITY_FIELDS if name != "key")
_FOCAL_POINT_DATA = tuple(
    name for name in service.FOCAL_POINT_FIELDS if name not in {"key", "authority_id", "user_id"}
)
COLUMNS: dict[str, tuple[str, ...]] = {
    "observer_bodies": ("acronym", "name"),
    "states": (
        "code",
        "names",
        "uncac_status",
        "region",
        "time_zone",
        "is_demo_data",
        "is_observer_state",
    ),
    "authorities": ("key", "state", *_AUTHORITY_DATA, "is_demo", "last_confirmed_at"),
    "focal_points": (
        "key",
        "state",
        "authority",
        *_FOCAL_POINT_DATA,
        "is_demo",
        "last_confirmed_at",
    ),
    "profiles": ("state", "version", *service.PROFILE_FIELDS, "note", "is_demo", "changed_at"),
}


# --- export ----------------------------------------------------------------------------------


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _authority_key(authority: Authority) -> str:
    return authority.key or f"authority-{authority.id}"


_Entry = TypeVar("_Entry", Authority, FocalPoint)


def _existing(model: type[_Entry], keys: Sequence[str], prefix: str) -> dict[str, _Entry]:
    """The entries exported keys name: their own key, else the id-based key of a keyless entry.

    A few queries for the whole import (a few hundred keys each), not one per row.
    """
    found: dict[str, _Entry] = {}
    for chunk in batches(keys):
        found.update(
            (entry.key, entry)
            for entry in db.session.scalars(select(model).where(model.key.in_(chunk)))
            if entry.key
        )
    by_id = {
        int(key[len(prefix) :]): key
        for key in keys
        if key not in found and key.startswith(prefix) and key[len(prefix) :].isdigit()
    }
    for ids in batches(list(by_id)):
        query = select(model).where(model.id.in_(ids), model.key.is_(None))
        found.update((by_id[entry.id], entry) for entry in db.session.scalars(query))
    return found


def _records(kind: str) -> list[dict[str, Any]]:
    if kind == "observer_bodies":
        return [{"acronym": b.acronym, "name": b.name} for b in service.list_observer_bodies()]
    if kind == "states":
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
    if kind == "authorities":
        authorities = db.session.scalars(select(Authority)).all()
        records = [
            {
                "key": _authority_key(a),
                "state": a.state_code,
                **{name: getattr(a, name) for name in _AUTHORITY_DATA},
                "is_demo": a.is_demo,
                "last_confirmed_at": _iso(a.last_confirmed_at),
            }
            for a in authorities
        ]
        return sorted(records, key=lambda r: (r["state"], r["key"]))
    if kind == "focal_points":
        focal_points = db.session.scalars(select(FocalPoint)).all()
        records = [
            {
                "key": f.key or f"focal-point-{f.id}",
                "state": f.state_code,
                "authority": _authority_key(f.authority),
                **{name: getattr(f, name) for name in _FOCAL_POINT_DATA},
                "is_demo": f.is_demo,
                "last_confirmed_at": _iso(f.last_confirmed_at),
            }
            for f in focal_points
        ]
        return sorted(records, key=lambda r: (r["state"], r["key"]))
    profiles = db.session.scalars(
        select(CountryProfile).order_by(CountryProfile.state_code, CountryProfile.version)
    )
    return [
        {
            "state": p.state_code,
            "version": p.version,
            **{name: getattr(p, name) for name in service.PROFILE_FIELDS},
            "note": p.note,
            "is_demo": p.is_demo,
            "changed_at": _iso(p.changed_at),
        }
        for p in profiles
    ]


def export_json(kinds: tuple[str, ...] = KINDS) -> dict[str, Any]:
    """The whole directory (or the kinds asked for) as one JSON document."""
    document: dict[str, Any] = {"format": FORMAT, "version": FORMAT_VERSION}
    for kind in kinds:
        document[kind] = _records(kind)
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
    for record in _records(kind):
        writer.writerow([_cell(record[column]) for column in COLUMNS[kind]])
    return out.getvalue()


# --- import ----------------------------------------------------------------------------------


class _Batch:
    """The records of one import, each with the label its errors carry (CSV row or list index)."""

    def __init__(self) -> None:
        self.records: dict[str, list[tuple[str, dict[str, Any]]]] = {kind: [] for kind in KINDS}
        self.errors: dict[str, list[str]] = {}

    def fail(self, where: str, field: str, messages: list[str]) -> None:
        self.errors.setdefault(f"{where}: {field}" if field else where, []).extend(messages)


def parse_json(document: Any) -> _Batch:
    batch = _Batch()
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        batch.fail("document", "format", [N_("Not an ARNet directory export (format).")])
        return batch
    for name in document:
        if name not in {*KINDS, "format", "version"}:
            batch.fail("document", name, [N_("Unknown section.")])
    for kind in KINDS:
        records = document.get(kind, [])
        if not isinstance(records, list):
            batch.fail(kind, "", [N_("Enter a list.")])
            continue
        for number, record in enumerate(records, start=1):
            where = f"{kind}[{number}]"
            if not isinstance(record, dict):
                batch.fail(where, "", [N_("Enter an object.")])
                continue
            batch.records[kind].append((where, record))
    return batch


def parse_csv(kind: str, text: str) -> _Batch:
    """Rows are numbered as a spreadsheet shows them: the header is row 1."""
    batch = _Batch()
    if kind not in KINDS:
        batch.fail("kind", "", [N_("Unknown kind of record.")])
        return batch
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [column for column in COLUMNS[kind] if column not in header]
    extra = [column for column in header if column not in COLUMNS[kind]]
    for column in missing:
        batch.fail("header", column, [N_("Missing column.")])
    for column in extra:
        batch.fail("header", column, [N_("Unknown column.")])
    if missing or extra:
        return batch
    for number, row in enumerate(reader, start=2):
        if None in row:
            batch.fail(f"row {number}", "", [N_("More cells than columns.")])
            continue
        record: dict[str, Any] = dict(row)
        if kind == "states":
            names = {}
            for part in filter(None, (record.get("names") or "").split(";")):
                language, _, name = part.partition("=")
                names[language] = name
            record["names"] = names
        batch.records[kind].append((f"row {number}", record))
    return batch


def _split(record: Mapping[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {name: record[name] for name in names if name in record}


def _allowed(actor: User | None, state_code: str) -> bool:
    if actor is None or can(actor, Action.IMPORT_DIRECTORY):
        return True
    return can(actor, Action.EDIT_STATE_DIRECTORY, state_code)


def _check(
    batch: _Batch, actor: User | None
) -> dict[str, list[tuple[dict[str, Any], dict[str, Any]]]]:
    """Validate every record; returns cleaned (record, values) pairs per kind."""
    plan: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = {kind: [] for kind in KINDS}
    full_access = actor is None or can(actor, Action.IMPORT_DIRECTORY)
    known_states = set(db.session.scalars(select(State.code)))
    known_authorities = {_authority_key(a) for a in db.session.scalars(select(Authority))}
    seen: dict[str, set[str]] = {kind: set() for kind in KINDS}

    def report(where: str, fields: Fields) -> None:
        for name, messages in fields.errors.items():
            batch.fail(where, name, messages)

    def state_of(where: str, record: Mapping[str, Any]) -> str | None:
        code = str(record.get("state") or "").upper()
        if code not in known_states:
            batch.fail(where, "state", [N_("Unknown State code.")])
            return None
        if not _allowed(actor, code):
            batch.fail(where, "state", [N_("You may import only your own State's entries.")])
            return None
        return code

    for where, record in batch.records["observer_bodies"]:
        if not full_access:
            batch.fail(where, "", [N_("Only the network administrator imports observer bodies.")])
            continue
        fields = Fields(record, partial=False)
        fields.unknown(set(COLUMNS["observer_bodies"]))
        fields.text("acronym", 32, required=True)
        fields.text("name", 200, required=True)
        report(where, fields)
        plan["observer_bodies"].append((record, fields.clean))

    for where, record in batch.records["states"]:
        if not full_access:
            batch.fail(where, "", [N_("Only the network administrator imports States.")])
            continue
        state_code = str(record.get("code") or "").upper()
        names = record.get("names")
        if len(state_code) != 3 or not state_code.isalpha():
            batch.fail(where, "code", [N_("Enter an ISO 3166 alpha-3 code.")])
        if (
            not isinstance(names, dict)
            or "en" not in names
            or not set(names) <= set(service.UN_LANGUAGES)
            or not all(isinstance(v, str) and 0 < len(v) <= 200 for v in names.values())
        ):
            batch.fail(
                where, "names", [N_("Names keyed by ar, zh, en, fr, ru, es; English required.")]
            )
        fields = Fields({**record, "region": record.get("region") or ""}, partial=False)
        fields.unknown(set(COLUMNS["states"]))
        fields.choice("uncac_status", UNCAC_STATUSES, "none")
        fields.choice("region", {**REGIONS, "": ""}, "")
        fields.time_zone("time_zone")
        fields.boolean("is_demo_data")
        fields.boolean("is_observer_state")
        report(where, fields)
        fields.clean["region"] = fields.clean.get("region") or None
        known_states.add(state_code)
        plan["states"].append(({**record, "code": state_code}, fields.clean))

    for where, record in batch.records["authorities"]:
        code = state_of(where, record)
        values = _split(record, ("key", *_AUTHORITY_DATA))
        fields = service.clean_authority(values, partial=False)
        fields.values = record
        fields.boolean("is_demo")
        fields.moment("last_confirmed_at")
        for name in set(record) - set(COLUMNS["authorities"]):
            batch.fail(where, name, [N_("Unknown field.")])
        key = fields.clean.get("key")
        if not key:
            fields.fail("key", N_("This field is required."))
        elif key in seen["authorities"]:
            fields.fail("key", N_("The same key appears twice."))
        if (fields.clean.get("opens_at") or "") >= (fields.clean.get("closes_at") or "~"):
            fields.fail("closes_at", N_("The office must close after it opens."))
        report(where, fields)
        if key:
            seen["authorities"].add(key)
            known_authorities.add(key)
        if code:
            plan["authorities"].append(({**record, "state": code}, fields.clean))

    authority_states = {
        _authority_key(a): a.state_code for a in db.session.scalars(select(Authority))
    }
    authority_states.update({r["key"]: r["state"] for r, _ in plan["authorities"]})
    for where, record in batch.records["focal_points"]:
        code = state_of(where, record)
        values = _split(record, ("key", *_FOCAL_POINT_DATA))
        fields = service.clean_focal_point({**values, "authority_id": 0}, partial=False)
        fields.values = record
        fields.boolean("is_demo")
        fields.moment("last_confirmed_at")
        fields.clean.pop("authority_id", None)
        fields.clean.pop("user_id", None)
        for name in set(record) - set(COLUMNS["focal_points"]):
            batch.fail(where, name, [N_("Unknown field.")])
        key = fields.clean.get("key")
        if not key:
            fields.fail("key", N_("This field is required."))
        elif key in seen["focal_points"]:
            fields.fail("key", N_("The same key appears twice."))
        authority_key = record.get("authority")
        if authority_key not in known_authorities:
            fields.fail("authority", N_("No authority with this key."))
        elif code and authority_states.get(authority_key) != code:
            fields.fail("authority", N_("Choose an authority of the same State."))
        report(where, fields)
        if key:
            seen["focal_points"].add(key)
        if code:
            plan["focal_points"].append(({**record, "state": code}, fields.clean))

    existing_versions = {
        (p.state_code, p.version): p for p in db.session.scalars(select(CountryProfile))
    }
    for where, record in batch.records["profiles"]:
        code = state_of(where, record)
        fields = service.clean_profile(_split(record, (*service.PROFILE_FIELDS, "note")))
        fields.values = record
        fields.integer("version", nullable=False)
        fields.boolean("is_demo")
        fields.moment("changed_at")
        for name in set(record) - set(COLUMNS["profiles"]):
            batch.fail(where, name, [N_("Unknown field.")])
        version = fields.clean.get("version")
        if version is not None and version < 1:
            fields.fail("version", N_("Enter a whole number of at least 1."))
        if not fields.clean.get("changed_at"):
            fields.fail("changed_at", N_("This field is required."))
        if code and (code, version) in seen["profiles"]:
            fields.fail("version", N_("The same version appears twice."))
        report(where, fields)
        if code and version is not None:
            seen["profiles"].add((code, version))  # type: ignore[arg-type]
            if (code, version) in existing_versions:
                continue  # versions are never rewritten; an existing one is kept as it is
            plan["profiles"].append(({**record, "state": code}, fields.clean))
    return plan


def import_batch(actor: User | None, batch: _Batch, *, now: datetime) -> dict[str, int]:
    """Write every record of the batch, or nothing: all errors, with rows, come back at once."""
    if actor is not None and not (
        can(actor, Action.IMPORT_DIRECTORY) or actor.role == Role.NATIONAL_ADMIN
    ):
        require(actor, Action.IMPORT_DIRECTORY)
    plan = _check(batch, actor) if not batch.errors else {}
    if batch.errors:
        raise InvalidInput(N_("Nothing was imported: some records are not valid."), batch.errors)
    states = {state.code: state for state in db.session.scalars(select(State))}
    for _record, values in plan["observer_bodies"]:
        body = db.session.scalar(
            select(ObserverBody).where(ObserverBody.acronym == values["acronym"])
        )
        if body is None:
            db.session.add(ObserverBody(**values))
        else:
            body.name = values["name"]
    _import_states(plan["states"], states)
    changes = _import_authorities(plan["authorities"], states)
    authorities = [authority for authority, _details in changes]
    imported_people = _import_focal_points(plan["focal_points"], authorities)
    # Indexed once all are written: an authority's focal points hold its names in their index.
    service.index_authorities(authorities)
    own = {authority.id for authority in authorities}
    service.index_focal_points(
        [person for person, _details in imported_people if person.authority_id not in own]
    )
    profiles = [
        CountryProfile(state_code=record["state"], changed_by_id=None, **values)
        for record, values in plan["profiles"]
    ]
    db.session.add_all(profiles)
    db.session.flush()
    audit.record_many(
        actor,
        [
            *(
                audit.Entry("directory.authority.imported", "authority", each.id, details)
                for each, details in changes
            ),
            *(
                audit.Entry("directory.focal_point.imported", "focal_point", each.id, details)
                for each, details in imported_people
            ),
            *(
                audit.Entry(
                    "directory.profile.imported",
                    "state",
                    each.state_code,
                    {"version": each.version},
                )
                for each in profiles
            ),
        ],
        at=now,
    )
    return {kind: len(plan[kind]) for kind in KINDS}


_Rows = list[tuple[dict[str, Any], dict[str, Any]]]
_Changes = list[tuple[_Entry, dict[str, Any]]]


def _import_states(plan: _Rows, states: dict[str, State]) -> None:
    """Write the States, and index them, with one flush; ``states`` gains the new ones."""
    for record, values in plan:
        state = states.get(record["code"])
        if state is None:
            state = states[record["code"]] = State(code=record["code"])
            db.session.add(state)
        state.names = dict(record["names"])
        for name, value in values.items():
            setattr(state, name, value)
    service.index_states([states[record["code"]] for record, _values in plan])
    db.session.flush()


def _import_authorities(plan: _Rows, states: dict[str, State]) -> _Changes[Authority]:
    """Write the authorities with one flush; each comes back with its old and new values."""
    existing = _existing(Authority, [values["key"] for _record, values in plan], "authority-")
    changes: _Changes[Authority] = []
    for record, values in plan:
        authority = existing.get(values["key"])
        old = service._snapshot(authority, service.AUTHORITY_FIELDS) if authority else {}
        if authority is None:
            authority = Authority(state_code=record["state"], details={})
            db.session.add(authority)
        authority.state = states[record["state"]]
        authority.state_code = record["state"]
        for name, value in values.items():
            setattr(authority, name, value)
        changes.append(
            (authority, service._diff(old, {k: values[k] for k in service.AUTHORITY_FIELDS}))
        )
    db.session.flush()
    return changes


def _import_focal_points(plan: _Rows, imported: list[Authority]) -> _Changes[FocalPoint]:
    """Write the focal points with one flush; each comes back with its old and new values."""
    existing = _existing(FocalPoint, [values["key"] for _record, values in plan], "focal-point-")
    authorities = {authority.key: authority for authority in imported if authority.key}
    wanted = sorted({record["authority"] for record, _values in plan} - set(authorities))
    authorities.update(_existing(Authority, wanted, "authority-"))
    changes: _Changes[FocalPoint] = []
    for record, values in plan:
        focal_point = existing.get(values["key"])
        old = service._snapshot(focal_point, service.FOCAL_POINT_FIELDS) if focal_point else {}
        authority = authorities[record["authority"]]  # _check made sure it exists
        if focal_point is None:
            focal_point = FocalPoint(state_code=record["state"], authority_id=authority.id)
            db.session.add(focal_point)
        focal_point.authority = authority
        focal_point.state = authority.state
        for name, value in values.items():
            setattr(focal_point, name, value)
        if not focal_point.name_latin:
            focal_point.name_latin = anyascii(focal_point.name)
        changes.append((focal_point, service._diff(old, {k: values[k] for k in _FOCAL_POINT_DATA})))
    db.session.flush()
    return changes


def import_json(actor: User | None, document: Any, *, now: datetime) -> dict[str, int]:
    return import_batch(actor, parse_json(document), now=now)


def import_csv(actor: User | None, kind: str, text: str, *, now: datetime) -> dict[str, int]:
    return import_batch(actor, parse_csv(kind, text), now=now)
