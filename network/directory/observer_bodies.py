"""Observer bodies: the intergovernmental organisations that take part in the network."""

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
from network.directory.changes import diff, require_version, snapshot
from network.directory.models import ObserverBody
from network.directory.validation import Fields, reject
from network.extensions import db


def list_observer_bodies() -> list[ObserverBody]:
    return list(db.session.scalars(select(ObserverBody).order_by(ObserverBody.acronym)))


def save_observer_body(
    actor: User | None,
    body_id: int | None,
    values: Mapping[str, Any],
    *,
    now: datetime,
    expected_version: int | None = None,
) -> ObserverBody:
    """Create (body_id None) or change an intergovernmental observer body.

    A change made from ``expected_version`` is refused once another change replaced it.
    """
    if actor is not None:
        require(actor, Action.MANAGE_OBSERVER_BODIES)
    fields = Fields(values, partial=body_id is not None)
    fields.unknown({"acronym", "name"})
    fields.text("acronym", 32, required=True)
    fields.text("name", 200, required=True)
    reject(fields)
    if body_id is None:
        body = ObserverBody()
        old: dict[str, Any] = {}
    else:
        found = load_for_change(db.session, ObserverBody, body_id)
        if found is None:
            raise NotFound(N_("No observer body with this id."), reason="observer_body_not_found")
        require_version(found, expected_version, "observer_body", found.id)
        body = found
        old = snapshot(body, ("acronym", "name"))
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
    audit.record(actor, action, "observer_body", body.id, diff(old, fields.clean), at=now)
    return body
