"""Directory search: ranked, paginated hits among States, authorities and focal points."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from network.directory import search_index as index
from network.directory.freshness import stale_since
from network.directory.models import Authority, FocalPoint, State
from network.directory.un_names import names_known_by
from network.extensions import db
from network.schemas.directory_vocabularies import AUTHORITY_KINDS


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


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A hit before ranking: what it shows, its search text, and a Latin spelling to highlight."""

    type: str
    id: str
    label: str
    state: str
    detail: str
    stale: bool
    search_text: str
    latin: str = ""


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


def _shares_a_character(wanted: set[str], texts: Iterable[str]) -> bool:
    """False when a query in Chinese characters has none in common with the entry's names.

    Pinyin makes 王 (wang) a prefix of 卢旺达 (lu wang da), but a reader of 王 wants
    entries written with it; a query without Chinese characters (``wanted`` empty) is not
    concerned, and its entries' names are not even looked at.
    """
    return not wanted or any(wanted & set(text) for text in texts if text)


def _states(wanted: set[str], codes: list[str], locale: str) -> list[_Candidate]:
    found = []
    for code, names, search_text in db.session.execute(
        select(State.code, State.names, State.search_text).where(State.code.in_(codes))
    ):
        if wanted and not _shares_a_character(wanted, [*names.values(), *names_known_by(code)]):
            continue
        label = names.get(locale) or names["en"]
        found.append(_Candidate("state", code, label, code, code, False, search_text))
    return found


def _authorities(wanted: set[str], keys: list[str], now: datetime) -> list[_Candidate]:
    found = []
    for row in db.session.execute(
        select(
            Authority.id,
            Authority.name,
            Authority.name_en,
            Authority.state_code,
            Authority.kind,
            Authority.last_confirmed_at,
            Authority.search_text,
        ).where(Authority.id.in_([int(key) for key in keys]))
    ):
        if not _shares_a_character(wanted, [row.name, row.name_en or ""]):
            continue
        found.append(
            _Candidate(
                "authority",
                str(row.id),
                row.name,
                row.state_code,
                AUTHORITY_KINDS.get(row.kind, row.kind),
                stale_since(row.last_confirmed_at, now),
                row.search_text,
            )
        )
    return found


def _focal_points(wanted: set[str], keys: list[str], now: datetime) -> list[_Candidate]:
    found = []
    # What a hit shows, and nothing else: a search may rank thousands of candidates.
    for row in db.session.execute(
        select(
            FocalPoint.id,
            FocalPoint.name,
            FocalPoint.name_latin,
            FocalPoint.state_code,
            FocalPoint.title,
            FocalPoint.last_confirmed_at,
            FocalPoint.search_text,
            Authority.name.label("authority_name"),
        )
        .join(Authority, Authority.id == FocalPoint.authority_id)
        .where(FocalPoint.id.in_([int(key) for key in keys]))
    ):
        if not _shares_a_character(wanted, [row.name, row.name_latin]):
            continue
        found.append(
            _Candidate(
                "focal_point",
                str(row.id),
                row.name,
                row.state_code,
                row.title or row.authority_name,
                stale_since(row.last_confirmed_at, now),
                row.search_text,
                row.name_latin,
            )
        )
    return found


def _hit(candidate: _Candidate, score: float, query: str) -> SearchHit:
    """The hit, with the ranges of its label (or else of its Latin spelling) the query meets."""
    ranges = index.highlight(candidate.label, query)
    if not ranges and candidate.latin:
        ranges = index.highlight(candidate.latin, query)
    return SearchHit(
        candidate.type,
        candidate.id,
        candidate.label,
        candidate.state,
        candidate.detail,
        candidate.stale,
        score,
        ranges,
    )


def search(
    query: str,
    filters: SearchFilters,
    *,
    now: datetime,
    locale: str = "en",
    page: int = 1,
    per_page: int = 20,
) -> tuple[list[SearchHit], int]:
    """Ranked, paginated hits: every index candidate is ranked, only the page highlighted."""
    by_type: dict[str, list[str]] = {}
    for entry_type, entry_key in index.candidates(query, _tags(filters), list(filters.types)):
        by_type.setdefault(entry_type, []).append(entry_key)
    wanted = set(index.CJK.findall(query))
    found: list[_Candidate] = []
    if by_type.get("state"):
        found += _states(wanted, by_type["state"], locale)
    if by_type.get("authority"):
        found += _authorities(wanted, by_type["authority"], now)
    if by_type.get("focal_point"):
        found += _focal_points(wanted, by_type["focal_point"], now)
    ranking = index.Ranking(query, (each.search_text for each in found))
    scored = [(ranking.score(each.search_text), each) for each in found]
    if query.strip():
        scored = [(score, each) for score, each in scored if score >= 50]
    scored.sort(key=lambda pair: (-round(pair[0], 1), _TYPE_ORDER[pair[1].type], pair[1].label))
    start = (page - 1) * per_page
    page_of = scored[start : start + per_page]
    return [_hit(each, score, query) for score, each in page_of], len(scored)
