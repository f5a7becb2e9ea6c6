"""Directory search: ranked, paginated hits among States, authorities and focal points."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import load_only, selectinload

from network.directory import search_index as index
from network.directory.freshness import is_stale
from network.directory.models import Authority, FocalPoint, State
from network.directory.un_names import names_known_by
from network.extensions import db
from network.schemas.vocabularies import AUTHORITY_KINDS


@dataclass(frozen=True)
class SearchHit:
    """One ranked result: a State, an authority or a focal point."""

    type: str
    id: str
    label: str
    state: str
    detail: str
    stale: bool
    score: float
    highlights: list[tuple[int, int]]


@dataclass(frozen=True)
class SearchFilters:
    region: str | None = None
    kind: str | None = None
    language: str | None = None
    expertise: str | None = None
    types: tuple[str, ...] = ()


_TYPE_ORDER = {"state": 0, "authority": 1, "focal_point": 2}


def _tags(filters: SearchFilters) -> list[str]:
    """The index tags the filters ask for."""
    tags = []
    if filters.region:
        tags.append(f"region:{filters.region}")
    if filters.kind:
        tags.append(f"kind:{filters.kind}")
    if filters.language:
        tags.append(f"lang:{filters.language}")
    if filters.expertise:
        tags.append(f"exp:{filters.expertise}")
    return tags


def _shares_a_character(query: str, *texts: str) -> bool:
    """False when a query in Chinese characters has none in common with the entry's names.

    Pinyin makes 王 (wang) a prefix of 卢旺达 (lu wang da), but a reader of 王 wants
    entries written with it; a query without Chinese characters is not concerned.
    """
    wanted = set(index.CJK.findall(query))
    return not wanted or any(wanted & set(text) for text in texts if text)


def _state_hits(query: str, codes: list[str], locale: str) -> list[SearchHit]:
    hits = []
    for state in db.session.scalars(select(State).where(State.code.in_(codes))):
        if not _shares_a_character(query, *state.names.values(), *names_known_by(state.code)):
            continue
        label = state.name(locale)
        hits.append(
            SearchHit(
                "state",
                state.code,
                label,
                state.code,
                state.code,
                False,
                index.score(query, state.search_text),
                index.highlight(label, query),
            )
        )
    return hits


def _authority_hits(query: str, keys: list[str], now: datetime) -> list[SearchHit]:
    ids = [int(key) for key in keys]
    hits = []
    for authority in db.session.scalars(select(Authority).where(Authority.id.in_(ids))):
        if not _shares_a_character(query, authority.name, authority.name_en or ""):
            continue
        label = authority.name
        hits.append(
            SearchHit(
                "authority",
                str(authority.id),
                label,
                authority.state_code,
                AUTHORITY_KINDS.get(authority.kind, authority.kind),
                is_stale(authority, now),
                index.score(query, authority.search_text),
                index.highlight(label, query),
            )
        )
    return hits


def _focal_point_hits(query: str, keys: list[str], now: datetime) -> list[SearchHit]:
    ids = [int(key) for key in keys]
    hits = []
    for person in db.session.scalars(
        select(FocalPoint)
        .where(FocalPoint.id.in_(ids))
        # What a hit shows, and nothing else: a search loads hundreds of candidates.
        .options(
            load_only(
                FocalPoint.name,
                FocalPoint.name_latin,
                FocalPoint.state_code,
                FocalPoint.title,
                FocalPoint.last_confirmed_at,
                FocalPoint.search_text,
            ),
            selectinload(FocalPoint.authority).load_only(Authority.name),
        )
    ):
        if not _shares_a_character(query, person.name, person.name_latin):
            continue
        label = person.name
        hits.append(
            SearchHit(
                "focal_point",
                str(person.id),
                label,
                person.state_code,
                person.title or person.authority.name,
                is_stale(person, now),
                index.score(query, person.search_text),
                index.highlight(label, query) or index.highlight(person.name_latin, query),
            )
        )
    return hits


def search(
    query: str,
    filters: SearchFilters,
    *,
    now: datetime,
    locale: str = "en",
    page: int = 1,
    per_page: int = 20,
) -> tuple[list[SearchHit], int]:
    """Ranked, paginated hits; only index candidates are loaded and scored."""
    by_type: dict[str, list[str]] = {}
    for entry_type, entry_key in index.candidates(query, _tags(filters), list(filters.types)):
        by_type.setdefault(entry_type, []).append(entry_key)
    hits: list[SearchHit] = []
    if by_type.get("state"):
        hits += _state_hits(query, by_type["state"], locale)
    if by_type.get("authority"):
        hits += _authority_hits(query, by_type["authority"], now)
    if by_type.get("focal_point"):
        hits += _focal_point_hits(query, by_type["focal_point"], now)
    if query.strip():
        hits = [hit for hit in hits if hit.score >= 50]
    hits.sort(key=lambda hit: (-round(hit.score, 1), _TYPE_ORDER[hit.type], hit.label))
    start = (page - 1) * per_page
    return hits[start : start + per_page], len(hits)
