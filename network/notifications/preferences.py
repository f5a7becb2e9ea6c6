"""Each user's choice, per kind of notice, of how it reaches them: in the app, at once, or daily.

Every notice is listed in the app and pushed live; the choice is about its e-mail.
Defaults, for a kind the user never chose: what asks for action or changes what is
held (a request's status, an order recorded, extended or lifted, a disclosure
received, an enquiry, an ask, a seat) goes at once; a draft shared for comment
comes in the daily digest; an acknowledged disclosure stays in the app. Reminders
of deadlines and of unread messages are not choosable: they always go by e-mail.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select

from network.auth.models import User
from network.core.errors import InvalidInput
from network.core.i18n import N_
from network.extensions import db
from network.notifications.models import NoticePreference
from network.schemas.vocabularies import (
    CHOOSABLE_NOTICES,
    NoticeDelivery,
    NotificationKind,
)

DEFAULTS: dict[str, NoticeDelivery] = {
    kind: NoticeDelivery.IMMEDIATE for kind in CHOOSABLE_NOTICES
} | {
    NotificationKind.DRAFT_SHARED.value: NoticeDelivery.DIGEST,
    NotificationKind.DISCLOSURE_ACKNOWLEDGED.value: NoticeDelivery.IN_APP,
}


def delivery_of(user: User, kind: str) -> NoticeDelivery | None:
    """How the user wants notices of ``kind``; None for a kind that is not choosable."""
    if kind not in CHOOSABLE_NOTICES:
        return None
    chosen = db.session.scalar(
        select(NoticePreference.delivery).where(
            NoticePreference.user_id == user.id, NoticePreference.kind == kind
        )
    )
    return NoticeDelivery(chosen) if chosen else DEFAULTS[kind]


def preferences_of(user: User) -> dict[str, NoticeDelivery]:
    """Every choosable kind with the user's delivery for it, chosen or by default."""
    rows = db.session.execute(
        select(NoticePreference.kind, NoticePreference.delivery).where(
            NoticePreference.user_id == user.id
        )
    )
    chosen = {row.kind: row.delivery for row in rows}
    return {
        kind: NoticeDelivery(chosen[kind]) if kind in chosen else DEFAULTS[kind]
        for kind in CHOOSABLE_NOTICES
    }


def set_preferences(
    user: User, choices: Mapping[str, str], now: datetime
) -> dict[str, NoticeDelivery]:
    """Record the user's choices for the kinds named; the others keep theirs."""
    unknown = sorted(set(choices) - set(CHOOSABLE_NOTICES))
    if unknown:
        problem = N_("Not a kind of notice one chooses.")
        raise InvalidInput(problem, {kind: [problem] for kind in unknown})
    rows = {
        row.kind: row
        for row in db.session.scalars(
            select(NoticePreference).where(NoticePreference.user_id == user.id)
        )
    }
    for kind, delivery in choices.items():
        value = NoticeDelivery(delivery).value
        row = rows.get(kind)
        if row is None:
            db.session.add(
                NoticePreference(user_id=user.id, kind=kind, delivery=value, changed_at=now)
            )
        elif row.delivery != value:
            row.delivery, row.changed_at = value, now
    db.session.flush()
    return preferences_of(user)
