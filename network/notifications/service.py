"""In-app notifications and their e-mail: making one, listing, marking read, sending the outbox.

A notification carries a subject line and what it points at, never the content of a
case or a message: it may travel by e-mail, outside ARNet's encryption. Subjects are
rendered in the recipient's language (``render``) when the notice is made. E-mail is
written as pending with the notice and sent after the commit (``pending_emails`` then
``send_email`` one by one, each committed by the caller), so an SMTP failure
leaves it pending for the next run instead of losing it or sending it twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping
from datetime import datetime
from typing import Protocol

from sqlalchemy import ColumnElement, func, or_, select, update

from network.auth.models import User
from network.cases.access import reached_cases
from network.core.errors import NotFound
from network.core.events import DomainEvent, queue
from network.core.i18n import N_
from network.core.paging import page_of
from network.extensions import db
from network.notifications import preferences, render
from network.notifications.models import SUBJECT_MAX, EmailState, Notification
from network.schemas.vocabularies import CHOOSABLE_NOTICES, NoticeDelivery, NoticeTarget

log = logging.getLogger(__name__)

MAX_PER_PAGE = 100


class Mailer(Protocol):
    def send(self, to: str, subject: str, body: str) -> object: ...


# Set on the session when a notice whose e-mail goes at once was written; the HTTP edge
# sends such e-mails after the request (``http.notices``), the reminder job any left.
PROMPT_EMAILS = "arnet_prompt_emails"

_BY_DELIVERY = {
    NoticeDelivery.IN_APP: EmailState.NONE,
    NoticeDelivery.IMMEDIATE: EmailState.PENDING,
    NoticeDelivery.DIGEST: EmailState.DIGEST,
}

# The edge's link maker: the full URL of the page a notice points at, for its e-mail.
LinkTo = Callable[[Notification], str]


def notify(
    user: User,
    kind: str,
    *,
    case_id: int | None,
    params: Mapping[str, object],
    target: NoticeTarget,
    target_id: str,
    now: datetime,
    in_app: bool = True,
    email: bool = True,
    template: str | None = None,
) -> Notification:
    """Write a notice for one user, queue its live push, and leave its e-mail pending.

    For a kind the user chooses the delivery of (``preferences``), their choice decides
    whether the e-mail goes at once, waits for the daily digest, or is not sent.
    """
    email_state = EmailState.PENDING if email else EmailState.NONE
    if email and (delivery := preferences.delivery_of(user, kind)) is not None:
        email_state = _BY_DELIVERY[delivery]
    notification = Notification(
        user_id=user.id,
        kind=kind,
        case_id=case_id,
        subject=render.subject(user, kind, params, template)[:SUBJECT_MAX],
        target=target.value,
        target_id=target_id,
        created_at=now,
        in_app=in_app,
        email_state=email_state.value,
    )
    db.session.add(notification)
    db.session.flush()
    if email_state is EmailState.PENDING and kind in CHOOSABLE_NOTICES:
        db.session.info[PROMPT_EMAILS] = True
    if in_app:
        queue(
            db.session(),
            DomainEvent(
                "notification",
                {
                    "id": notification.id,
                    "kind": kind,
                    "case": case_id,
                    "subject": notification.subject,
                    "target": target.value,
                    "target_id": target_id,
                    "created_at": now.isoformat(),
                    "unread": unread_count(user),
                },
                user_id=user.id,
            ),
        )
    return notification


# --- the in-app list -------------------------------------------------------------------------


def _still_theirs(user: User) -> ColumnElement[bool]:
    """A notice about a case shows while the user reaches it; off its team, not its reference."""
    return or_(Notification.case_id.is_(None), Notification.case_id.in_(reached_cases(user)))


def unread_count(user: User) -> int:
    return (
        db.session.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == user.id,
                Notification.in_app.is_(True),
                Notification.read_at.is_(None),
                _still_theirs(user),
            )
        )
        or 0
    )


def notifications_for(
    user: User, *, page: int = 1, per_page: int = 20, unread_only: bool = False
) -> tuple[list[Notification], int]:
    """The user's own in-app notices, newest first."""
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(1, page)
    query = select(Notification).where(
        Notification.user_id == user.id, Notification.in_app.is_(True), _still_theirs(user)
    )
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    newest_first = (Notification.created_at.desc(), Notification.id.desc())
    return page_of(db.session, query, newest_first, page, per_page)


def mark_read(user: User, notification_id: int, now: datetime) -> Notification:
    """Mark one of the user's notices read; another user's looks like a missing one."""
    notification = db.session.scalar(
        select(Notification).where(
            Notification.id == notification_id,
            Notification.user_id == user.id,
            Notification.in_app.is_(True),
            _still_theirs(user),
        )
    )
    if notification is None:
        raise NotFound(N_("No such notification."), reason="notification_not_found")
    if notification.read_at is None:
        notification.read_at = now
        db.session.flush()
    return notification


def mark_all_read(user: User, now: datetime) -> int:
    result = db.session.execute(
        update(Notification)
        .where(
            Notification.user_id == user.id,
            Notification.in_app.is_(True),
            Notification.read_at.is_(None),
        )
        .values(read_at=now)
    )
    db.session.flush()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]  # CursorResult has rowcount


# --- the e-mail outbox -----------------------------------------------------------------------


def pending_emails(limit: int = 500) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.email_state == EmailState.PENDING.value)
            .order_by(Notification.id)
            .limit(limit)
        )
    )


def send_pending_emails(
    mailer: Mailer, link_to: LinkTo, now: datetime, *, kinds: Collection[str]
) -> int:
    """Send the pending e-mails of some kinds now, until one fails; the caller commits.

    Rows are locked as they are read and rows another sender holds are skipped
    (PostgreSQL), so two requests never send one e-mail twice; a failed e-mail and
    those after it stay pending for the reminder job.
    """
    pending = db.session.scalars(
        select(Notification)
        .where(
            Notification.email_state == EmailState.PENDING.value,
            Notification.kind.in_(list(kinds)),
        )
        .order_by(Notification.id)
        .limit(500)
        .with_for_update(skip_locked=True)
    ).all()
    sent = 0
    for notification in pending:
        try:
            send_email(mailer, notification, link_to, now)
        except OSError:  # smtplib errors are OSErrors
            log.warning("e-mail of notification %s left pending", notification.id, exc_info=True)
            break
        sent += 1
    return sent


def send_email(mailer: Mailer, notification: Notification, link_to: LinkTo, now: datetime) -> None:
    """Send one pending e-mail and mark it sent; the caller commits after each one."""
    if notification.email_state != EmailState.PENDING.value or not notification.user.active:
        notification.email_state = EmailState.NONE.value
        db.session.flush()
        return
    mailer.send(
        notification.user.email,
        render.email_subject(notification),
        render.email_body(notification, link_to(notification)),
    )
    notification.email_state = EmailState.SENT.value
    notification.emailed_at = now
    db.session.flush()
