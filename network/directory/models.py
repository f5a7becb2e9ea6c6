"""Directory models: who is who in each State's asset-recovery network."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from network.core.types import UTCDateTime
from network.extensions import db


class State(db.Model):
    """A UN member or observer State, keyed by its ISO 3166 alpha-3 code."""

    __tablename__ = "states"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    # Names from CLDR keyed by ar/zh/en/fr/ru/es.
    names: Mapped[dict[str, str]] = mapped_column(JSON)
    uncac_status: Mapped[str] = mapped_column(String(16), default="none")
    region: Mapped[str | None] = mapped_column(String(16))
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    # True where UNCAC status and region come from the demo seed, not an administrator.
    is_demo_data: Mapped[bool] = mapped_column(default=False)

    def name(self, locale: str = "en") -> str:
        """The State's name in a UN language, English when that one is missing."""
        return self.names.get(locale) or self.names["en"]


class ObserverBody(db.Model):
    """An intergovernmental body whose users observe channels they are invited to."""

    __tablename__ = "observer_bodies"

    id: Mapped[int] = mapped_column(primary_key=True)
    acronym: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class Authority(db.Model):
    """A State body: central authority, asset-recovery office, FIU, prosecution ..."""

    __tablename__ = "authorities"

    id: Mapped[int] = mapped_column(primary_key=True)
    state_code: Mapped[str] = mapped_column(ForeignKey("states.code"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str | None] = mapped_column(String(300))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    last_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
