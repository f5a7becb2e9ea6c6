"""The daily digest: one e-mail a day listing the notices a user chose to read that way.

A notice of a kind the user set to "daily digest" is written with the e-mail state
"digest"; the reminder job gathers them per user and sends one e-mail with each
notice's subject and link, never content, at most once per user per day (UTC),
keyed in ``reminders_sent`` like a reminder. A notice about a case the user no
longer reaches is dropped from it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from network.auth.models import User
from network.cases.access import my_scopes
from network.extensions import db
from network.notifications import render
from network.notifications.models import EmailState, Notification, ReminderSent
from network.notifications.service import LinkTo, Mailer

RULE_DIGEST = "daily_digest"


def digest_recipients() -> list[User]:
    """The users with notices waiting for their digest."""
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.id.in_(
                    select(Notification.user_id).where(
                        Notification.email_state == EmailState.DIGEST.value
                    )
                )
            )
            .order_by(User.id)
        )
    )


def _waiting(user: User) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification)
            .where(
                Notification.user_id == user.id,
                Notification.email_state == EmailState.DIGEST.value,
            )
            .order_by(Notification.id)
        )
    )


def _first_today(user: User, now: datetime) -> bool:
    """Claim today's digest for the user; a run that claimed it first wins, once."""
    try:
        with db.session.begin_nested():
            db.session.add(
                ReminderSent(
                    rule=RULE_DIGEST,
                    object_id=user.id,
                    threshold=now.date().isoformat(),
                    recipient_id=user.id,
                    sent_at=now,
                )
            )
            db.session.flush()
    except IntegrityError:
        return False
    return True


def send_digest(mailer: Mailer, user: User, link_to: LinkTo, now: datetime) -> int:
    """Send the user's digest unless one went today; the caller commits. How many it listed."""
    waiting = _waiting(user)
    reachable = my_scopes(user)
    listed = [each for each in waiting if each.case_id is None or each.case_id in reachable]
    if not user.active or not listed:
        for each in waiting:
            each.email_state = EmailState.NONE.value
        db.session.flush()
        return 0
    if not _first_today(user, now):
        return 0
    mailer.send(
        user.email,
        render.digest_subject(user, len(listed)),
        render.digest_body(user, [(each.subject, link_to(each)) for each in listed]),
    )
    for each in waiting:
        each.email_state = (EmailState.SENT if each in listed else EmailState.NONE).value
        each.emailed_at = now if each in listed else None
    db.session.flush()
    return len(listed)
