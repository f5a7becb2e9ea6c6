"""Focal points: the people of each State's authorities, and who answers a State's cases."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select

from network.audit import service as audit
from network.auth.models import User
from network.auth.policy import Action, require
from network.core.errors import NotFound
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
from network.directory.models import Authority, FocalPoint
from network.directory.search_terms import index_focal_points
from network.directory.validation import Fields, check_key, reject
from network.extensions import db
from network.schemas.directory_vocabularies import (
    EXPERTISE,
    FOCAL_POINT_STATUSES,
    MEMBERSHIP_STATUSES,
    NETWORKS,
)
from network.schemas.vocabularies import Role

FOCAL_POINT_FIELDS = (
    "key", "authority_id", "name", "name_latin", "title", "email", "phone",
    "languages", "expertise", "networks", "user_id", "status",
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
        reject(fields)
        raise AssertionError  # unreachable: _reject raised
    if actor is not None:
        require(actor, Action.EDIT_STATE_DIRECTORY, authority.state_code)
    _check_focal_point_links(fields, authority.state_code)
    check_key(FocalPoint, fields, None)
    reject(fields)
    focal_point = FocalPoint(
        state_code=authority.state_code,
        is_demo=is_demo,
        **first_confirmation(actor, confirmed_at, now),
        **fields.clean,
    )
    focal_point.authority = authority
    focal_point.state = authority.state
    return add_entry(
        focal_point, index_focal_points, actor, "focal_point", authority.state_code,
        fields.clean, now,
    )


def get_focal_point(focal_point_id: int, *, for_change: bool = False) -> FocalPoint:
    """One focal point; ``for_change`` locks it until commit (``load_for_change``)."""
    if for_change:
        focal_point = load_for_change(db.session, FocalPoint, focal_point_id)
    else:
        focal_point = db.session.get(FocalPoint, focal_point_id)
    if focal_point is None:
        raise NotFound(N_("No focal point with this id."), reason="focal_point_not_found")
    return focal_point


def update_focal_point(
    actor: User | None,
    focal_point_id: int,
    values: Mapping[str, Any],
    *,
    now: datetime,
    expected_version: int | None = None,
) -> FocalPoint:
    """Change a focal point, confirming it; refused if changed since ``expected_version``."""
    focal_point = get_focal_point(focal_point_id, for_change=True)
    if actor is not None:
        require(actor, Action.EDIT_STATE_DIRECTORY, focal_point.state_code)
    require_version(focal_point, expected_version, "focal_point", focal_point.id)
    fields = clean_focal_point(values, partial=True)
    _check_focal_point_links(fields, focal_point.state_code)
    check_key(FocalPoint, fields, focal_point.id)
    reject(fields)
    details = diff(snapshot(focal_point, FOCAL_POINT_FIELDS), fields.clean)
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
    return page_of(db.session, query, (FocalPoint.state_code, FocalPoint.id), page, per_page)


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
