"""Disclosure tables: what one State handed another unasked, and what came of it.

An art. 52(2)(b) notification also records when the notifying State told its financial
institutions, for which period, and what they reported back (``NotificationResult``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from network.auth.models import User
from network.core.types import UTCDateTime
from network.extensions import Model
from network.sealing.fields import OWN_KEY, sealed_json, sealed_text


class Disclosure(Model):
    """One disclosure or notification from one State to another.

    It lives outside any case, so it has a data key of its own (``data_key_id``):
    summary, subjects and the H3 restriction are sealed with it.
    """

    __tablename__ = "disclosures"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str] = mapped_column(ForeignKey("states.code"), index=True)
    to_state: Mapped[str] = mapped_column(ForeignKey("states.code"), index=True)
    reference: Mapped[str] = mapped_column(String(100), default="")
    handling_code: Mapped[str] = mapped_column(String(2))
    source_grade: Mapped[str | None] = mapped_column(String(1))
    information_grade: Mapped[str | None] = mapped_column(String(1))
    data_key_id: Mapped[int] = mapped_column(ForeignKey("data_keys.id"))
    scheme: Mapped[str] = mapped_column(String(32))
    # JSON {"summary", "subjects": [{"name", "role"}], "handling_note"}; a 52(2)(b) notification
    # adds "scope", "persons": [{"name", "born_on", "identifier"}] and
    # "accounts": [{"number", "iban", "institution"}].
    body_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    body = sealed_json(OWN_KEY)
    status: Mapped[str] = mapped_column(String(16), index=True)
    status_since: Mapped[datetime] = mapped_column(UTCDateTime())
    led_to_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    led_to_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("assistance_requests.id", ondelete="SET NULL")
    )
    sent_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    # A 52(2)(b) notification: the day the financial institutions were told, and the period
    # of accounts and transactions they were asked to scrutinise.
    notified_on: Mapped[date | None] = mapped_column(Date())
    period_start: Mapped[date | None] = mapped_column(Date())
    period_end: Mapped[date | None] = mapped_column(Date())
    # Counts the record's changes; an edit of a notification's details names the version it
    # was made from (ETag, forms).
    version: Mapped[int] = mapped_column(server_default="1")

    sent_by: Mapped[User] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (read by the mapper)


class DisclosureEvent(Model):
    """One step of a disclosure's status history: who, when, and a note (sealed)."""

    __tablename__ = "disclosure_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    disclosure_id: Mapped[int] = mapped_column(
        ForeignKey("disclosures.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    note_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    note = sealed_text(OWN_KEY.via("disclosure_id", Disclosure))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    actor_state: Mapped[str | None] = mapped_column(ForeignKey("states.code"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())

    actor: Mapped[User] = relationship()


class NotificationResult(Model):
    """What a financial institution reported back on a 52(2)(b) notification.

    The institution and its summary are sealed with the notification's data key.
    """

    __tablename__ = "notification_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    disclosure_id: Mapped[int] = mapped_column(
        ForeignKey("disclosures.id", ondelete="CASCADE"), index=True
    )
    reported_on: Mapped[date] = mapped_column(Date())
    accounts_found: Mapped[int] = mapped_column(Integer())
    # JSON {"institution", "summary"}.
    body_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    body = sealed_json(OWN_KEY.via("disclosure_id", Disclosure))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())

    recorded_by: Mapped[User] = relationship()
