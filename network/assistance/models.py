"""Request tables: the formal request, its status history, status enquiries and delay notices."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from network.auth.models import User
from network.cases.models import CASE_KEY
from network.core.types import UTCDateTime
from network.extensions import Model
from network.sealing.fields import sealed_json, sealed_optional_text, sealed_text


class AssistanceRequest(Model):
    """One formal request from the case's requesting State to one of its requested States.

    The article 46(15) contents and the reason for the requester's deadline are
    sealed together (``contents_sealed``, a JSON object) with the case's data
    key; ``status`` and ``status_since`` follow the last row of the history and
    are never typed in.
    """

    __tablename__ = "assistance_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    requesting_state: Mapped[str] = mapped_column(ForeignKey("states.code"))
    requested_state: Mapped[str] = mapped_column(ForeignKey("states.code"), index=True)
    reference: Mapped[str] = mapped_column(String(100), default="")
    legal_basis: Mapped[str] = mapped_column(String(16))
    legal_basis_text: Mapped[str] = mapped_column(String(500), default="")
    transmission_channel: Mapped[str] = mapped_column(String(24))
    language: Mapped[str | None] = mapped_column(String(8))
    urgent: Mapped[bool] = mapped_column(default=False)
    # For a request of kind recognition only: 54(1)(a) conviction-based, or 54(1)(c) not.
    conviction_based: Mapped[bool | None] = mapped_column()
    deadline_on: Mapped[date | None] = mapped_column(Date())
    contents_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    contents = sealed_json(CASE_KEY)
    status: Mapped[str] = mapped_column(String(32), index=True)
    status_since: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Counts the record's changes; an edit names the version it was made from (ETag, forms).
    version: Mapped[int] = mapped_column(server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (read by the mapper)

    created_by: Mapped[User] = relationship()


# A request's steps, enquiries and delays are sealed with its case's data key.
REQUEST_CASE_KEY = CASE_KEY.via("request_id", AssistanceRequest)


class RequestTransition(Model):
    """One step of a request's status history: from, to, who, when, why (reason sealed)."""

    __tablename__ = "request_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("assistance_requests.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    reason_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    reason = sealed_text(REQUEST_CASE_KEY)
    # A refusal's ground (46(21), 46(9)); a code, so statistics can count refusals by ground.
    grounds: Mapped[str | None] = mapped_column(String(32))
    postponed_until: Mapped[date | None] = mapped_column(Date())
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    actor_state: Mapped[str | None] = mapped_column(ForeignKey("states.code"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)

    actor: Mapped[User] = relationship()


class StatusEnquiry(Model):
    """A question on a request's progress (46(24)) and, once given, its answer."""

    __tablename__ = "request_status_enquiries"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("assistance_requests.id", ondelete="CASCADE"), index=True
    )
    question_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    question = sealed_text(REQUEST_CASE_KEY)
    asked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime())
    answer_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    answer = sealed_optional_text(REQUEST_CASE_KEY)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    asked_by: Mapped[User] = relationship(foreign_keys=[asked_by_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])


class DelayNotice(Model):
    """The requested side's notice that execution will take longer (46(24)): how long and why."""

    __tablename__ = "request_delay_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("assistance_requests.id", ondelete="CASCADE"), index=True
    )
    delay_days: Mapped[int]
    expected_on: Mapped[date | None] = mapped_column(Date())
    reason_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    reason = sealed_text(REQUEST_CASE_KEY)
    given_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime())

    given_by: Mapped[User] = relationship()
