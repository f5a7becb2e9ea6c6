"""Directory models: who is who in each State's asset-recovery network."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from network.core.types import UTCDateTime
from network.extensions import Model

if TYPE_CHECKING:
    from network.auth.models import User


class State(Model):
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
    # A UN observer State (Holy See, State of Palestine) rather than a member.
    is_observer_state: Mapped[bool] = mapped_column(default=False)
    # Normalised names for ranking; the indexed lookup goes through SearchTerm.
    search_text: Mapped[str] = mapped_column(Text, default="")
    # Counts the record's changes; an edit names the version it was made from (ETag, forms).
    version: Mapped[int] = mapped_column(server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (read by the mapper)

    def name(self, locale: str = "en") -> str:
        """The State's name in a UN language, English when that one is missing."""
        return self.names.get(locale) or self.names["en"]


class ObserverBody(Model):
    """An intergovernmental body whose users observe channels they are invited to."""

    __tablename__ = "observer_bodies"

    id: Mapped[int] = mapped_column(primary_key=True)
    acronym: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Counts the record's changes; an edit names the version it was made from (ETag, forms).
    version: Mapped[int] = mapped_column(server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (read by the mapper)


class Authority(Model):
    """A State body: central authority, asset-recovery office, FIU, prosecution ..."""

    __tablename__ = "authorities"

    id: Mapped[int] = mapped_column(primary_key=True)
    # A stable key that survives export and import (ids do not).
    key: Mapped[str | None] = mapped_column(String(64), unique=True)
    state_code: Mapped[str] = mapped_column(ForeignKey("states.code"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str | None] = mapped_column(String(300))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    address: Mapped[str] = mapped_column(String(1000), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    phone_24_7: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    # ISO weekdays the office is open ("12345" is Monday to Friday) and its hours, local time.
    office_days: Mapped[str] = mapped_column(String(7), default="12345")
    opens_at: Mapped[str] = mapped_column(String(5), default="09:00")
    closes_at: Mapped[str] = mapped_column(String(5), default="17:00")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    transmission_means: Mapped[list[str]] = mapped_column(JSON, default=list)
    encryption_required: Mapped[bool] = mapped_column(default=False)
    e_signature_required: Mapped[bool] = mapped_column(default=False)
    channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    oral_urgent_requests: Mapped[bool] = mapped_column(default=False)
    # [{"network": "egmont", "status": "member"}, ...]
    networks: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(16), default="active")
    is_demo: Mapped[bool] = mapped_column(default=False)
    last_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", use_alter=True))
    search_text: Mapped[str] = mapped_column(Text, default="")
    # Counts the record's changes; an edit names the version it was made from (ETag, forms).
    version: Mapped[int] = mapped_column(server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (read by the mapper)

    state: Mapped[State] = relationship(lazy="joined")
    last_confirmed_by: Mapped[User | None] = relationship(foreign_keys=[last_confirmed_by_id])


class FocalPoint(Model):
    """A named practitioner reachable directly; one person, however many networks they serve."""

    __tablename__ = "focal_points"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str | None] = mapped_column(String(64), unique=True)
    state_code: Mapped[str] = mapped_column(ForeignKey("states.code"), index=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authorities.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # Latin transliteration; filled from the name when left empty.
    name_latin: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    expertise: Mapped[list[str]] = mapped_column(JSON, default=list)
    networks: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", use_alter=True), index=True)
    status: Mapped[str] = mapped_column(String(16), default="active")
    is_demo: Mapped[bool] = mapped_column(default=False)
    last_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", use_alter=True))
    search_text: Mapped[str] = mapped_column(Text, default="")
    # Counts the record's changes; an edit names the version it was made from (ETag, forms).
    version: Mapped[int] = mapped_column(server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (read by the mapper)

    state: Mapped[State] = relationship(lazy="joined")
    authority: Mapped[Authority] = relationship(lazy="joined")
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    last_confirmed_by: Mapped[User | None] = relationship(foreign_keys=[last_confirmed_by_id])


class CountryProfile(Model):
    """One version of what a requesting State must know before asking this State; never edited."""

    __tablename__ = "country_profiles"
    __table_args__ = (UniqueConstraint("state_code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    state_code: Mapped[str] = mapped_column(ForeignKey("states.code"), index=True)
    version: Mapped[int]
    uncac_basis_mla: Mapped[bool | None]
    uncac_basis_extradition: Mapped[bool | None]
    uncac_basis_confiscation: Mapped[bool | None]
    treaty_or_reciprocity: Mapped[str] = mapped_column(String(24), default="unknown")
    dual_criminality: Mapped[str] = mapped_column(String(24), default="unknown")
    persons_notified: Mapped[bool | None]
    appeal_possible: Mapped[bool | None]
    evidence_use_limits: Mapped[str] = mapped_column(Text, default="")
    foreign_freezing_orders: Mapped[str] = mapped_column(String(24), default="unknown")
    foreign_confiscation_orders: Mapped[str] = mapped_column(String(24), default="unknown")
    ncb_forfeiture: Mapped[bool | None]
    foreign_ncb_enforceable: Mapped[bool | None]
    longest_freeze: Mapped[str] = mapped_column(String(300), default="")
    freeze_extension: Mapped[str] = mapped_column(Text, default="")
    urgent_procedure: Mapped[str] = mapped_column(Text, default="")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    translation_needs: Mapped[str] = mapped_column(Text, default="")
    typical_time_to_freeze: Mapped[str] = mapped_column(String(300), default="")
    links: Mapped[list[str]] = mapped_column(JSON, default=list)
    templates: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(String(500), default="")
    is_demo: Mapped[bool] = mapped_column(default=False)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", use_alter=True))

    state: Mapped[State] = relationship()
    changed_by: Mapped[User | None] = relationship(foreign_keys=[changed_by_id])


# Binary collation on PostgreSQL so that a prefix range uses the index exactly as on SQLite.
_TERM = String(64).with_variant(String(64, collation="C"), "postgresql")


class SearchTerm(Model):
    """One normalised word, phonetic key or filter tag of a directory entry: the search index."""

    __tablename__ = "directory_search_terms"
    __table_args__ = (Index("ix_directory_search_terms_entry", "entry_type", "entry_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(_TERM, index=True)
    entry_type: Mapped[str] = mapped_column(String(16))
    entry_key: Mapped[str] = mapped_column(String(16))
