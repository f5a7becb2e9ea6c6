"""Library models: documents in language versions, and technical-assistance needs and offers."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from network.core.types import UTCDateTime
from network.extensions import Model

if TYPE_CHECKING:
    from network.auth.models import User


class LibraryDocument(Model):
    """A guide, model agreement, form, State's how-to-cooperate note or glossary term."""

    __tablename__ = "library_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(24), index=True)
    # The State a how-to-cooperate note (or a State's form) belongs to; None for the network's.
    state_code: Mapped[str | None] = mapped_column(ForeignKey("states.code"), index=True)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Normalised titles and texts for ranking; the indexed lookup goes through SearchTerm.
    search_text: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (read by the mapper)

    published_by: Mapped[User | None] = relationship()
    versions: Mapped[list[LibraryVersion]] = relationship(
        back_populates="document",
        cascade="all, delete-orphan",
        order_by="LibraryVersion.language",
    )

    def version_in(self, language: str) -> LibraryVersion | None:
        """The version in this language, else the English one, else the first."""
        by_language = {each.language: each for each in self.versions}
        return by_language.get(language) or by_language.get("en") or next(iter(self.versions), None)


class LibraryVersion(Model):
    """One language version of a document: its title, summary, text and date."""

    __tablename__ = "library_versions"
    __table_args__ = (UniqueConstraint("document_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("library_documents.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(2))
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(String(1000), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    dated_on: Mapped[date]

    document: Mapped[LibraryDocument] = relationship(back_populates="versions")


class AssistanceNeed(Model):
    """A State's technical-assistance need or offer (resolutions 4/1 and 4/2 para 2)."""

    __tablename__ = "technical_assistance"

    id: Mapped[int] = mapped_column(primary_key=True)
    state_code: Mapped[str] = mapped_column(ForeignKey("states.code"), index=True)
    direction: Mapped[str] = mapped_column(String(8))  # need or offer
    area: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="open")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (read by the mapper)

    recorded_by: Mapped[User | None] = relationship()
