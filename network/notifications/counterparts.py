"""Telling one side what the other side did: a request's step, an order, a disclosure.

Subscribed to ``cases.counterparts.RECORDED``: each step one side records that the
other side should know becomes a notice to every current member of the other side,
in the app, pushed live after the commit, and by e-mail as each member chose. Never
to the actor's own side, nor to observers; the subject names the case by the
recipient's own reference and says what happened, never a title, a name or a text.
"""

from __future__ import annotations

from sqlalchemy import select

from network.auth.models import User
from network.cases.access import PARTY_ROLES, relationship_members
from network.cases.counterparts import Recorded
from network.cases.references import case_reference
from network.directory.models import State
from network.extensions import db
from network.notifications import render
from network.notifications import service as notifications


def _other_side(fact: Recorded) -> list[User]:
    """The members to tell: the relationship's other team, or the other State's parties."""
    if fact.case_id is not None:
        members = relationship_members(fact.case_id, fact.state)
    else:
        members = list(
            db.session.scalars(
                select(User)
                .where(
                    User.state_code == fact.state,
                    User.role.in_(PARTY_ROLES),
                    User.active.is_(True),
                )
                .order_by(User.id)
            )
        )
    return [user for user in members if user.active and user.state_code != fact.actor.state_code]


def announce(fact: object) -> None:
    """Write one notice per member of the other side."""
    assert isinstance(fact, Recorded)  # noqa: S101 - only recorded steps are subscribed
    kind = fact.kind.value
    template = render.SUBJECT_VARIANTS[(kind, fact.variant)] if fact.variant else None
    actor_state = db.session.get(State, fact.actor.state_code) if fact.actor.state_code else None
    for user in _other_side(fact):
        params = dict(fact.words)
        if fact.case_id is not None:
            params["reference"] = case_reference(fact.case_id, user.state_code)
        elif actor_state is not None:
            params["state"] = actor_state.name(user.recipient_locale)
        notifications.notify(
            user,
            kind,
            case_id=fact.case_id,
            params=params,
            target=fact.target,
            target_id=str(fact.target_id),
            now=fact.now,
            template=template,
        )
