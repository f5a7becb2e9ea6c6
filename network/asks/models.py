"""Ask tables: what one side of a relationship asks the other, by when, and the answer."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from network.auth.models import User
from network.cases.models import CASE_KEY
from network.core.types import UTCDateTime
from network.extensions import Model
from network.sealing.fields import sealed_optional_text, sealed_text


class Ask(Model):
    """One ask in a bilateral relationship of a case, and once given, its answer.

    The relationship is named, as for every tracking record, by ``requested_state``;
    ``asked_state`` is the side that must answer, by the end of ``due_on`` in its own
    time zone. The text and the answer's reason are sealed with the case's data key.
    """

    __tablename__ = "asks"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"))
    requested_state: Mapped[str] = mapped_column(ForeignKey("states.code"))
    asking_state: Mapped[str] = mapped_column(ForeignKey("states.code"))
    asked_state: Mapped[str] = mapped_column(ForeignKey("states.code"))
    kind: Mapped[str] = mapped_column(String(16))
    due_on: Mapped[date] = mapped_column(Date())
    text_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    text = sealed_text(CASE_KEY)
    measure_id: Mapped[int | None] = mapped_column(
        ForeignKey("provisional_measures.id", ondelete="SET NULL")
    )
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("assistance_requests.id", ondelete="SET NULL")
    )
    asked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Null while the ask waits for its answer (the deadline engine reads only these).
    outcome: Mapped[str | None] = mapped_column(String(16), index=True)
    reason_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    reason = sealed_optional_text(CASE_KEY)
    # What the answer points at when it was recorded elsewhere: the order's extension.
    extension_id: Mapped[int | None] = mapped_column(
        ForeignKey("measure_extensions.id", ondelete="SET NULL")
    )
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    asked_by: Mapped[User] = relationship(foreign_keys=[asked_by_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])
