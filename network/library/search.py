"""Library search with the directory's index: the same normalisation, prefixes and ranking.

A document's words in every language version go into ``directory_search_terms`` as entry
type ``library``, with tags for its kind, State and languages, so "confiscation",
"مصادرة" and "конфискация" each find the document, and the hit names the version matched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from network.directory import search_index as index
from network.extensions import db
from network.library.models import LibraryDocument, LibraryVersion

ENTRY_TYPE = "library"
_CHUNK_WORDS = 6  # texts are ranked in short runs of words, so one word in a long text counts


@dataclass(frozen=True)
class LibraryHit:
    """A document that answers the query, its score and the language version that matched."""

    document: LibraryDocument
    score: float
    language: str | None


def _chunks(text: str) -> list[str]:
    words = index.normalise(text).split()
    return [" ".join(words[at : at + _CHUNK_WORDS]) for at in range(0, len(words), _CHUNK_WORDS)]


def _texts(version: LibraryVersion) -> list[str]:
    return [version.title, version.summary, version.body]


def index_documents(documents: Sequence[LibraryDocument]) -> None:
    """Keep documents' search text and index rows in step with their versions; on every write."""
    terms: dict[str, set[str]] = {}
    for document in documents:
        primary = [each.title for each in document.versions]
        secondary: list[str] = []
        for each in document.versions:
            secondary += _chunks(each.summary) + _chunks(each.body)
        document.search_text = index.pack(primary, secondary)
        tags = [f"kind:{document.kind}"] + [f"lang:{each.language}" for each in document.versions]
        if document.state_code:
            tags.append(f"state:{document.state_code}")
        texts = [text for each in document.versions for text in _texts(each)]
        terms[str(document.id)] = index.terms_for(texts, tags)
    index.replace_terms(ENTRY_TYPE, terms)


def forget_document(document_id: int) -> None:
    """Take a deleted document out of the index."""
    index.replace_terms(ENTRY_TYPE, {str(document_id): set()})


def _without_article(query: str) -> str:
    """Arabic words without their article: the index holds "مصادرة" for "المصادرة" too.

    A stored word with the article is indexed both ways (``search_index``), so a query word
    stripped of it meets the word written with or without it.
    """
    return " ".join(
        word[2:] if word.startswith("ال") and len(word) > 3 else word for word in query.split()
    )


def _matched_language(document: LibraryDocument, query: str) -> str | None:
    """The first version (in the six languages' order) whose own words hold every query word."""
    tokens = index.normalise(query).split()
    chinese = set(index.CJK.findall(query))
    for version in document.versions:
        words = index.terms_for(_texts(version))
        if chinese and not chinese & set("".join(_texts(version))):
            continue
        if all(any(word.startswith(token) for word in words) for token in tokens):
            return version.language
    return None


def _shares_a_character(wanted: set[str], document: LibraryDocument) -> bool:
    """As in the directory: a query in Chinese characters wants documents written with them."""
    return not wanted or any(
        wanted & set(text) for each in document.versions for text in _texts(each)
    )


def search_documents(
    query: str, tags: list[str], *, page: int, per_page: int
) -> tuple[list[LibraryHit], int]:
    """Ranked, paginated documents matching every word of the query and every tag."""
    query = _without_article(query)
    keys = [int(key) for _type, key in index.candidates(query, tags, [ENTRY_TYPE])]
    if not keys:
        return [], 0
    documents = list(
        db.session.scalars(select(LibraryDocument).where(LibraryDocument.id.in_(keys)))
    )
    wanted = set(index.CJK.findall(query))
    documents = [each for each in documents if _shares_a_character(wanted, each)]
    ranking = index.Ranking(query, (each.search_text for each in documents))
    scored = [(ranking.score(each.search_text), each) for each in documents]
    if re.search(r"\w", query):
        scored = [(score, each) for score, each in scored if score >= 50]
    scored.sort(key=lambda pair: (-round(pair[0], 1), -pair[1].updated_at.timestamp()))
    start = (page - 1) * per_page
    return [
        LibraryHit(each, score, _matched_language(each, query))
        for score, each in scored[start : start + per_page]
    ], len(scored)
