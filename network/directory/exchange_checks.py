"""Checks of an import: every record of every section, before anything is written.

Errors name the record (CSV row or list index) and the field; a record may name a State or an
authority that an earlier record of the same import adds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from network.auth.models import User
from network.auth.policy import Action, can
from network.core.i18n import N_
from network.directory.authorities import clean_authority
from network.directory.exchange import (
    AUTHORITY_DATA,
    COLUMNS,
    FOCAL_POINT_DATA,
    KINDS,
    authority_key,
)
from network.directory.focal_points import clean_focal_point
from network.directory.models import Authority, CountryProfile, State
from network.directory.profiles import PROFILE_FIELDS, clean_profile
from network.directory.un_names import LANGUAGES
from network.directory.validation import Fields
from network.extensions import db
from network.schemas.directory_vocabularies import REGIONS, UNCAC_STATUSES

Rows = list[tuple[dict[str, Any], dict[str, Any]]]
Plan = dict[str, Rows]


class Batch:
    """The records of one import, each with the label its errors carry (CSV row or list index)."""

    def __init__(self) -> None:
        self.records: dict[str, list[tuple[str, dict[str, Any]]]] = {kind: [] for kind in KINDS}
        self.errors: dict[str, list[str]] = {}

    def fail(self, where: str, field: str, messages: list[str]) -> None:
        self.errors.setdefault(f"{where}: {field}" if field else where, []).extend(messages)


def _split(record: Mapping[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {name: record[name] for name in names if name in record}


def _allowed(actor: User | None, state_code: str) -> bool:
    if actor is None or can(actor, Action.IMPORT_DIRECTORY):
        return True
    return can(actor, Action.EDIT_STATE_DIRECTORY, state_code)


class _Checker:
    """Checks one batch section by section, remembering what earlier records add."""

    def __init__(self, batch: Batch, actor: User | None) -> None:
        self.batch = batch
        self.actor = actor
        self.full_access = actor is None or can(actor, Action.IMPORT_DIRECTORY)
        self.known_states = set(db.session.scalars(select(State.code)))
        self.known_authorities = {authority_key(a) for a in db.session.scalars(select(Authority))}
        self.seen: dict[str, set[str]] = {kind: set() for kind in KINDS}
        self.plan: Plan = {kind: [] for kind in KINDS}

    def report(self, where: str, fields: Fields) -> None:
        for name, messages in fields.errors.items():
            self.batch.fail(where, name, messages)

    def state_of(self, where: str, record: Mapping[str, Any]) -> str | None:
        code = str(record.get("state") or "").upper()
        if code not in self.known_states:
            self.batch.fail(where, "state", [N_("Unknown State code.")])
            return None
        if not _allowed(self.actor, code):
            self.batch.fail(where, "state", [N_("You may import only your own State's entries.")])
            return None
        return code

    def entry_fields(self, where: str, kind: str, fields: Fields, record: dict[str, Any]) -> None:
        """Check what an exported entry adds to its editable fields: demo flag, confirmation."""
        fields.values = record
        fields.boolean("is_demo")
        fields.moment("last_confirmed_at")
        self.unknown(where, kind, record)

    def unknown(self, where: str, kind: str, record: Mapping[str, Any]) -> None:
        for name in set(record) - set(COLUMNS[kind]):
            self.batch.fail(where, name, [N_("Unknown field.")])

    def unique_key(self, kind: str, fields: Fields) -> str | None:
        key = fields.clean.get("key")
        if not key:
            fields.fail("key", N_("This field is required."))
        elif key in self.seen[kind]:
            fields.fail("key", N_("The same key appears twice."))
        return key

    def observer_bodies(self) -> None:
        for where, record in self.batch.records["observer_bodies"]:
            if not self.full_access:
                self.batch.fail(
                    where, "", [N_("Only the network administrator imports observer bodies.")]
                )
                continue
            fields = Fields(record, partial=False)
            fields.unknown(set(COLUMNS["observer_bodies"]))
            fields.text("acronym", 32, required=True)
            fields.text("name", 200, required=True)
            self.report(where, fields)
            self.plan["observer_bodies"].append((record, fields.clean))

    def state_names(self, where: str, record: Mapping[str, Any]) -> None:
        names = record.get("names")
        if (
            not isinstance(names, dict)
            or "en" not in names
            or not set(names) <= set(LANGUAGES)
            or not all(isinstance(v, str) and 0 < len(v) <= 200 for v in names.values())
        ):
            self.batch.fail(
                where, "names", [N_("Names keyed by ar, zh, en, fr, ru, es; English required.")]
            )

    def states(self) -> None:
        for where, record in self.batch.records["states"]:
            if not self.full_access:
                self.batch.fail(where, "", [N_("Only the network administrator imports States.")])
                continue
            state_code = str(record.get("code") or "").upper()
            if len(state_code) != 3 or not state_code.isalpha():
                self.batch.fail(where, "code", [N_("Enter an ISO 3166 alpha-3 code.")])
            self.state_names(where, record)
            fields = Fields({**record, "region": record.get("region") or ""}, partial=False)
            fields.unknown(set(COLUMNS["states"]))
            fields.choice("uncac_status", UNCAC_STATUSES, "none")
            fields.choice("region", {**REGIONS, "": ""}, "")
            fields.time_zone("time_zone")
            fields.boolean("is_demo_data")
            fields.boolean("is_observer_state")
            self.report(where, fields)
            fields.clean["region"] = fields.clean.get("region") or None
            self.known_states.add(state_code)
            self.plan["states"].append(({**record, "code": state_code}, fields.clean))

    def authorities(self) -> None:
        for where, record in self.batch.records["authorities"]:
            code = self.state_of(where, record)
            fields = clean_authority(_split(record, ("key", *AUTHORITY_DATA)), partial=False)
            self.entry_fields(where, "authorities", fields, record)
            key = self.unique_key("authorities", fields)
            if (fields.clean.get("opens_at") or "") >= (fields.clean.get("closes_at") or "~"):
                fields.fail("closes_at", N_("The office must close after it opens."))
            self.report(where, fields)
            if key:
                self.seen["authorities"].add(key)
                self.known_authorities.add(key)
            if code:
                self.plan["authorities"].append(({**record, "state": code}, fields.clean))

    def focal_points(self) -> None:
        authority_states = {
            authority_key(a): a.state_code for a in db.session.scalars(select(Authority))
        }
        authority_states.update({r["key"]: r["state"] for r, _ in self.plan["authorities"]})
        for where, record in self.batch.records["focal_points"]:
            code = self.state_of(where, record)
            values = _split(record, ("key", *FOCAL_POINT_DATA))
            fields = clean_focal_point({**values, "authority_id": 0}, partial=False)
            self.entry_fields(where, "focal_points", fields, record)
            fields.clean.pop("authority_id", None)
            fields.clean.pop("user_id", None)
            key = self.unique_key("focal_points", fields)
            authority = record.get("authority")
            if authority not in self.known_authorities:
                fields.fail("authority", N_("No authority with this key."))
            elif code and authority_states.get(authority) != code:
                fields.fail("authority", N_("Choose an authority of the same State."))
            self.report(where, fields)
            if key:
                self.seen["focal_points"].add(key)
            if code:
                self.plan["focal_points"].append(({**record, "state": code}, fields.clean))

    def profile_fields(self, where: str, record: dict[str, Any]) -> Fields:
        fields = clean_profile(_split(record, (*PROFILE_FIELDS, "note")))
        fields.values = record
        fields.integer("version", nullable=False)
        fields.boolean("is_demo")
        fields.moment("changed_at")
        self.unknown(where, "profiles", record)
        version = fields.clean.get("version")
        if version is not None and version < 1:
            fields.fail("version", N_("Enter a whole number of at least 1."))
        if not fields.clean.get("changed_at"):
            fields.fail("changed_at", N_("This field is required."))
        return fields

    def profiles(self) -> None:
        existing = {(p.state_code, p.version) for p in db.session.scalars(select(CountryProfile))}
        seen: set[tuple[str, int]] = set()
        for where, record in self.batch.records["profiles"]:
            code = self.state_of(where, record)
            fields = self.profile_fields(where, record)
            version = fields.clean.get("version")
            if code and (code, version) in seen:
                fields.fail("version", N_("The same version appears twice."))
            self.report(where, fields)
            if code and version is not None:
                seen.add((code, version))
                if (code, version) in existing:
                    continue  # versions are never rewritten; an existing one is kept as it is
                self.plan["profiles"].append(({**record, "state": code}, fields.clean))


def check(batch: Batch, actor: User | None) -> Plan:
    """Validate every record; returns cleaned (record, values) pairs per kind."""
    checker = _Checker(batch, actor)
    checker.observer_bodies()
    checker.states()
    checker.authorities()
    checker.focal_points()
    checker.profiles()
    return checker.plan
