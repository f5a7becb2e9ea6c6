"""The directory's search index: normalised terms kept on write, prefix lookups, rapidfuzz scores.

Every name is transliterated to lower-case Latin (anyascii: Cyrillic, Arabic, Chinese as
toneless pinyin ...), stripped of diacritics and punctuation, and split into words. Each
word, a consonant skeleton of it (so "Mohammed" meets "Muhammad") and filter tags are
stored as rows of ``directory_search_terms`` with a B-tree index. A query looks up each of
its words by prefix range (indexed on SQLite and PostgreSQL alike), intersects the hits,
and only those candidate rows are ranked with rapidfuzz.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import cast

from anyascii import anyascii
from rapidfuzz import fuzz, process
from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    Table,
    and_,
    delete,
    insert,
    intersect,
    or_,
    select,
)

from network.core.batches import batches
from network.directory.models import SearchTerm
from network.extensions import db

TERM_LENGTH = 64
_APOSTROPHES = re.compile(r"['’`ʼ‘]")
_NON_WORD = re.compile(r"[^a-z0-9]+")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SKELETON_STEPS = (
    ("ph", "f"),
    ("ck", "k"),
    ("kh", "h"),
    ("c", "k"),
    ("q", "k"),
    ("w", "v"),
    ("z", "s"),
    ("x", "ks"),
)
_VOWELS = re.compile(r"[aeiouy]")
_REPEATS = re.compile(r"(.)\1+")
SKELETON = "~"  # prefix of phonetic keys, so they never collide with words
TAG = "@"  # prefix of filter tags such as @region:african
# One row whose key changes with every write to the index: the directory's version, which
# lets each process keep what ranking needs in memory until an edit anywhere (in any
# process) changes it. A word, skeleton or tag never starts with "#", so no search meets it.
VERSION_TERM = "#version"


@lru_cache(maxsize=1 << 16)
def normalise(text: str) -> str:
    """Lower-case Latin words separated by single spaces: 'Кот-д’Ивуар' -> 'kot divuar'."""
    latin = anyascii(unicodedata.normalize("NFC", text)).lower()
    latin = _APOSTROPHES.sub("", latin)
    return _NON_WORD.sub(" ", latin).strip()


@lru_cache(maxsize=1 << 16)
def skeleton(word: str) -> str:
    """A consonant key that forgives vowels, doubled letters and common spelling swaps."""
    for old, new in _SKELETON_STEPS:
        word = word.replace(old, new)
    return _REPEATS.sub(r"\1", _VOWELS.sub("", word))


def _word_variants(raw_word: str) -> set[str]:
    """More spellings of a word: split at apostrophes, CJK syllable suffixes, Arabic al-."""
    variants: set[str] = set()
    for part in _APOSTROPHES.split(raw_word):
        variants.update(normalise(part).split())
    if CJK.search(raw_word):
        for start in range(1, len(raw_word)):
            variants.update(normalise(raw_word[start:]).split())
    if raw_word.startswith("ال") and len(raw_word) > 3:
        variants.update(normalise(raw_word[2:]).split())
    return variants


@lru_cache(maxsize=1 << 16)
def _text_words(text: str) -> frozenset[str]:
    """A text's normalised words, the words joined, and their variants.

    Cached: State, authority, language and expertise names recur in thousands of entries.
    """
    normal = normalise(text)
    words = set(normal.split())
    if " " in normal:
        words.add(normal.replace(" ", ""))
    for raw_word in re.split(r"[\s\-/,.()]+", text):
        if raw_word:
            words |= _word_variants(raw_word)
    return frozenset(words)


@lru_cache(maxsize=1 << 16)
def _word_terms(word: str) -> tuple[str, ...]:
    """The index rows of one word: itself and its skeleton (cached, as words recur)."""
    key = skeleton(word)
    return (word[:TERM_LENGTH], (SKELETON + key)[:TERM_LENGTH]) if key else (word[:TERM_LENGTH],)


def terms_for(texts: Iterable[str], tags: Iterable[str] = ()) -> set[str]:
    """The index rows of an entry: words, joined phrases, skeletons and filter tags."""
    words: set[str] = set()
    for text in texts:
        if text:
            words |= _text_words(text)
    found = {term for word in words if word for term in _word_terms(word)}
    found |= {(TAG + tag)[:TERM_LENGTH] for tag in tags}
    return found


def pack(primary: Iterable[str], secondary: Iterable[str] = ()) -> str:
    """The stored search text: normalised primary names, then '||', then related names."""
    first = "|".join(dict.fromkeys(normalise(text) for text in primary if text))
    second = "|".join(dict.fromkeys(normalise(text) for text in secondary if text))
    return f"{first}||{second}"


def replace_terms(entry_type: str, terms_by_key: Mapping[str, set[str]]) -> None:
    """Keep the index in step with entries of one type; called by every service that writes one.

    Rows are deleted and inserted in a few statements, not one entry at a time, so that an
    import of thousands of entries costs a few round trips.
    """
    for keys in batches(list(terms_by_key)):
        db.session.execute(
            delete(SearchTerm).where(
                SearchTerm.entry_type == entry_type, SearchTerm.entry_key.in_(keys)
            )
        )
    # A new version for every write; two concurrent writers may each leave a row: the version
    # is then all of them, and the next write replaces both.
    db.session.execute(delete(SearchTerm).where(SearchTerm.term == VERSION_TERM))
    # In term order, so that the term index grows in few places instead of all over the file.
    rows = sorted((term, entry_type, key) for key, terms in terms_by_key.items() for term in terms)
    rows.append((VERSION_TERM, "version", secrets.token_hex(8)))
    _insert_terms(rows)


def version() -> tuple[str, ...]:
    """The index's version: it changes, in the writer's transaction, with every write."""
    return tuple(
        sorted(
            db.session.scalars(select(SearchTerm.entry_key).where(SearchTerm.term == VERSION_TERM))
        )
    )


def _insert_terms(rows: list[tuple[str, str, str]]) -> None:
    """Insert (term, entry_type, entry_key) rows in the session's transaction.

    On PostgreSQL through COPY: the driver's executemany costs several times as much per row,
    and an import of 10,000 focal points writes some 800,000 rows. A Core insert elsewhere:
    the ORM's bulk path costs more per row than the database does.
    """
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        driver = connection.connection.driver_connection
        assert driver is not None  # noqa: S101 - a connection in a transaction has its driver's
        copy_sql = f"COPY {SearchTerm.__tablename__} (term, entry_type, entry_key) FROM STDIN"
        with driver.cursor() as cursor, cursor.copy(copy_sql) as copy:
            for row in rows:
                copy.write_row(row)
        return
    db.session.execute(
        insert(cast(Table, SearchTerm.__table__)),
        [{"term": term, "entry_type": kind, "entry_key": key} for term, kind, key in rows],
    )


def _prefix(term: str) -> ColumnElement[bool]:
    """A prefix match written as a range, so that both databases use the B-tree index."""
    upper = term[:-1] + chr(ord(term[-1]) + 1)
    return and_(SearchTerm.term >= term, SearchTerm.term < upper)


def _matching(token: str) -> ColumnElement[bool]:
    key = skeleton(token)
    if len(key) >= 3:  # shorter keys would match half the directory
        return or_(_prefix(token), _prefix(SKELETON + key))
    return _prefix(token)


_Keys = Select[str, str]


def _keys(condition: ColumnElement[bool], entry_types: list[str]) -> _Keys:
    query = select(SearchTerm.entry_type, SearchTerm.entry_key).where(condition)
    if entry_types:
        query = query.where(SearchTerm.entry_type.in_(entry_types))
    return query


def candidates(query: str, tags: list[str], entry_types: list[str]) -> list[tuple[str, str]]:
    """Every entry matching every word (by prefix or skeleton) and every tag, from the index.

    All of them, not the first few hundred: ranking a common name's candidates needs them all.
    """
    tokens = normalise(query).split()[:8]
    selects = [_keys(_matching(token), entry_types) for token in tokens]
    selects += [_keys(SearchTerm.term == TAG + tag, entry_types) for tag in tags]
    if not selects:
        return []
    # Each entry once: a word may match several of an entry's terms (INTERSECT is distinct).
    combined: _Keys | CompoundSelect[str, str] = (
        selects[0].distinct() if len(selects) == 1 else intersect(*selects)
    )
    # Fetched at once: iterating the result fetches row by row, a third of a wide search.
    rows = [(entry_type, key) for entry_type, key in db.session.execute(combined).all()]
    if rows or not tokens:
        return rows
    # Nothing matched every word: widen to any word's first three letters; ranking sorts it out.
    loose = [_prefix(token[:3]) for token in tokens if len(token) >= 3]
    if not loose:
        return []
    # One SELECT with OR rather than a UNION: SQLite refuses a compound select nested as one
    # member of the INTERSECT that the filters add.
    widened: _Keys | CompoundSelect[str, str] = _keys(or_(*loose), entry_types).distinct()
    if tags:
        widened = intersect(
            widened, *[_keys(SearchTerm.term == TAG + tag, entry_types) for tag in tags]
        )
    return [(entry_type, key) for entry_type, key in db.session.execute(widened)]


class Ranking:
    """Scores one query against many entries' search texts, each distinct name scored once.

    Names recur across entries (States, authorities, languages, common given names), so
    the names of all candidates are gathered and scored in one rapidfuzz batch per kind of
    comparison, and each half of a search text is ranked once however many entries share it.
    """

    def __init__(self, query: str, search_texts: Iterable[str]) -> None:
        self.wanted = normalise(query)
        parts = {part for text in search_texts for part in _parts(text)}
        direct = self._batch(self.wanted, parts)
        wanted_key = phrase_key(self.wanted)
        phonetic = (
            self._batch(wanted_key, {phrase_key(part) for part in parts})
            if len(wanted_key) >= 3
            else None
        )
        self.parts = {part: self._value(part, direct, phonetic) for part in parts}
        self.halves: dict[str, float] = {}

    @staticmethod
    def _batch(wanted: str, choices: set[str]) -> dict[str, float]:
        if not wanted or not choices:
            return {}
        found = process.extract(wanted, list(choices), scorer=fuzz.WRatio, limit=None)
        return {choice: value for choice, value, _index in found}

    def _value(
        self, part: str, direct: dict[str, float], phonetic: dict[str, float] | None
    ) -> float:
        sounds = None if phonetic is None else phonetic[phrase_key(part)]
        return name_value(self.wanted, part, direct.get(part, 0.0), sounds)

    def _best(self, half: str) -> float:
        found = self.halves.get(half)
        if found is None:
            found = max(map(self.parts.__getitem__, filter(None, half.split("|"))), default=0.0)
            self.halves[half] = found
        return found

    def score(self, search_text: str) -> float:
        """How well the entry's own names (or, weaker, its related names) answer the query."""
        if not self.wanted:
            return 0.0
        primary, _, secondary = search_text.partition("||")
        return max(self._best(primary), 0.75 * self._best(secondary))


def name_value(wanted: str, name: str, direct: float, sounds: float | None) -> float:
    """A name's score: rapidfuzz's, raised for the whole query or its start, or the sound's."""
    value = direct
    if name == wanted or name.replace(" ", "") == wanted.replace(" ", ""):
        value += 15
    elif name.startswith(wanted):
        value += 8
    if sounds is not None:
        value = max(value, 0.9 * sounds)
    return value


def _parts(search_text: str) -> list[str]:
    return [part for part in search_text.replace("||", "|").split("|") if part]


@lru_cache(maxsize=1 << 16)
def phrase_key(text: str) -> str:
    """The skeletons of a normalised text's words (cached: every search scores hundreds)."""
    return " ".join(skeleton(word) for word in text.split())


def highlight(label: str, query: str) -> list[tuple[int, int]]:
    """Character ranges of the label's words that a query word starts (after normalisation)."""
    tokens = normalise(query).split()
    keys = {skeleton(token) for token in tokens if len(skeleton(token)) >= 2}
    ranges: list[tuple[int, int]] = []
    if not tokens:
        return ranges
    for match in re.finditer(r"[^\s\-/,.()]+", label):
        words = normalise(match.group()).split() or [""]
        joined = "".join(words)
        if any(
            word.startswith(token) or joined.startswith(token) for token in tokens for word in words
        ) or (joined and skeleton(joined) in keys):
            ranges.append((match.start(), match.end()))
    return ranges
