"""Keeping the library: documents in language versions, published and changed by their keepers.

The secretariat keeps everything; a national administrator keeps their own State's
how-to-cooperate notes and forms (``auth.policy``). Every write is audited and re-indexed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select

from network.audit import service as audit
from network.auth.models import User
from network.auth.policy import Action, can, require
from network.core.errors import InvalidInput, NotFound, PermissionDenied
from network.core.i18n import N_
from network.core.locking import load_for_change
from network.core.paging import page_of
from network.directory.changes import require_version
from network.directory.models import State
from network.extensions import db
from network.library.models import LibraryDocument, LibraryVersion
from network.library.search import LibraryHit, forget_document, index_documents, search_documents
from network.schemas.library_vocabularies import DOCUMENT_KINDS, LIBRARY_LANGUAGES

_LANGUAGE_ORDER = {code: place for place, code in enumerate(LIBRARY_LANGUAGES)}


def _not_found() -> NotFound:
    return NotFound(N_("No library document with this id."), reason="document_not_found")


def _require_keeper(actor: User, kind: str, state_code: str | None) -> None:
    """Refuse, saying who keeps what, unless the actor keeps documents of this kind and State."""
    if not can(actor, Action.KEEP_LIBRARY, (kind, state_code)):
        raise PermissionDenied(
            N_(
                "Only the network administrator keeps the library; a national administrator "
                "keeps their own State's how-to-cooperate notes and forms."
            )
        )


def get_document(actor: User, document_id: int) -> LibraryDocument:
    """A document, for any signed-in member of the network."""
    require(actor, Action.READ_LIBRARY)
    found = db.session.get(LibraryDocument, document_id)
    if found is None:
        raise _not_found()
    return found


def list_documents(
    actor: User,
    *,
    q: str = "",
    kind: str | None = None,
    state: str | None = None,
    language: str | None = None,
    page: int = 1,
    per_page: int = 20,
) -> tuple[list[LibraryHit], int]:
    """Documents matching the query (ranked) or, without one, the latest changed first."""
    require(actor, Action.READ_LIBRARY)
    if q.strip():
        tags = [f"kind:{kind}"] if kind else []
        tags += [f"state:{state}"] if state else []
        tags += [f"lang:{language}"] if language else []
        return search_documents(q, tags, page=page, per_page=per_page)
    query = select(LibraryDocument)
    if kind:
        query = query.where(LibraryDocument.kind == kind)
    if state:
        query = query.where(LibraryDocument.state_code == state)
    if language:
        query = query.where(LibraryDocument.versions.any(LibraryVersion.language == language))
    # The glossary reads in the order it was written; other kinds latest change first.
    order: tuple[Any, ...] = (
        (LibraryDocument.id,)
        if kind == "glossary_term"
        else (LibraryDocument.updated_at.desc(), LibraryDocument.id.desc())
    )
    documents, total = page_of(db.session, query, order, page, per_page)
    return [LibraryHit(each, 0.0, None) for each in documents], total


def _checked_versions(versions: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """At least one version, each language once, in the six languages' order."""
    if not versions:
        raise InvalidInput(
            N_("Some values are not valid."),
            {"versions": [N_("Give at least one language version.")]},
        )
    languages = [each["language"] for each in versions]
    if len(set(languages)) != len(languages):
        raise InvalidInput(
            N_("Some values are not valid."),
            {"versions": [N_("Give each language version once.")]},
        )
    return sorted((dict(each) for each in versions), key=lambda v: _LANGUAGE_ORDER[v["language"]])


def _checked_state(kind: str, state_code: str | None) -> str | None:
    if kind == "how_to_cooperate" and not state_code:
        raise InvalidInput(
            N_("Some values are not valid."),
            {"state": [N_("A how-to-cooperate note belongs to a State.")]},
        )
    if state_code and db.session.get(State, state_code) is None:
        raise InvalidInput(N_("Some values are not valid."), {"state": [N_("Unknown State.")]})
    return state_code


def _set_versions(document: LibraryDocument, versions: list[dict[str, Any]]) -> None:
    by_language = {each.language: each for each in document.versions}
    kept: list[LibraryVersion] = []
    for values in versions:
        version = by_language.get(values["language"]) or LibraryVersion(language=values["language"])
        version.title = values["title"]
        version.summary = values.get("summary") or ""
        version.body = values.get("body") or ""
        version.dated_on = values["dated_on"]
        kept.append(version)
    document.versions = kept


def _details(document: LibraryDocument) -> dict[str, Any]:
    """What the audit keeps of a document: its kind, State and each version's title and date."""
    return {
        "kind": document.kind,
        "state": document.state_code,
        "versions": {
            each.language: [each.title, each.dated_on.isoformat()] for each in document.versions
        },
    }


def create_document(actor: User, values: Mapping[str, Any], *, now: datetime) -> LibraryDocument:
    """Publish a document; ``values`` hold kind, state and versions."""
    kind = values["kind"]
    if kind not in DOCUMENT_KINDS:
        raise InvalidInput(N_("Some values are not valid."), {"kind": [N_("Unknown kind.")]})
    state_code = values.get("state")
    _require_keeper(actor, kind, state_code)
    document = LibraryDocument(
        kind=kind,
        state_code=_checked_state(kind, state_code),
        published_by=actor,
        published_at=now,
        updated_at=now,
    )
    _set_versions(document, _checked_versions(values["versions"]))
    db.session.add(document)
    db.session.flush()
    index_documents([document])
    audit.record(
        actor,
        "library.document.published",
        "library_document",
        document.id,
        _details(document),
        at=now,
    )
    return document


def update_document(
    actor: User,
    document_id: int,
    values: Mapping[str, Any],
    *,
    now: datetime,
    expected_version: int | None = None,
) -> LibraryDocument:
    """Change a document's kind, State or versions (``versions`` replaces them all)."""
    require(actor, Action.READ_LIBRARY)
    document = load_for_change(db.session, LibraryDocument, document_id)
    if document is None:
        raise _not_found()
    _require_keeper(actor, document.kind, document.state_code)
    require_version(document, expected_version, "library_document", document.id)
    kind = values.get("kind", document.kind)
    state_code = values.get("state", document.state_code)
    _require_keeper(actor, kind, state_code)
    before = _details(document)
    document.kind = kind
    document.state_code = _checked_state(kind, state_code)
    if "versions" in values:
        _set_versions(document, _checked_versions(values["versions"]))
    document.updated_at = now
    db.session.flush()
    index_documents([document])
    audit.record(
        actor,
        "library.document.updated",
        "library_document",
        document.id,
        {"before": before, "after": _details(document)},
        at=now,
    )
    return document


def delete_document(actor: User, document_id: int, *, now: datetime) -> None:
    """Take a document out of the library, and out of the search index."""
    require(actor, Action.READ_LIBRARY)
    document = load_for_change(db.session, LibraryDocument, document_id)
    if document is None:
        raise _not_found()
    _require_keeper(actor, document.kind, document.state_code)
    details = _details(document)
    db.session.delete(document)
    forget_document(document_id)
    db.session.flush()
    audit.record(
        actor, "library.document.deleted", "library_document", document_id, details, at=now
    )
