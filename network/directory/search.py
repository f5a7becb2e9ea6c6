"""Directory search: ranked, paginated hits among States, authorities and focal points.

A search costs a fixed number of statements however many entries match: the index's
version, the candidates' keys, and the shown page's entries. What ranking needs of every
entry (names, search text) is kept in each process until the index's version changes, so a
common word that matches the whole directory is ranked in memory, in rapidfuzz batches.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from threading import Lock

from rapidfuzz import fuzz, process
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
class _Entry:
    """What ranking needs of an entry: its names, its search text and a Latin spelling.

    ``labels`` holds a State's name in each language (chosen per reader), another entry's
    one name under "".
    """

    type: str
    id: str
    labels: dict[str, str]
    search_text: str
    names: tuple[str, ...]
    latin: str = ""

    def label(self, locale: str) -> str:
        return self.labels.get(locale) or self.labels.get("en") or self.labels[""]


_TYPE_ORDER = {"state": 0, "authority": 1, "focal_point": 2}
_FLOOR = 50  # the lowest score a query with words keeps
_FEW = 500  # candidates ranked by their own names; more, by every name in the directory once
_RELATED = 0.75  # the weight of a related name (an entry's State, authority, languages)


@dataclass(frozen=True)
class _Directory:
    """Every entry and every distinct name in it, each name with the entries that hold it.

    A query is scored against each distinct name once, in two rapidfuzz batches (spelling
    and sound) that drop what cannot reach the floor; an entry's score is then the best of
    its names that passed, found through ``holders`` instead of entry by entry.
    """

    entries: list[_Entry]
    at: dict[tuple[str, str], int]
    names: list[str]
    sounds: list[str]
    names_by_sound: list[list[int]]
    holders: list[list[tuple[int, float]]]
    # Per locale, each entry's place in the order of equal scores (type, name, id): sorted
    # once, so that ranking thousands of candidates compares numbers, not names.
    places: dict[str, list[int]] = field(default_factory=dict)

    def places_in(self, locale: str) -> list[int]:
        """Each entry's place among all of them by type, then name in ``locale``, then id."""
        found = self.places.get(locale)
        if found is None:
            entries = self.entries
            order = sorted(
                range(len(entries)),
                key=lambda each: (_TYPE_ORDER[entries[each].type], entries[each].label(locale)),
            )
            found = [0] * len(entries)
            for place, each in enumerate(order):
                found[each] = place
            self.places[locale] = found  # another thread may store the same list: no harm
        return found


def _directory(entries: list[_Entry]) -> _Directory:
    names: dict[str, int] = {}
    holders: list[list[tuple[int, float]]] = []
    for number, entry in enumerate(entries):
        primary, _, secondary = entry.search_text.partition("||")
        for half, weight in ((primary, 1.0), (secondary, _RELATED)):
            for name in dict.fromkeys(filter(None, half.split("|"))):
                if name not in names:
                    names[name] = len(holders)
                    holders.append([])
                holders[names[name]].append((number, weight))
    sounds: dict[str, int] = {}
    names_by_sound: list[list[int]] = []
    for name, number in names.items():
        sound = index.phrase_key(name)
        if sound not in sounds:
            sounds[sound] = len(names_by_sound)
            names_by_sound.append([])
        names_by_sound[sounds[sound]].append(number)
    at = {(entry.type, entry.id): number for number, entry in enumerate(entries)}
    return _Directory(entries, at, list(names), list(sounds), names_by_sound, holders)


class _Entries:
    """The directory's ranking data in this process, for one database at one index version."""

    def __init__(self) -> None:
        self._lock = Lock()
        self._key: tuple[str, tuple[str, ...]] | None = None
        self._directory = _directory([])

    def get(self) -> _Directory:
        """The directory, loaded again (three statements) when an edit changed the version."""
        key = (str(db.engine.url), index.version())
        with self._lock:
            if key != self._key:
                self._directory = _directory(_load_entries())
                self._key = key
            return self._directory


def _load_entries() -> list[_Entry]:
    """Each State's names parsed once here, not on every search that meets them."""
    entries: list[_Entry] = []
    for code, names, search_text in db.session.execute(
        select(State.code, State.names, State.search_text).order_by(State.code)
    ):
        known = (*names.values(), *names_known_by(code))
        entries.append(_Entry("state", code, {**names, "": code}, search_text, known))
    for number, name, name_en, search_text in db.session.execute(
        select(Authority.id, Authority.name, Authority.name_en, Authority.search_text).order_by(
            Authority.id
        )
    ):
        spellings = (name, name_en or "")
        entries.append(_Entry("authority", str(number), {"": name}, search_text, spellings))
    for number, name, latin, search_text in db.session.execute(
        select(
            FocalPoint.id, FocalPoint.name, FocalPoint.name_latin, FocalPoint.search_text
        ).order_by(FocalPoint.id)
    ):
        spellings = (name, latin)
        entries.append(
            _Entry("focal_point", str(number), {"": name}, search_text, spellings, latin)
        )
    return entries


_ENTRIES = _Entries()


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


def _candidates(query: str, filters: SearchFilters, directory: _Directory) -> list[int]:
    """The index's candidates, as numbers of the process's entries."""
    keys = index.candidates(query, _tags(filters), list(filters.types))
    found = [number for number in map(directory.at.get, keys) if number is not None]
    wanted = set(index.CJK.findall(query))
    if wanted:
        entries = directory.entries
        found = [each for each in found if _shares_a_character(wanted, entries[each].names)]
    return found


def _scores(query: str, directory: _Directory) -> dict[int, float]:
    """Each entry's score, for the entries with a name that can reach the floor."""
    wanted = index.normalise(query)
    if not wanted:
        return {}
    # Only a name that starts with the query, or is it, gains a bonus, and rapidfuzz scores
    # such a name 60 or more: a name spelt below the floor cannot reach it but by its sound,
    # which counts x0.9.
    spelt = {
        number: value
        for _name, value, number in process.extract(
            wanted, directory.names, scorer=fuzz.WRatio, limit=None, score_cutoff=_FLOOR
        )
    }
    wanted_sound = index.phrase_key(wanted)
    sounded: dict[int, float] | None = None
    if len(wanted_sound) >= 3:
        sounded = {}
        for _sound, value, number in process.extract(
            wanted_sound,
            directory.sounds,
            scorer=fuzz.WRatio,
            limit=None,
            score_cutoff=_FLOOR / 0.9 - 0.5,
        ):
            for name in directory.names_by_sound[number]:
                sounded[name] = value
    best: dict[int, float] = {}
    for name in spelt.keys() | (sounded or {}).keys():
        sounds = None if sounded is None else sounded.get(name, 0.0)
        value = index.name_value(wanted, directory.names[name], spelt.get(name, 0.0), sounds)
        if value < _FLOOR:  # no entry reaches the floor by this name
            continue
        for entry, weight in directory.holders[name]:
            if weight * value > best.get(entry, -1.0):
                best[entry] = weight * value
    return best


def _ranked(
    query: str, found: list[int], directory: _Directory, locale: str, shown: int
) -> tuple[list[tuple[float, _Entry]], int]:
    """The first ``shown`` candidates in rank order, and how many reach the floor.

    Equal scores go by type, then name, then the order entries were added in (their ids).
    """
    entries = directory.entries
    if query.strip() and len(found) < _FEW:  # fewer names among them than in the directory
        ranking = index.Ranking(query, (entries[each].search_text for each in found))
        scored = [
            (value, each)
            for each in found
            if (value := ranking.score(entries[each].search_text)) >= _FLOOR
        ]
    elif query.strip():
        best = _scores(query, directory)
        scored = [(best[each], each) for each in found if best.get(each, 0.0) >= _FLOOR]
    else:  # filters alone: every candidate, by type and name
        scored = [(0.0, each) for each in found]
    places = directory.places_in(locale)
    first = heapq.nsmallest(
        shown, [(-round(value, 1), places[each], value, each) for value, each in scored]
    )
    return [(value, entries[each]) for _rounded, _place, value, each in first], len(scored)


def _shown(
    entries: Sequence[_Entry], now: datetime
) -> dict[tuple[str, str], tuple[str, str, bool]]:
    """State, detail and staleness of the page's entries only: one statement per type."""
    shown: dict[tuple[str, str], tuple[str, str, bool]] = {}
    ids: dict[str, list[int]] = {"authority": [], "focal_point": []}
    for each in entries:
        if each.type == "state":
            shown["state", each.id] = (each.id, each.id, False)
        else:
            ids[each.type].append(int(each.id))
    if ids["authority"]:
        for row in db.session.execute(
            select(
                Authority.id, Authority.state_code, Authority.kind, Authority.last_confirmed_at
            ).where(Authority.id.in_(ids["authority"]))
        ):
            detail = AUTHORITY_KINDS.get(row.kind, row.kind)
            stale = stale_since(row.last_confirmed_at, now)
            shown["authority", str(row.id)] = (row.state_code, detail, stale)
    if ids["focal_point"]:
        for person in db.session.execute(
            select(
                FocalPoint.id,
                FocalPoint.state_code,
                FocalPoint.title,
                FocalPoint.last_confirmed_at,
                Authority.name.label("authority_name"),
            )
            .join(Authority, Authority.id == FocalPoint.authority_id)
            .where(FocalPoint.id.in_(ids["focal_point"]))
        ):
            detail = person.title or person.authority_name
            stale = stale_since(person.last_confirmed_at, now)
            shown["focal_point", str(person.id)] = (person.state_code, detail, stale)
    return shown


def _hit(
    entry: _Entry, score: float, query: str, locale: str, shown: tuple[str, str, bool]
) -> SearchHit:
    """The hit, with the ranges of its label (or else of its Latin spelling) the query meets."""
    label = entry.label(locale)
    ranges = index.highlight(label, query)
    if not ranges and entry.latin:
        ranges = index.highlight(entry.latin, query)
    state, detail, stale = shown
    return SearchHit(entry.type, entry.id, label, state, detail, stale, score, ranges)


def search(
    query: str,
    filters: SearchFilters,
    *,
    now: datetime,
    locale: str = "en",
    page: int = 1,
    per_page: int = 20,
) -> tuple[list[SearchHit], int]:
    """Ranked, paginated hits: every index candidate is ranked, only the page loaded."""
    directory = _ENTRIES.get()
    found = _candidates(query, filters, directory)
    start = (page - 1) * per_page
    first, total = _ranked(query, found, directory, locale, start + per_page)
    page_of = first[start:]
    shown = _shown([each for _score, each in page_of], now)
    hits = [
        _hit(each, score, query, locale, shown[each.type, each.id])
        for score, each in page_of
        if (each.type, each.id) in shown
    ]
    return hits, total
