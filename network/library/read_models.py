"""A library document as a reader sees it: the title in their language, whether they keep it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from network.auth.models import User
from network.auth.policy import Action, can
from network.library.models import LibraryDocument, LibraryVersion
from network.library.search import LibraryHit


@dataclass(frozen=True)
class DocumentView:
    """A document as listed or shown: the version in the reader's language leads."""

    id: int
    kind: str
    state_code: str | None
    title: str
    summary: str
    languages: list[str]
    matched_language: str | None
    versions: list[LibraryVersion]
    published_by: User | None
    published_at: datetime
    updated_at: datetime
    version: int
    may_edit: bool


def document_view(
    reader: User, document: LibraryDocument, locale: str, matched: str | None = None
) -> DocumentView:
    shown = document.version_in(matched or locale)
    return DocumentView(
        id=document.id,
        kind=document.kind,
        state_code=document.state_code,
        title=shown.title if shown else "",
        summary=shown.summary if shown else "",
        languages=[each.language for each in document.versions],
        matched_language=matched,
        versions=list(document.versions),
        published_by=document.published_by,
        published_at=document.published_at,
        updated_at=document.updated_at,
        version=document.version,
        may_edit=can(reader, Action.KEEP_LIBRARY, (document.kind, document.state_code)),
    )


def hit_views(reader: User, hits: list[LibraryHit], locale: str) -> list[DocumentView]:
    return [document_view(reader, hit.document, locale, hit.language) for hit in hits]
