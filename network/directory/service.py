"""Directory services: States, authorities, focal points, country profiles, search and freshness.

Services take the acting user and plain values, check the policy, write the audit record with
old and new values, keep the search index in step, flush, and never commit.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

import pycountry
from anyascii import anyascii
from babel import Locale
from babel.core import get_global
from sqlalchemy import Select, func, select
from sqlalchemy.orm import load_only, selectinload

from network.audit import service as audit
from network.auth.models import User
from network.auth.policy import Action, require
from network.core.batches import batches
from network.core.errors import InvalidInput, NotFound
from network.core.i18n import N_
from network.directory import reference as ref
from network.directory import search as index
from network.directory.models import Authority, CountryProfile, FocalPoint, ObserverBody, State
from network.directory.states import state_zone, zone_named
from network.directory.validation import Fields
from network.extensions import db
from network.schemas.vocabularies import (
    AUTHORITY_CHANNELS,
    AUTHORITY_KINDS,
    AUTHORITY_STATUSES,
    DUAL_CRIMINALITY,
    EXPERTISE,
    FOCAL_POINT_STATUSES,
    FOREIGN_ORDERS,
    MEMBERSHIP_STATUSES,
    NETWORKS,
    REGIONS,
    TRANSMISSION_MEANS,
    TREATY_OR_RECIPROCITY,
    UNCAC_STATUSES,
    Role,
)

UN_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
STALE_AFTER = timedelta(days=365)

AUTHORITY_FIELDS = (
    "key",
    "kind",
    "name",
    "name_en",
    "address",
    "phone",
    "phone_24_7",
    "email",
    "time_zone",
    "office_days",
    "opens_at",
    "closes_at",
    "languages",
    "transmission_means",
    "encryption_required",
    "e_signature_required",
    "channels",
    "oral_urgent_requests",
    "networks",
    "source",
    "status",
)
FOCAL_POINT_FIELDS = (
    "key",
    "authority_id",
    "name",
    "name_latin",
    "title",
    "email",
    "phone",
    "languages",
    "expertise",
    "networks",
    "user_id",
    "status",
)
PROFILE_FIELDS = (
    "uncac_basis_mla",
    "uncac_basis_extradition",
    "uncac_basis_confiscation",
    "treaty_or_reciprocity",
    "dual_criminality",
    "persons_notified",
    "appeal_possible",
    "evidence_use_limits",
    "foreign_freezing_orders",
    "foreign_confiscation_orders",
    "ncb_forfeiture",
    "foreign_ncb_enforceable",
    "longest_freeze",
    "freeze_extension",
    "urgent_procedure",
    "languages",
    "translation_needs",
    "typical_time_to_freeze",
    "links",
    "templates",
)
STATE_FIELDS = ("uncac_status", "region", "time_zone", "is_demo_data")


# --- States ----------------------------------------------------------------------------------


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


def _state_terms(state: State) -> set[str]:
    """Set the State's search text; return its index rows."""
    texts = [*state.names.values(), state.code]
    country = pycountry.countries.get(alpha_3=state.code)
    if country is not None:
        texts += [country.alpha_2, getattr(country, "official_name", ""), country.name]
    state.search_text = index.pack(texts)
    tags = [f"region:{state.region}"] if state.region else []
    return index.terms_for(texts, tags)


def index_states(states: Sequence[State]) -> None:
    """Keep States' search text and index rows in step with their names and region."""
    index.replace_terms("state", {state.code: _state_terms(state) for state in states})


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


def get_state(code: str) -> State:
    state = db.session.get(State, code.upper()) if code else None
    if state is None:
        raise NotFound(N_("No State with this code."))
    return state


def list_states(
    *, region: str | None = None, page: int = 1, per_page: int = 50
) -> tuple[list[State], int]:
    query = select(State)
    if region:
        query = query.where(State.region == region)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = db.session.scalars(
        query.order_by(State.code).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return list(items), total


def _diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The audit details: old and new value of each field that changed."""
    changed = [name for name in new if old.get(name) != new[name]]
    return {
        "old": {name: _plain(old.get(name)) for name in changed},
        "new": {name: _plain(new[name]) for name in changed},
    }


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _snapshot(entry: object, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in names}


def _reject(fields: Fields) -> None:
    if fields.errors:
        raise InvalidInput(N_("Some values are not valid."), fields.errors)


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
    actor: User | None, code: str, values: Mapping[str, Any], *, now: datetime
) -> State:
    """The network administrator keeps UNCAC status, regional group and time zone."""
    if actor is not None:
        require(actor, Action.MANAGE_STATES)
    state = get_state(code)
    fields = clean_state(values)
    _reject(fields)
    if actor is not None and "is_demo_data" not in fields.clean:
        fields.clean["is_demo_data"] = False  # an administrator's value is no longer demo data
    details = _diff(_snapshot(state, STATE_FIELDS), fields.clean)
    for name, value in fields.clean.items():
        setattr(state, name, value)
    if details["new"]:
        index_states([state])
        index_authorities(state_authorities(state.code))
        audit.record(actor, "directory.state.updated", "state", state.code, details, at=now)
    db.session.flush()
    return state


# --- observer bodies ---------------------------------------------------------------------------


def list_observer_bodies() -> list[ObserverBody]:
    return list(db.session.scalars(select(ObserverBody).order_by(ObserverBody.acronym)))


def save_observer_body(
    actor: User | None, body_id: int | None, values: Mapping[str, Any], *, now: datetime
) -> ObserverBody:
    """Create (body_id None) or change an intergovernmental observer body."""
    if actor is not None:
        require(actor, Action.MANAGE_OBSERVER_BODIES)
    fields = Fields(values, partial=body_id is not None)
    fields.unknown({"acronym", "name"})
    fields.text("acronym", 32, required=True)
    fields.text("name", 200, required=True)
    _reject(fields)
    if body_id is None:
        body = ObserverBody()
        old: dict[str, Any] = {}
    else:
        found = db.session.get(ObserverBody, body_id)
        if found is None:
            raise NotFound(N_("No observer body with this id."))
        body = found
        old = _snapshot(body, ("acronym", "name"))
    acronym = fields.clean.get("acronym")
    if acronym and db.session.scalar(
        select(ObserverBody.id).where(ObserverBody.acronym == acronym, ObserverBody.id != body_id)
    ):
        raise InvalidInput(N_("Some values are not valid."), {"acronym": [N_("Already in use.")]})
    for name, value in fields.clean.items():
        setattr(body, name, value)
    # Added only now: the acronym query above would otherwise flush a body without its names.
    db.session.add(body)
    db.session.flush()
    action = (
        "directory.observer_body.created" if body_id is None else "directory.observer_body.updated"
    )
    audit.record(actor, action, "observer_body", body.id, _diff(old, fields.clean), at=now)
    return body


# --- authorities -----------------------------------------------------------------------------


def language_name(code: str, locale: str = "en") -> str:
    """An ISO 639 code shown by name in the viewer's language."""
    name = Locale.parse(locale).languages.get(code)
    if name:
        return str(name)
    language = (
        pycountry.languages.get(alpha_2=code)
        if len(code) == 2
        else pycountry.languages.get(alpha_3=code)
    )
    return language.name if language else code


@cache
def _language_words(code: str) -> tuple[str, ...]:
    """A language's code, English name and own name, for the index (cached: CLDR is slow)."""
    texts = [code, language_name(code, "en")]
    if len(code) == 2 and code in Locale("en").languages:
        with contextlib.suppress(ValueError, LookupError):
            texts.append(str(Locale.parse(code).languages.get(code) or ""))
    return tuple(texts)


def _language_texts(codes: list[str]) -> list[str]:
    return [text for code in codes for text in _language_words(code)]


def _authority_terms(authority: Authority) -> set[str]:
    """Set the authority's search text; return its index rows."""
    state = authority.state or db.session.get(State, authority.state_code)
    assert state is not None  # noqa: S101 - the foreign key guarantees it
    kind_label = AUTHORITY_KINDS.get(authority.kind, authority.kind)
    secondary = [*state.names.values(), state.code, kind_label, authority.kind]
    secondary += _language_texts(authority.languages or [])
    secondary += [NETWORKS.get(m["network"], "") for m in authority.networks or []]
    primary = [authority.name, authority.name_en or ""]
    authority.search_text = index.pack(primary, secondary)
    tags = [f"kind:{authority.kind}"] + [f"lang:{code}" for code in authority.languages or []]
    if state.region:
        tags.append(f"region:{state.region}")
    return index.terms_for(primary + secondary, tags)


def index_authorities(authorities: Sequence[Authority]) -> None:
    """Keep authorities' index rows in step, and their focal points', which hold their names."""
    index.replace_terms("authority", {str(each.id): _authority_terms(each) for each in authorities})
    focal_points: list[FocalPoint] = []
    for ids in batches([each.id for each in authorities]):
        focal_points += db.session.scalars(
            select(FocalPoint).where(FocalPoint.authority_id.in_(ids))
        )
    index_focal_points(focal_points)


def clean_authority(values: Mapping[str, Any], *, partial: bool) -> Fields:
    fields = Fields(values, partial=partial)
    fields.unknown(set(AUTHORITY_FIELDS))
    fields.key("key")
    fields.choice("kind", AUTHORITY_KINDS, "mla_central_authority")
    fields.text("name", 300, required=True)
    fields.optional_text("name_en", 300)
    fields.text("address", 1000)
    fields.phone("phone")
    fields.phone("phone_24_7")
    fields.email("email")
    fields.time_zone("time_zone")
    fields.weekdays("office_days", "12345")
    fields.hour("opens_at", "09:00")
    fields.hour("closes_at", "17:00")
    fields.languages("languages")
    fields.choices("transmission_means", TRANSMISSION_MEANS)
    fields.boolean("encryption_required")
    fields.boolean("e_signature_required")
    fields.choices("channels", AUTHORITY_CHANNELS)
    fields.boolean("oral_urgent_requests")
    fields.networks("networks", NETWORKS, MEMBERSHIP_STATUSES)
    fields.text("source", 300)
    fields.choice("status", AUTHORITY_STATUSES, "active")
    return fields


def _check_hours(fields: Fields, current: Authority | None) -> None:
    opens = fields.clean.get("opens_at", current.opens_at if current else None)
    closes = fields.clean.get("closes_at", current.closes_at if current else None)
    if opens and closes and opens >= closes:
        fields.fail("closes_at", N_("The office must close after it opens."))


def _check_key(
    model: type[Authority] | type[FocalPoint], fields: Fields, entry_id: int | None
) -> None:
    key = fields.clean.get("key")
    if key and db.session.scalar(select(model.id).where(model.key == key, model.id != entry_id)):
        fields.fail("key", N_("Already in use."))


def create_authority(
    actor: User | None,
    state_code: str,
    values: Mapping[str, Any],
    *,
    now: datetime,
    is_demo: bool = False,
    confirmed_at: datetime | None = None,
) -> Authority:
    """Add an authority to a State's directory; its creation counts as its first confirmation."""
    state = db.session.get(State, (state_code or "").upper())
    if state is None:
        raise InvalidInput(N_("Unknown State."), {"state": [N_("Unknown State code.")]})
    if actor is not None:
        require(actor, Action.EDIT_STATE_DIRECTORY, state.code)
    fields = clean_authority(values, partial=False)
    _check_hours(fields, None)
    _check_key(Authority, fields, None)
    _reject(fields)
    authority = Authority(
        state_code=state.code,
        details={},
        is_demo=is_demo,
        last_confirmed_at=confirmed_at or now,
        last_confirmed_by_id=actor.id if actor is not None else None,
        **fields.clean,
    )
    authority.state = state
    db.session.add(authority)
    db.session.flush()
    index_authorities([authority])
    audit.record(
        actor,
        "directory.authority.created",
        "authority",
        authority.id,
        {"state": state.code, **_diff({}, fields.clean)},
        at=now,
    )
    db.session.flush()
    return authority


def get_authority(authority_id: int) -> Authority:
    authority = db.session.get(Authority, authority_id)
    if authority is None:
        raise NotFound(N_("No authority with this id."))
    return authority


def update_authority(
    actor: User | None, authority_id: int, values: Mapping[str, Any], *, now: datetime
) -> Authority:
    """Change an authority; saving counts as confirming the entry is current."""
    authority = get_authority(authority_id)
    if actor is not None:
        require(actor, Action.EDIT_STATE_DIRECTORY, authority.state_code)
    fields = clean_authority(values, partial=True)
    _check_hours(fields, authority)
    _check_key(Authority, fields, authority.id)
    _reject(fields)
    details = _diff(_snapshot(authority, AUTHORITY_FIELDS), fields.clean)
    for name, value in fields.clean.items():
        setattr(authority, name, value)
    authority.last_confirmed_at = now
    authority.last_confirmed_by_id = actor.id if actor is not None else None
    db.session.flush()
    index_authorities([authority])
    audit.record(actor, "directory.authority.updated", "authority", authority.id, details, at=now)
    return authority


def confirm_authority(actor: User, authority_id: int, *, now: datetime) -> Authority:
    """One action: 'this entry is still right as it stands'."""
    authority = get_authority(authority_id)
    require(actor, Action.EDIT_STATE_DIRECTORY, authority.state_code)
    old = authority.last_confirmed_at
    authority.last_confirmed_at = now
    authority.last_confirmed_by_id = actor.id
    audit.record(
        actor,
        "directory.authority.confirmed",
        "authority",
        authority.id,
        {"old": {"last_confirmed_at": _plain(old)}, "new": {"last_confirmed_at": now.isoformat()}},
        at=now,
    )
    db.session.flush()
    return authority


def state_authorities(state_code: str) -> list[Authority]:
    return list(
        db.session.scalars(
            select(Authority)
            .where(Authority.state_code == state_code)
            .order_by(Authority.kind, Authority.id)
        )
    )


def list_authorities(
    *, state_code: str | None = None, kind: str | None = None, page: int = 1, per_page: int = 50
) -> tuple[list[Authority], int]:
    query = select(Authority)
    if state_code:
        query = query.where(Authority.state_code == state_code.upper())
    if kind:
        query = query.where(Authority.kind == kind)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = db.session.scalars(
        query.order_by(Authority.state_code, Authority.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return list(items), total


@dataclass(frozen=True)
class OfficeStatus:
    """The counterpart's wall clock now and whether their office is open."""

    local_time: datetime
    is_open: bool


def office_status(authority: Authority, now: datetime) -> OfficeStatus:
    local = now.astimezone(zone_named(authority.time_zone))
    hour = local.strftime("%H:%M")
    is_open = (
        str(local.isoweekday()) in (authority.office_days or "")
        and authority.opens_at <= hour < authority.closes_at
    )
    return OfficeStatus(local_time=local, is_open=is_open)


def state_local_time(state: State, now: datetime) -> datetime:
    return now.astimezone(state_zone(state))


# --- focal points ------------------------------------------------------------------------------


def _focal_point_terms(focal_point: FocalPoint) -> set[str]:
    """Set the focal point's search text; return its index rows."""
    authority = focal_point.authority or db.session.get(Authority, focal_point.authority_id)
    assert authority is not None  # noqa: S101 - the foreign key guarantees it
    state = authority.state
    primary = [focal_point.name, focal_point.name_latin]
    secondary = [
        *state.names.values(),
        state.code,
        authority.name,
        authority.name_en or "",
        focal_point.title,
        AUTHORITY_KINDS.get(authority.kind, ""),
    ]
    secondary += _language_texts(focal_point.languages or [])
    secondary += [EXPERTISE.get(item, "") for item in focal_point.expertise or []]
    secondary += list(focal_point.expertise or [])
    secondary += [NETWORKS.get(m["network"], "") for m in focal_point.networks or []]
    focal_point.search_text = index.pack(primary, secondary)
    tags = [f"kind:{authority.kind}"]
    tags += [f"lang:{code}" for code in focal_point.languages or []]
    tags += [f"exp:{item}" for item in focal_point.expertise or []]
    if state.region:
        tags.append(f"region:{state.region}")
    return index.terms_for(primary + secondary, tags)


def index_focal_points(focal_points: Sequence[FocalPoint]) -> None:
    """Keep focal points' search text and index rows in step with them and their authority."""
    index.replace_terms(
        "focal_point", {str(each.id): _focal_point_terms(each) for each in focal_points}
    )


def clean_focal_point(values: Mapping[str, Any], *, partial: bool) -> Fields:
    fields = Fields(values, partial=partial)
    fields.unknown(set(FOCAL_POINT_FIELDS))
    fields.key("key")
    fields.integer("authority_id", nullable=False)
    if not partial and "authority_id" not in values:
        fields.fail("authority_id", N_("This field is required."))
    fields.text("name", 200, required=True)
    fields.text("name_latin", 200)
    fields.text("title", 200)
    fields.email("email")
    fields.phone("phone")
    fields.languages("languages")
    fields.choices("expertise", EXPERTISE)
    fields.networks("networks", NETWORKS, MEMBERSHIP_STATUSES)
    fields.integer("user_id")
    fields.choice("status", FOCAL_POINT_STATUSES, "active")
    return fields


def _check_focal_point_links(fields: Fields, state_code: str) -> None:
    """The authority and the linked account must both be of the focal point's State."""
    authority_id = fields.clean.get("authority_id")
    if authority_id is not None:
        authority = db.session.get(Authority, authority_id)
        if authority is None or authority.state_code != state_code:
            fields.fail("authority_id", N_("Choose an authority of the same State."))
    user_id = fields.clean.get("user_id")
    if user_id is not None:
        user = db.session.get(User, user_id)
        if user is None or user.state_code != state_code:
            fields.fail("user_id", N_("Choose a user of the same State."))


def create_focal_point(
    actor: User | None,
    values: Mapping[str, Any],
    *,
    now: datetime,
    is_demo: bool = False,
    confirmed_at: datetime | None = None,
) -> FocalPoint:
    """Add a person to a State's directory, attached to one of its authorities."""
    fields = clean_focal_point(values, partial=False)
    authority = (
        db.session.get(Authority, fields.clean["authority_id"])
        if "authority_id" in fields.clean
        else None
    )
    if authority is None:
        fields.errors.setdefault("authority_id", [N_("No authority with this id.")])
        _reject(fields)
        raise AssertionError  # unreachable: _reject raised
    if actor is not None:
        require(actor, Action.EDIT_STATE_DIRECTORY, authority.state_code)
    _check_focal_point_links(fields, authority.state_code)
    _check_key(FocalPoint, fields, None)
    _reject(fields)
    if not fields.clean.get("name_latin"):
        fields.clean["name_latin"] = anyascii(fields.clean["name"])
    focal_point = FocalPoint(
        state_code=authority.state_code,
        is_demo=is_demo,
        last_confirmed_at=confirmed_at or now,
        last_confirmed_by_id=actor.id if actor is not None else None,
        **fields.clean,
    )
    focal_point.authority = authority
    focal_point.state = authority.state
    db.session.add(focal_point)
    db.session.flush()
    index_focal_points([focal_point])
    audit.record(
        actor,
        "directory.focal_point.created",
        "focal_point",
        focal_point.id,
        {"state": authority.state_code, **_diff({}, fields.clean)},
        at=now,
    )
    db.session.flush()
    return focal_point


def get_focal_point(focal_point_id: int) -> FocalPoint:
    focal_point = db.session.get(FocalPoint, focal_point_id)
    if focal_point is None:
        raise NotFound(N_("No focal point with this id."))
    return focal_point


def update_focal_point(
    actor: User | None, focal_point_id: int, values: Mapping[str, Any], *, now: datetime
) -> FocalPoint:
    focal_point = get_focal_point(focal_point_id)
    if actor is not None:
        require(actor, Action.EDIT_STATE_DIRECTORY, focal_point.state_code)
    fields = clean_focal_point(values, partial=True)
    _check_focal_point_links(fields, focal_point.state_code)
    _check_key(FocalPoint, fields, focal_point.id)
    _reject(fields)
    if "name_latin" in fields.clean and not fields.clean["name_latin"]:
        fields.clean["name_latin"] = anyascii(fields.clean.get("name", focal_point.name))
    elif (
        "name" in fields.clean
        and "name_latin" not in fields.clean
        and (focal_point.name_latin == anyascii(focal_point.name))
    ):
        # The transliteration was made from the old name, so it follows the new one.
        fields.clean["name_latin"] = anyascii(fields.clean["name"])
    details = _diff(_snapshot(focal_point, FOCAL_POINT_FIELDS), fields.clean)
    for name, value in fields.clean.items():
        setattr(focal_point, name, value)
    if "authority_id" in fields.clean:
        focal_point.authority = db.session.get(Authority, fields.clean["authority_id"])  # type: ignore[assignment]
    focal_point.last_confirmed_at = now
    focal_point.last_confirmed_by_id = actor.id if actor is not None else None
    db.session.flush()
    index_focal_points([focal_point])
    audit.record(
        actor, "directory.focal_point.updated", "focal_point", focal_point.id, details, at=now
    )
    return focal_point


def confirm_focal_point(actor: User, focal_point_id: int, *, now: datetime) -> FocalPoint:
    focal_point = get_focal_point(focal_point_id)
    require(actor, Action.EDIT_STATE_DIRECTORY, focal_point.state_code)
    old = focal_point.last_confirmed_at
    focal_point.last_confirmed_at = now
    focal_point.last_confirmed_by_id = actor.id
    audit.record(
        actor,
        "directory.focal_point.confirmed",
        "focal_point",
        focal_point.id,
        {"old": {"last_confirmed_at": _plain(old)}, "new": {"last_confirmed_at": now.isoformat()}},
        at=now,
    )
    db.session.flush()
    return focal_point


def list_focal_points(
    *,
    state_code: str | None = None,
    authority_id: int | None = None,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[FocalPoint], int]:
    query = select(FocalPoint)
    if state_code:
        query = query.where(FocalPoint.state_code == state_code.upper())
    if authority_id:
        query = query.where(FocalPoint.authority_id == authority_id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = db.session.scalars(
        query.order_by(FocalPoint.state_code, FocalPoint.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return list(items), total


def counterpart_candidates(state_code: str) -> list[User]:
    """Active users of a State linked to its focal points; else its practitioners and admins."""
    linked = db.session.scalars(
        select(User)
        .join(FocalPoint, FocalPoint.user_id == User.id)
        .where(
            User.state_code == state_code,
            User.active.is_(True),
            FocalPoint.state_code == state_code,
            FocalPoint.status == "active",
        )
        .distinct()
        .order_by(User.name)
    ).all()
    if linked:
        return list(linked)
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.state_code == state_code,
                User.active.is_(True),
                User.role.in_([Role.PRACTITIONER.value, Role.NATIONAL_ADMIN.value]),
            )
            .order_by(User.name)
        )
    )


# --- freshness -------------------------------------------------------------------------------


def is_stale(entry: Authority | FocalPoint, now: datetime) -> bool:
    """Not confirmed for twelve months (or never)."""
    return entry.last_confirmed_at is None or now - entry.last_confirmed_at > STALE_AFTER


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


# --- country profiles --------------------------------------------------------------------------


def current_profile(state_code: str) -> CountryProfile | None:
    """The latest version of a State's country profile, or None if it has none yet."""
    return db.session.scalar(
        select(CountryProfile)
        .where(CountryProfile.state_code == state_code.upper())
        .order_by(CountryProfile.version.desc())
        .limit(1)
    )


def profile_history(state_code: str) -> list[CountryProfile]:
    return list(
        db.session.scalars(
            select(CountryProfile)
            .where(CountryProfile.state_code == state_code.upper())
            .order_by(CountryProfile.version.desc())
        )
    )


def clean_profile(values: Mapping[str, Any]) -> Fields:
    fields = Fields(values, partial=False)
    fields.unknown({*PROFILE_FIELDS, "note"})
    for name in (
        "uncac_basis_mla",
        "uncac_basis_extradition",
        "uncac_basis_confiscation",
        "persons_notified",
        "appeal_possible",
        "ncb_forfeiture",
        "foreign_ncb_enforceable",
    ):
        fields.boolean(name, None, nullable=True)
    fields.choice("treaty_or_reciprocity", TREATY_OR_RECIPROCITY, "unknown")
    fields.choice("dual_criminality", DUAL_CRIMINALITY, "unknown")
    fields.choice("foreign_freezing_orders", FOREIGN_ORDERS, "unknown")
    fields.choice("foreign_confiscation_orders", FOREIGN_ORDERS, "unknown")
    for name in (
        "evidence_use_limits",
        "freeze_extension",
        "urgent_procedure",
        "translation_needs",
        "templates",
    ):
        fields.text(name, 4000)
    fields.text("longest_freeze", 300)
    fields.text("typical_time_to_freeze", 300)
    fields.languages("languages")
    fields.links("links")
    fields.text("note", 500)
    return fields


def revise_profile(
    actor: User | None,
    state_code: str,
    values: Mapping[str, Any],
    *,
    now: datetime,
    is_demo: bool = False,
) -> CountryProfile:
    """Save a new version of the profile; earlier versions stay as they were, with their author.

    Fields left out keep their current value, so a revision names only what changed.
    """
    state = db.session.get(State, (state_code or "").upper())
    if state is None:
        raise InvalidInput(N_("Unknown State."), {"state": [N_("Unknown State code.")]})
    if actor is not None:
        require(actor, Action.EDIT_STATE_DIRECTORY, state.code)
    current = current_profile(state.code)
    base = _snapshot(current, PROFILE_FIELDS) if current else {}
    fields = clean_profile({**base, **values})
    _reject(fields)
    note = fields.clean.pop("note", "")
    details = _diff(base, fields.clean)
    profile = CountryProfile(
        state_code=state.code,
        version=(current.version + 1) if current else 1,
        note=note,
        is_demo=is_demo,
        changed_at=now,
        changed_by_id=actor.id if actor is not None else None,
        **fields.clean,
    )
    db.session.add(profile)
    db.session.flush()
    audit.record(
        actor,
        "directory.profile.revised",
        "state",
        state.code,
        {"version": profile.version, **details},
        at=now,
    )
    return profile


def _yes_no(value: bool | None) -> str:
    return {True: N_("Yes"), False: N_("No"), None: N_("Not stated")}[value]


def profile_checklist(profile: CountryProfile) -> list[tuple[str, str]]:
    """(label, value) pairs a requesting State checks before it asks; texts marked with N_."""
    items = [
        (N_("UNCAC accepted as legal basis for MLA"), _yes_no(profile.uncac_basis_mla)),
        (
            N_("UNCAC accepted as legal basis for extradition"),
            _yes_no(profile.uncac_basis_extradition),
        ),
        (
            N_("UNCAC accepted as legal basis for confiscation"),
            _yes_no(profile.uncac_basis_confiscation),
        ),
        (N_("Treaty or reciprocity"), TREATY_OR_RECIPROCITY[profile.treaty_or_reciprocity]),
        (N_("Dual criminality"), DUAL_CRIMINALITY[profile.dual_criminality]),
        (N_("Affected persons are notified (tipping-off risk)"), _yes_no(profile.persons_notified)),
        (N_("Affected persons may appeal"), _yes_no(profile.appeal_possible)),
        (N_("Foreign freezing orders"), FOREIGN_ORDERS[profile.foreign_freezing_orders]),
        (
            N_("Foreign confiscation orders"),
            FOREIGN_ORDERS[profile.foreign_confiscation_orders],
        ),
        (N_("Non-conviction-based forfeiture possible"), _yes_no(profile.ncb_forfeiture)),
        (N_("Foreign NCB orders enforceable"), _yes_no(profile.foreign_ncb_enforceable)),
        (N_("Longest provisional freeze"), profile.longest_freeze or N_("Not stated")),
        (N_("Extension of a freeze"), profile.freeze_extension or N_("Not stated")),
        (N_("Urgent procedure"), profile.urgent_procedure or N_("Not stated")),
        (N_("Limits on the use of evidence"), profile.evidence_use_limits or N_("Not stated")),
        (
            N_("Languages accepted"),
            ", ".join(language_name(code) for code in profile.languages) or N_("Not stated"),
        ),
        (N_("Translation needs"), profile.translation_needs or N_("Not stated")),
        (N_("Typical time to freeze"), profile.typical_time_to_freeze or N_("Not stated")),
    ]
    return items


# --- search ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    """One ranked result: a State, an authority or a focal point."""

    type: str
    id: str
    label: str
    state: str
    detail: str
    stale: bool
    score: float
    highlights: list[tuple[int, int]]


@dataclass(frozen=True)
class SearchFilters:
    region: str | None = None
    kind: str | None = None
    language: str | None = None
    expertise: str | None = None
    types: tuple[str, ...] = ()


_TYPE_ORDER = {"state": 0, "authority": 1, "focal_point": 2}


def search(
    query: str,
    filters: SearchFilters,
    *,
    now: datetime,
    locale: str = "en",
    page: int = 1,
    per_page: int = 20,
) -> tuple[list[SearchHit], int]:
    """Ranked, paginated hits; only index candidates are loaded and scored."""
    tags = []
    if filters.region:
        tags.append(f"region:{filters.region}")
    if filters.kind:
        tags.append(f"kind:{filters.kind}")
    if filters.language:
        tags.append(f"lang:{filters.language}")
    if filters.expertise:
        tags.append(f"exp:{filters.expertise}")
    keys = index.candidates(query, tags, list(filters.types))
    by_type: dict[str, list[str]] = {}
    for entry_type, entry_key in keys:
        by_type.setdefault(entry_type, []).append(entry_key)
    hits: list[SearchHit] = []
    if by_type.get("state"):
        for state in db.session.scalars(select(State).where(State.code.in_(by_type["state"]))):
            label = state.name(locale)
            hits.append(
                SearchHit(
                    "state",
                    state.code,
                    label,
                    state.code,
                    state.code,
                    False,
                    index.score(query, state.search_text),
                    index.highlight(label, query),
                )
            )
    if by_type.get("authority"):
        ids = [int(key) for key in by_type["authority"]]
        for authority in db.session.scalars(select(Authority).where(Authority.id.in_(ids))):
            label = authority.name
            hits.append(
                SearchHit(
                    "authority",
                    str(authority.id),
                    label,
                    authority.state_code,
                    AUTHORITY_KINDS.get(authority.kind, authority.kind),
                    is_stale(authority, now),
                    index.score(query, authority.search_text),
                    index.highlight(label, query),
                )
            )
    if by_type.get("focal_point"):
        ids = [int(key) for key in by_type["focal_point"]]
        for person in db.session.scalars(
            select(FocalPoint)
            .where(FocalPoint.id.in_(ids))
            # What a hit shows, and nothing else: a search loads hundreds of candidates.
            .options(
                load_only(
                    FocalPoint.name,
                    FocalPoint.name_latin,
                    FocalPoint.state_code,
                    FocalPoint.title,
                    FocalPoint.last_confirmed_at,
                    FocalPoint.search_text,
                ),
                selectinload(FocalPoint.authority).load_only(Authority.name),
            )
        ):
            label = person.name
            hits.append(
                SearchHit(
                    "focal_point",
                    str(person.id),
                    label,
                    person.state_code,
                    person.title or person.authority.name,
                    is_stale(person, now),
                    index.score(query, person.search_text),
                    index.highlight(label, query) or index.highlight(person.name_latin, query),
                )
            )
    if query.strip():
        hits = [hit for hit in hits if hit.score >= 50]
    hits.sort(key=lambda hit: (-round(hit.score, 1), _TYPE_ORDER[hit.type], hit.label))
    start = (page - 1) * per_page
    return hits[start : start + per_page], len(hits)


# --- vCard -------------------------------------------------------------------------------------


def _vcard_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def vcard(entry: Authority | FocalPoint) -> str:
    """A vCard 4.0 of a focal point or authority, for the viewer's address book."""
    lines = ["BEGIN:VCARD", "VERSION:4.0"]
    if isinstance(entry, FocalPoint):
        lines.append(f"FN:{_vcard_escape(entry.name)}")
        if entry.name_latin and entry.name_latin != entry.name:
            lines.append(f"X-PHONETIC-NAME:{_vcard_escape(entry.name_latin)}")
        if entry.title:
            lines.append(f"TITLE:{_vcard_escape(entry.title)}")
        lines.append(f"ORG:{_vcard_escape(entry.authority.name)}")
        if entry.languages:
            lines += [f"LANG:{code}" for code in entry.languages]
    else:
        lines.append(f"FN:{_vcard_escape(entry.name)}")
        lines.append(f"ORG:{_vcard_escape(entry.name)}")
        lines.append("KIND:org")
        if entry.address:
            lines.append(
                f"ADR;TYPE=work:;;{_vcard_escape(entry.address)};;;;{entry.state.name('en')}"
            )
        if entry.phone_24_7:
            lines.append(
                f"TEL;TYPE=voice;PREF=1;VALUE=uri:tel:{entry.phone_24_7.replace(' ', '-')}"
            )
    if entry.phone:
        lines.append(f"TEL;TYPE=work,voice;VALUE=uri:tel:{entry.phone.replace(' ', '-')}")
    if entry.email:
        lines.append(f"EMAIL;TYPE=work:{entry.email}")
    lines.append(f"NOTE:{_vcard_escape('ARNet directory, ' + entry.state_code)}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"
