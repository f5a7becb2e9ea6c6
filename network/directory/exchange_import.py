"""Directory import: parse JSON or CSV, check every record, then write all of it or nothing."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select

from network.audit import service as audit
from network.auth.models import User
from network.auth.policy import Action, can, require
from network.core.batches import batches
from network.core.errors import InvalidInput
from network.core.i18n import N_
from network.directory.authorities import AUTHORITY_FIELDS
from network.directory.changes import diff, snapshot
from network.directory.exchange import COLUMNS, FOCAL_POINT_DATA, FORMAT, KINDS
from network.directory.exchange_checks import Batch, Rows, check
from network.directory.focal_points import FOCAL_POINT_FIELDS
from network.directory.models import Authority, CountryProfile, FocalPoint, ObserverBody, State
from network.directory.search_terms import index_authorities, index_focal_points, index_states
from network.extensions import db
from network.schemas.vocabularies import Role

_Entry = TypeVar("_Entry", Authority, FocalPoint)
_Changes = list[tuple[_Entry, dict[str, Any]]]


def parse_json(document: Any) -> Batch:
    batch = Batch()
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


def _header_fits(batch: Batch, kind: str, header: Sequence[str]) -> bool:
    missing = [column for column in COLUMNS[kind] if column not in header]
    extra = [column for column in header if column not in COLUMNS[kind]]
    for column in missing:
        batch.fail("header", column, [N_("Missing column.")])
    for column in extra:
        batch.fail("header", column, [N_("Unknown column.")])
    return not missing and not extra


def _names_cell(text: str) -> dict[str, str]:
    """A State's names from their CSV cell: 'en=France;fr=France'."""
    names = {}
    for part in filter(None, text.split(";")):
        language, _, name = part.partition("=")
        names[language] = name
    return names


def parse_csv(kind: str, text: str) -> Batch:
    """Rows are numbered as a spreadsheet shows them: the header is row 1."""
    batch = Batch()
    if kind not in KINDS:
        batch.fail("kind", "", [N_("Unknown kind of record.")])
        return batch
    reader = csv.DictReader(io.StringIO(text))
    if not _header_fits(batch, kind, reader.fieldnames or []):
        return batch
    for number, row in enumerate(reader, start=2):
        if None in row:
            batch.fail(f"row {number}", "", [N_("More cells than columns.")])
            continue
        record: dict[str, Any] = dict(row)
        if kind == "states":
            record["names"] = _names_cell(record.get("names") or "")
        batch.records[kind].append((f"row {number}", record))
    return batch


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


def _import_observer_bodies(plan: Rows) -> None:
    for _record, values in plan:
        body = db.session.scalar(
            select(ObserverBody).where(ObserverBody.acronym == values["acronym"])
        )
        if body is None:
            db.session.add(ObserverBody(**values))
        else:
            body.name = values["name"]


def _import_states(plan: Rows, states: dict[str, State]) -> None:
    """Write the States, and index them, with one flush; ``states`` gains the new ones."""
    for record, values in plan:
        state = states.get(record["code"])
        if state is None:
            state = states[record["code"]] = State(code=record["code"])
            db.session.add(state)
        state.names = dict(record["names"])
        for name, value in values.items():
            setattr(state, name, value)
    index_states([states[record["code"]] for record, _values in plan])
    db.session.flush()


def _import_authorities(plan: Rows, states: dict[str, State]) -> _Changes[Authority]:
    """Write the authorities with one flush; each comes back with its old and new values."""
    existing = _existing(Authority, [values["key"] for _record, values in plan], "authority-")
    changes: _Changes[Authority] = []
    for record, values in plan:
        authority = existing.get(values["key"])
        old = snapshot(authority, AUTHORITY_FIELDS) if authority else {}
        if authority is None:
            authority = Authority(state_code=record["state"], details={})
            db.session.add(authority)
        authority.state = states[record["state"]]
        authority.state_code = record["state"]
        for name, value in values.items():
            setattr(authority, name, value)
        changes.append((authority, diff(old, {k: values[k] for k in AUTHORITY_FIELDS})))
    db.session.flush()
    return changes


def _import_focal_points(plan: Rows, imported: list[Authority]) -> _Changes[FocalPoint]:
    """Write the focal points with one flush; each comes back with its old and new values."""
    existing = _existing(FocalPoint, [values["key"] for _record, values in plan], "focal-point-")
    authorities = {authority.key: authority for authority in imported if authority.key}
    wanted = sorted({record["authority"] for record, _values in plan} - set(authorities))
    authorities.update(_existing(Authority, wanted, "authority-"))
    changes: _Changes[FocalPoint] = []
    for record, values in plan:
        focal_point = existing.get(values["key"])
        old = snapshot(focal_point, FOCAL_POINT_FIELDS) if focal_point else {}
        authority = authorities[record["authority"]]  # check() made sure it exists
        if focal_point is None:
            focal_point = FocalPoint(state_code=record["state"], authority_id=authority.id)
            db.session.add(focal_point)
        focal_point.authority = authority
        focal_point.state = authority.state
        for name, value in values.items():
            setattr(focal_point, name, value)
        changes.append((focal_point, diff(old, {k: values[k] for k in FOCAL_POINT_DATA})))
    db.session.flush()
    return changes


def _import_profiles(plan: Rows) -> list[CountryProfile]:
    profiles = [
        CountryProfile(state_code=record["state"], changed_by_id=None, **values)
        for record, values in plan
    ]
    db.session.add_all(profiles)
    db.session.flush()
    return profiles


def _audit(
    actor: User | None,
    authorities: _Changes[Authority],
    focal_points: _Changes[FocalPoint],
    profiles: list[CountryProfile],
    now: datetime,
) -> None:
    """One audit record per imported entry, written together."""
    audit.record_many(
        actor,
        [
            *(
                audit.Entry("directory.authority.imported", "authority", each.id, details)
                for each, details in authorities
            ),
            *(
                audit.Entry("directory.focal_point.imported", "focal_point", each.id, details)
                for each, details in focal_points
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


def import_batch(actor: User | None, batch: Batch, *, now: datetime) -> dict[str, int]:
    """Write every record of the batch, or nothing: all errors, with rows, come back at once."""
    if actor is not None and not (
        can(actor, Action.IMPORT_DIRECTORY) or actor.role == Role.NATIONAL_ADMIN
    ):
        require(actor, Action.IMPORT_DIRECTORY)
    plan = check(batch, actor) if not batch.errors else {}
    if batch.errors:
        raise InvalidInput(N_("Nothing was imported: some records are not valid."), batch.errors)
    states = {state.code: state for state in db.session.scalars(select(State))}
    _import_observer_bodies(plan["observer_bodies"])
    _import_states(plan["states"], states)
    changes = _import_authorities(plan["authorities"], states)
    authorities = [authority for authority, _details in changes]
    people = _import_focal_points(plan["focal_points"], authorities)
    # Indexed once all are written: an authority's focal points hold its names in their index.
    index_authorities(authorities)
    own = {authority.id for authority in authorities}
    index_focal_points([person for person, _details in people if person.authority_id not in own])
    profiles = _import_profiles(plan["profiles"])
    _audit(actor, changes, people, profiles, now)
    return {kind: len(plan[kind]) for kind in KINDS}


def import_json(actor: User | None, document: Any, *, now: datetime) -> dict[str, int]:
    return import_batch(actor, parse_json(document), now=now)


def import_csv(actor: User | None, kind: str, text: str, *, now: datetime) -> dict[str, int]:
    return import_batch(actor, parse_csv(kind, text), now=now)
