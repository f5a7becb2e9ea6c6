"""Case tables: the case, each side's reference and team, its channels, stage and seat history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from network.auth.models import User
from network.core.types import UTCDateTime
from network.extensions import Model
from network.schemas.vocabularies import ChannelKind, Stage
from network.sealing.fields import OWN_KEY, sealed_optional_text, sealed_text


class Case(Model):
    """One matter between a requesting State and one or more requested States.

    Title and summary are sealed with the case's own data key (``data_key_id``),
    bound to this row and field; nothing about the matter is stored in clear.
    """

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    requesting_state: Mapped[str] = mapped_column(ForeignKey("states.code"), index=True)
    data_key_id: Mapped[int] = mapped_column(ForeignKey("data_keys.id"))
    scheme: Mapped[str] = mapped_column(String(32))
    title_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    summary_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    title = sealed_text(OWN_KEY)
    summary = sealed_text(OWN_KEY)
    stage: Mapped[str] = mapped_column(String(32), default=Stage.INFORMAL_CONSULTATION.value)
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Counts the case's changes (its stage, a side's reference); an edit names the version it
    # was made from (the API's ETag and If-Match).
    version: Mapped[int] = mapped_column(server_default="1")

    opened_by: Mapped[User] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (read by the mapper)


# A record of a case is sealed with the case's data key, reached through its case_id.
CASE_KEY = OWN_KEY.via("case_id", Case)


class CaseReference(Model):
    """A side's own file number for the case; each State sets only its own."""

    __tablename__ = "case_references"
    __table_args__ = (UniqueConstraint("case_id", "state_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    state_code: Mapped[str] = mapped_column(ForeignKey("states.code"))
    reference: Mapped[str] = mapped_column(String(100))
    set_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TeamMember(Model):
    """A State's user working the case for that State (its side); removal ends the row."""

    __tablename__ = "case_team_members"
    __table_args__ = (UniqueConstraint("case_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    state_code: Mapped[str] = mapped_column(ForeignKey("states.code"))
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class StageChange(Model):
    """One step of a case's stage history: who moved it, when and why."""

    __tablename__ = "case_stage_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    from_stage: Mapped[str | None] = mapped_column(String(32))
    to_stage: Mapped[str] = mapped_column(String(32))
    # The reason may name people or assets, so it is sealed with the case's data key.
    reason_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    reason = sealed_text(CASE_KEY)
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime())

    changed_by: Mapped[User] = relationship()


class Channel(Model):
    """A conversation of the case: bilateral with one requested State, or a multilateral table.

    A bilateral channel names its requested State; a multilateral one names none
    (``requested_state`` is null) and lists its invited States in ``channel_parties``.
    """

    __tablename__ = "channels"
    __table_args__ = (UniqueConstraint("case_id", "requested_state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), server_default=ChannelKind.BILATERAL.value)
    requested_state: Mapped[str | None] = mapped_column(ForeignKey("states.code"))
    data_key_id: Mapped[int] = mapped_column(ForeignKey("data_keys.id"))
    # The seq of the newest message; incremented under a row lock, so seqs have no gaps.
    last_seq: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    case: Mapped[Case] = relationship()


class ChannelParty(Model):
    """A requested State invited to a multilateral channel, and its answer.

    Its users sit in the channel only once the State accepted (``answer``); a
    pending or declined State has no seat there and reads nothing of it.
    """

    __tablename__ = "channel_parties"
    __table_args__ = (UniqueConstraint("channel_id", "state_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(
        ForeignKey("channels.id", ondelete="CASCADE"), index=True
    )
    state_code: Mapped[str] = mapped_column(ForeignKey("states.code"))
    answer: Mapped[str] = mapped_column(String(16))
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime())
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ChannelMember(Model):
    """Who may read and write a channel; ``removed_at`` ends the membership for good."""

    __tablename__ = "channel_members"
    __table_args__ = (
        UniqueConstraint("channel_id", "user_id"),
        # A user's current seats and their channels from the index alone: every list of
        # "my cases" (cases, deadlines, notices) starts from them.
        Index("ix_channel_members_user_seats", "user_id", "removed_at", "kind", "channel_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(16))
    # For an observer, the State (a side of the channel) whose party invited them.
    invited_by_state: Mapped[str | None] = mapped_column(ForeignKey("states.code"))
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    # Read position: the highest seq this member has read; it only moves forward.
    read_seq: Mapped[int] = mapped_column(default=0)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")


class SeatChange(Model):
    """One line of the case history: who joined or left which side or channel, when, by whom.

    Kept apart from the team and channel rows, which a return to the case
    overwrites, so the history keeps every seat ever taken. ``state_code`` is the
    side concerned (for an observer, the side whose party invited them); a
    break-glass reason is sealed with the case's data key, bound to this row.
    """

    __tablename__ = "case_seat_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    move: Mapped[str] = mapped_column(String(8))
    seat: Mapped[str] = mapped_column(String(16))
    state_code: Mapped[str] = mapped_column(ForeignKey("states.code"))
    # Null for a team seat (every channel of the side); the channel for an observer's seat.
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    reason = sealed_optional_text(CASE_KEY)

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    by: Mapped[User] = relationship(foreign_keys=[by_id], lazy="joined")
