"""Notification tables: in-app notices with their e-mail, reminders already sent, calendar feeds."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from network.auth.models import User
from network.core.types import UTCDateTime
from network.extensions import Model

SUBJECT_MAX = 1000


class EmailState(StrEnum):
    """An e-mail is written with the notification and sent after the commit (an outbox)."""

    NONE = "none"
    PENDING = "pending"
    SENT = "sent"
    # Waiting for the user's daily digest (``digests``), then sent with the others.
    DIGEST = "digest"


class Notification(Model):
    """One notice to one user: a subject line and what it points at, never a message's content.

    The subject is rendered in the recipient's language when the notice is made,
    so the e-mail and the in-app list say the same thing. ``target`` and ``target_id``
    name the page it opens (``NoticeTarget``); the edges turn them into a link.
    """

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    # Room for a break-glass reason quoted in full (cases/seating.py).
    subject: Mapped[str] = mapped_column(String(SUBJECT_MAX))
    target: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Offline-message notices go by e-mail only; they are not listed in the app.
    in_app: Mapped[bool] = mapped_column(default=True)
    email_state: Mapped[str] = mapped_column(String(10), default=EmailState.NONE.value, index=True)
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


class NoticePreference(Model):
    """How one user wants one kind of notice delivered; without a row, the kind's default."""

    __tablename__ = "notice_preferences"
    __table_args__ = (UniqueConstraint("user_id", "kind", name="uq_notice_preferences_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    delivery: Mapped[str] = mapped_column(String(10))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReminderSent(Model):
    """A reminder that went out; the unique key makes the job send each one once.

    ``threshold`` names the step (``2026-03-31:7`` for the 7-day reminder of an
    order expiring on 31 March), so an extended order, with a new expiry, is
    reminded afresh.
    """

    __tablename__ = "reminders_sent"
    __table_args__ = (
        UniqueConstraint(
            "rule", "object_id", "threshold", "recipient_id", name="uq_reminders_sent_key"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rule: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int]
    threshold: Mapped[str] = mapped_column(String(40))
    recipient_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="SET NULL")
    )
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CalendarFeed(Model):
    """A user's private calendar URL; only a hash of its secret is kept, revocation ends it."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
