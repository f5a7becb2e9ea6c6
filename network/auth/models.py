"""Accounts, second factors, browser sessions and personal access tokens."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from network.core.types import UTCDateTime
from network.extensions import Model
from network.sealing.fields import ACCOUNTS_KEY, sealed_optional_text

if TYPE_CHECKING:
    # The directory sits above auth: its models are named, not imported, at run time.
    from network.directory.models import Authority, ObserverBody, State


class User(Model):
    """Someone who signs in: a State practitioner or administrator, an observer, the secretariat."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    state_code: Mapped[str | None] = mapped_column(ForeignKey("states.code"), index=True)
    authority_id: Mapped[int | None] = mapped_column(ForeignKey("authorities.id"))
    body_id: Mapped[int | None] = mapped_column(ForeignKey("observer_bodies.id"))
    # Null until the user sets one through an enrolment code.
    password_hash: Mapped[str | None] = mapped_column(String(200))
    # The TOTP seed, sealed with the accounts data key and bound to this row.
    totp_secret_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    totp_secret = sealed_optional_text(ACCOUNTS_KEY)
    # The last accepted TOTP time step; a code for this step or an earlier one is a replay.
    totp_last_step: Mapped[int | None]
    enrolment_code_hash: Mapped[str | None] = mapped_column(String(64))
    enrolment_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    active: Mapped[bool] = mapped_column(default=True)
    is_demo: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str | None] = mapped_column(String(8))
    time_zone: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    state: Mapped[State | None] = relationship("State", lazy="joined")
    authority: Mapped[Authority | None] = relationship("Authority", foreign_keys=[authority_id])
    body: Mapped[ObserverBody | None] = relationship("ObserverBody", foreign_keys=[body_id])

    # Flask-Login's user protocol, spelled out rather than mixed in.
    is_anonymous = False

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return str(self.id)

    @property
    def has_second_factor(self) -> bool:
        return self.totp_secret_sealed is not None

    @property
    def recipient_locale(self) -> str:
        """The language ARNet writes to the user in (notices, e-mail): theirs, else English."""
        return self.locale or "en"


class RecoveryCode(Model):
    """One of ten single-use codes that stand in for a lost authenticator; kept hashed."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class UserSession(Model):
    """A signed-in browser; the cookie holds its random id, the table holds a hash of it."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    client_address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(300))

    user: Mapped[User] = relationship()


class AccessToken(Model):
    """A personal access token for programs; shown once, stored as a hash."""

    __tablename__ = "access_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters, so a user can tell tokens apart without the secret.
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
