"""States: the UN members and observers, their names, time zones, and what administrators keep."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pycountry
from babel.core import get_global
from sqlalchemy import select

from network.audit import service as audit
from network.auth.models import User
from network.auth.policy import Action, require
from network.core.errors import NotFound
from network.core.i18n import N_
from network.core.locking import load_for_change
from network.core.paging import page_of
from network.directory import reference as ref
from network.directory.authorities import state_authorities
from network.directory.changes import diff, require_version, snapshot
from network.directory.models import State
from network.directory.search_terms import index_authorities, index_states
from network.directory.un_names import cldr_names, un_names
from network.directory.validation import Fields, reject
from network.extensions import db
from network.schemas.directory_vocabularies import REGIONS, UNCAC_STATUSES

STATE_FIELDS = ("uncac_status", "region", "time_zone", "is_demo_data")
UTC_ZONE = ZoneInfo("UTC")


def zone_named(name: str | None) -> ZoneInfo:
    """An IANA time zone by name; UTC when there is none or the name is not known."""
    try:
        return ZoneInfo(name) if name else UTC_ZONE
    except (ZoneInfoNotFoundError, ValueError):
        return UTC_ZONE


def state_zone(state: State | None) -> ZoneInfo:
    """The time zone a State's calendar dates and office hours are read in (UTC if unset)."""
    return zone_named(state.time_zone if state is not None else None)


def default_time_zone(alpha_3: str, alpha_2: str) -> str:
    """The usual zone of a State: a known main zone, else CLDR's first zone for the territory."""
    if alpha_3 in ref.MAIN_TIME_ZONES:
        return ref.MAIN_TIME_ZONES[alpha_3]
    zones = get_global("territory_zones").get(alpha_2) or ["UTC"]
    return str(zones[0])


def shown_names(code: str) -> dict[str, str]:
    """The names a State is shown by: the UN's short names, CLDR's where the UN list has none."""
    country = pycountry.countries.get(alpha_3=code)
    assert country is not None  # noqa: S101 - reference.py lists ISO 3166 codes only
    names = cldr_names(country.alpha_2)
    names.setdefault("en", country.name)
    names.update({language: un.short for language, un in un_names(code).items()})
    return names


@dataclass(frozen=True)
class StateNames:
    """A State's names for its page: the UN's short and formal ones, CLDR's where they differ."""

    short: dict[str, str]
    formal: dict[str, str]
    common: dict[str, str]


def state_names(state: State) -> StateNames:
    """What the State page lists under its names, language by language."""
    formal = {language: un.formal for language, un in un_names(state.code).items()}
    country = pycountry.countries.get(alpha_3=state.code)
    cldr = cldr_names(country.alpha_2) if country is not None else {}
    common = {
        language: name for language, name in cldr.items() if name != state.names.get(language)
    }
    return StateNames(dict(state.names), formal, common)


@dataclass(frozen=True)
class Synced:
    """What ``sync_states`` did: States added, and States whose names became the UN's."""

    added: int
    renamed: int


def sync_states() -> Synced:
    """Create any missing UN member or observer State, and name every one as the UN does.

    UNCAC status and regional group are administrator-maintained; the values seeded here are
    marked as demo data until an administrator sets them. Names follow the UN's list
    (network/directory/data): a State added before that list came keeps up with it here.
    """
    existing = {state.code: state for state in db.session.scalars(select(State))}
    wanted = {**ref.UN_MEMBER_REGIONS, **ref.UN_OBSERVER_REGIONS}
    added: list[State] = []
    renamed: list[State] = []
    for code, region in wanted.items():
        names = shown_names(code)
        if code in existing:
            if existing[code].names != names:
                existing[code].names = names
                renamed.append(existing[code])
            continue
        country = pycountry.countries.get(alpha_3=code)
        assert country is not None  # noqa: S101 - reference.py lists ISO 3166 codes only
        state = State(
            code=code,
            names=names,
            uncac_status=ref.DEMO_UNCAC_EXCEPTIONS.get(code, "party"),
            region=region,
            time_zone=default_time_zone(code, country.alpha_2),
            is_demo_data=True,
            is_observer_state=code in ref.UN_OBSERVER_REGIONS,
        )
        db.session.add(state)
        added.append(state)
    index_states(added + renamed)
    db.session.flush()
    return Synced(len(added), len(renamed))


def get_state(code: str, *, for_change: bool = False) -> State:
    """One State by its code; ``for_change`` locks it until commit (``load_for_change``)."""
    if not code:
        state = None
    elif for_change:
        state = load_for_change(db.session, State, code.upper())
    else:
        state = db.session.get(State, code.upper())
    if state is None:
        raise NotFound(N_("No State with this code."), reason="state_not_found")
    return state


def list_states(
    *, region: str | None = None, page: int = 1, per_page: int = 50
) -> tuple[list[State], int]:
    query = select(State)
    if region:
        query = query.where(State.region == region)
    return page_of(db.session, query, (State.code,), page, per_page)


def clean_state(values: Mapping[str, Any]) -> Fields:
    fields = Fields(values, partial=True)
    fields.unknown(set(STATE_FIELDS))
    fields.choice("uncac_status", UNCAC_STATUSES, "none")
    fields.choice("region", {**REGIONS, "": ""}, "")
    fields.time_zone("time_zone")
    fields.boolean("is_demo_data")
    if fields.clean.get("region") == "":
        fields.clean["region"] = None
    return fields


def update_state(
    actor: User | None,
    code: str,
    values: Mapping[str, Any],
    *,
    now: datetime,
    expected_version: int | None = None,
) -> State:
    """The network administrator keeps UNCAC status, regional group and time zone."""
    if actor is not None:
        require(actor, Action.MANAGE_STATES)
    state = get_state(code, for_change=True)
    require_version(state, expected_version, "state", state.code)
    fields = clean_state(values)
    reject(fields)
    if actor is not None and "is_demo_data" not in fields.clean:
        fields.clean["is_demo_data"] = False  # an administrator's value is no longer demo data
    details = diff(snapshot(state, STATE_FIELDS), fields.clean)
    for name, value in fields.clean.items():
        setattr(state, name, value)
    if details["new"]:
        index_states([state])
        index_authorities(state_authorities(state.code))
        audit.record(actor, "directory.state.updated", "state", state.code, details, at=now)
    db.session.flush()
    return state
