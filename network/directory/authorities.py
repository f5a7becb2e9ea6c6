"""Authorities: each State's central authorities, FIUs and asset-recovery offices."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select

from network.audit import service as audit
from network.auth.models import User
from network.auth.policy import Action, require
from network.core.errors import InvalidInput, NotFound
from network.core.i18n import N_
from network.core.locking import load_for_change
from network.core.paging import page_of
from network.directory.changes import (
    add_entry,
    diff,
    first_confirmation,
    require_version,
    snapshot,
)
from network.directory.models import Authority, State
from network.directory.search_terms import index_authorities
from network.directory.validation import Fields, check_key, reject
from network.extensions import db
from network.schemas.directory_vocabularies import (
    AUTHORITY_CHANNELS,
    AUTHORITY_KINDS,
    AUTHORITY_STATUSES,
    MEMBERSHIP_STATUSES,
    NETWORKS,
    TRANSMISSION_MEANS,
)

AUTHORITY_FIELDS = (
    # who and where
    "key", "kind", "name", "name_en", "address", "phone", "phone_24_7", "email",
    # when the office answers, and in which languages
    "time_zone", "office_days", "opens_at", "closes_at", "languages",
    # how requests reach it
    "transmission_means", "encryption_required", "e_signature_required", "channels",
    "oral_urgent_requests",
    # its networks, where the entry comes from, whether it is current
    "networks", "source", "status",
)


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
    check_key(Authority, fields, None)
    reject(fields)
    authority = Authority(
        state_code=state.code,
        details={},
        is_demo=is_demo,
        **first_confirmation(actor, confirmed_at, now),
        **fields.clean,
    )
    authority.state = state
    return add_entry(
        authority, index_authorities, actor, "authority", state.code, fields.clean, now
    )


def get_authority(authority_id: int, *, for_change: bool = False) -> Authority:
    """One authority; ``for_change`` locks it until commit (``load_for_change``)."""
    if for_change:
        authority = load_for_change(db.session, Authority, authority_id)
    else:
        authority = db.session.get(Authority, authority_id)
    if authority is None:
        raise NotFound(N_("No authority with this id."), reason="authority_not_found")
    return authority


def update_authority(
    actor: User | None,
    authority_id: int,
    values: Mapping[str, Any],
    *,
    now: datetime,
    expected_version: int | None = None,
) -> Authority:
    """Change an authority; saving counts as confirming the entry is current.

    ``expected_version`` is the version the editor saw; another change since refuses the edit.
    """
    authority = get_authority(authority_id, for_change=True)
    if actor is not None:
        require(actor, Action.EDIT_STATE_DIRECTORY, authority.state_code)
    require_version(authority, expected_version, "authority", authority.id)
    fields = clean_authority(values, partial=True)
    _check_hours(fields, authority)
    check_key(Authority, fields, authority.id)
    reject(fields)
    details = diff(snapshot(authority, AUTHORITY_FIELDS), fields.clean)
    for name, value in fields.clean.items():
        setattr(authority, name, value)
    authority.last_confirmed_at = now
    authority.last_confirmed_by_id = actor.id if actor is not None else None
    db.session.flush()
    index_authorities([authority])
    audit.record(actor, "directory.authority.updated", "authority", authority.id, details, at=now)
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
    return page_of(db.session, query, (Authority.state_code, Authority.id), page, per_page)
