"""States: the UN members and observers, their names, time zones, and what administrators keep."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pycountry
from babel import Locale
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
from network.directory.validation import Fields, reject
from network.extensions import db
from network.schemas.vocabularies import REGIONS, UNCAC_STATUSES

UN_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
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


def cldr_names(alpha_2: str) -> dict[str, str]:
    """A territory's name in the six UN languages, from Babel's CLDR data (never typed by hand)."""
    names = {}
    for language in UN_LANGUAGES:
        name = Locale.parse(language).territories.get(alpha_2)
        if name:
            names[language] = name
    return names


def default_time_zone(alpha_3: str, alpha_2: str) -> str:
    """The usual zone of a State: a known main zone, else CLDR's first zone for the territory."""
    if alpha_3 in ref.MAIN_TIME_ZONES:
        return ref.MAIN_TIME_ZONES[alpha_3]
    zones = get_global("territory_zones").get(alpha_2) or ["UTC"]
    return str(zones[0])


def sync_states() -> int:
    """Create any missing UN member or observer State; returns how many were added.

    UNCAC status and regional group are administrator-maintained; the values seeded here are
    marked as demo data until an administrator sets them.
    """
    existing = set(db.session.scalars(select(State.code)))
    wanted = {**ref.UN_MEMBER_REGIONS, **ref.UN_OBSERVER_REGIONS}
    added: list[State] = []
    for code, region in wanted.items():
        if code in existing:
            continue
        country = pycountry.countries.get(alpha_3=code)
        assert country is not None  # noqa: S101 - reference.py lists ISO 3166 codes only
        names = cldr_names(country.alpha_2)
        names.setdefault("en", country.name)
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
    index_states(added)
    db.session.flush()
    return len(added)


def get_state(code: str, *, for_change: bool = False) -> State:
    """One State by its code; ``for_change`` locks it until commit (``load_for_change``)."""
    if not code:
        state = None
    elif for_change:
        state = load_for_change(db.session, State, code.upper())
    else:
        state = db.session.get(State, code.upper())
    if state is None:
        raise NotFound(N_("No State with this code."))
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
