"""Private iCalendar feeds of a user's deadlines: the secret URL, its revocation, the .ics text."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from icalendar import Calendar, Event
from sqlalchemy import select

from network.audit import service as audit
from network.auth.models import User
from network.core.errors import NotFound
from network.core.i18n import N_
from network.extensions import db
from network.notifications.deadlines import Deadline
from network.notifications.models import CalendarFeed

SECRET_BYTES = 32
PRODID = "-//ARNet//Deadlines//EN"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def current_feed(user: User) -> CalendarFeed | None:
    return db.session.scalar(
        select(CalendarFeed).where(
            CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None)
        )
    )


def create_feed(user: User, now: datetime) -> tuple[CalendarFeed, str]:
    """Make (or remake) the user's feed; the old URL stops working. The secret is shown once."""
    for old in db.session.scalars(
        select(CalendarFeed).where(
            CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None)
        )
    ):
        old.revoked_at = now
    secret = secrets.token_urlsafe(SECRET_BYTES)
    feed = CalendarFeed(user_id=user.id, secret_hash=_hash(secret), created_at=now)
    db.session.add(feed)
    db.session.flush()
    audit.record(user, "calendar_feed.created", "calendar_feed", feed.id, {}, at=now)
    return feed, secret


def revoke_feed(user: User, now: datetime) -> None:
    feed = current_feed(user)
    if feed is None:
        raise NotFound(N_("You have no calendar feed."), reason="calendar_not_found")
    feed.revoked_at = now
    db.session.flush()
    audit.record(user, "calendar_feed.revoked", "calendar_feed", feed.id, {}, at=now)


def feed_owner(secret: str, now: datetime) -> User:
    """The active user whose live feed has this secret; anything else is 'not found'."""
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.secret_hash == _hash(secret)))
    if feed is None or feed.revoked_at is not None or not feed.user.active:
        raise NotFound(N_("No such calendar."), reason="calendar_not_found")
    feed.last_fetched_at = now
    db.session.flush()
    return feed.user


def build_ics(
    deadlines: Sequence[Deadline],
    name: str,
    now: datetime,
    *,
    title: Callable[[Deadline], str],
    description: Callable[[Deadline], str],
) -> bytes:
    """One all-day event per deadline, named by case reference and kind, never by content."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for deadline in deadlines:
        event = Event()
        event.add("uid", f"{deadline.key}@arnet")
        event.add("dtstamp", now)
        event.add("summary", title(deadline))
        event.add("dtstart", deadline.due_on)
        event.add("dtend", deadline.due_on + timedelta(days=1))
        event.add("description", description(deadline))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
