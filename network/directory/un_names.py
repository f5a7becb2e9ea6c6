"""The UN's short and formal names of each State in six languages, and the names search knows.

The names come from ``data/un_state_names.csv`` and the search-only aliases from
``data/un_state_aliases.csv``; ``data/README.md`` names their sources and the rows under review.
An alias (a CLDR form, a former name, a usual short form) finds its State in search but is
never shown as the State's name.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

from babel import Locale

LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
ALIAS_KINDS = frozenset({"cldr", "un", "former", "common"})
NAMES_FILE = "un_state_names.csv"
ALIASES_FILE = "un_state_aliases.csv"
DATA_FOLDER = Path(__file__).with_name("data")


@dataclass(frozen=True)
class UnName:
    """A State's name in one language as the UN writes it: short in lists, formal in legal texts."""

    short: str
    formal: str


@dataclass(frozen=True)
class Alias:
    """Another name a State goes by in one language: it finds the State, never labels it."""

    language: str
    name: str
    kind: str  # cldr, un (another UN spelling), former, common (usual short form, abbreviation)


def _rows(file_name: str) -> Iterator[dict[str, str]]:
    """The rows of one of the package's data files (UTF-8 CSV with a header line)."""
    with (DATA_FOLDER / file_name).open(encoding="utf-8", newline="") as data:
        yield from csv.DictReader(data, strict=True)


@cache
def _names() -> Mapping[str, Mapping[str, UnName]]:
    """Every State's UN names by code, then by language (read once)."""
    return MappingProxyType(
        {
            row["code"]: MappingProxyType(
                {
                    language: UnName(row[f"{language}_short"], row[f"{language}_formal"])
                    for language in LANGUAGES
                }
            )
            for row in _rows(NAMES_FILE)
        }
    )


@cache
def _aliases() -> Mapping[str, tuple[Alias, ...]]:
    """Every State's search-only aliases by code, in file order (read once)."""
    by_code: dict[str, list[Alias]] = {}
    for row in _rows(ALIASES_FILE):
        alias = Alias(row["language"], row["alias"], row["kind"])
        by_code.setdefault(row["code"], []).append(alias)
    return MappingProxyType({code: tuple(aliases) for code, aliases in by_code.items()})


def cldr_names(alpha_2: str) -> dict[str, str]:
    """A territory's common name in the six UN languages, from Babel's CLDR data.

    Shown beside the UN's name where they differ, and searched: it is what most people type.
    """
    names = {}
    for language in LANGUAGES:
        name = Locale.parse(language).territories.get(alpha_2)
        if name:
            names[language] = name
    return names


def un_language(locale: str) -> str:
    """The UN language of a locale identifier ('zh_Hans_CN', 'fr-CA' -> 'zh', 'fr')."""
    language = locale.replace("-", "_").split("_", 1)[0].lower()
    if language not in LANGUAGES:
        raise ValueError(f"{locale!r} is not in one of the six UN languages")
    return language


def state_codes() -> frozenset[str]:
    """The alpha-3 codes of the States the UN list names (members and observer States)."""
    return frozenset(_names())


def un_names(code: str) -> Mapping[str, UnName]:
    """A State's UN names by language; empty for a code the UN list does not hold."""
    return _names().get(code, MappingProxyType({}))


def un_name(code: str, locale: str) -> UnName | None:
    """A State's UN name in a locale's language; None for a code the UN list does not hold."""
    return un_names(code).get(un_language(locale))


def search_aliases(code: str) -> tuple[Alias, ...]:
    """The other names a State is known by, in the six languages: for search only."""
    return _aliases().get(code, ())


def names_known_by(code: str) -> tuple[str, ...]:
    """Every name that should find a State: its UN names in six languages, then its aliases."""
    names = [name for un in un_names(code).values() for name in (un.short, un.formal)]
    names += [alias.name for alias in search_aliases(code)]
    return tuple(dict.fromkeys(names))
