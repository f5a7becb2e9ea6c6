"""The UN's names of the directory's States: all six languages, clean, as the UN writes them."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import defaultdict

import pytest

from network.directory import reference
from network.directory.un_names import (
    ALIAS_KINDS,
    ALIASES_FILE,
    DATA_FOLDER,
    LANGUAGES,
    NAMES_FILE,
    names_known_by,
    search_aliases,
    state_codes,
    un_language,
    un_name,
    un_names,
)

DIRECTORY_STATES = {*reference.UN_MEMBER_REGIONS, *reference.UN_OBSERVER_REGIONS}
STRAY_SPACE = re.compile(r"^\s|\s$|\s{2}|[^\S ]")  # edge or double spaces, tabs, NBSP, newlines
APOSTROPHES = re.compile(r"[’‘`ʼ]")


def _cells(file_name: str) -> list[list[str]]:
    """A data file's rows as read strictly: UTF-8 (no BOM), LF line ends, header first."""
    raw = (DATA_FOLDER / file_name).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in raw
    assert raw.endswith(b"\n")
    return list(csv.reader(io.StringIO(raw.decode("utf-8", errors="strict"), newline="")))


def _same(name: str) -> str:
    """A name as search compares it: NFC, case and apostrophe style set aside."""
    return APOSTROPHES.sub("'", unicodedata.normalize("NFC", name)).casefold()


def test_every_state_of_the_directory_has_both_un_names_in_all_six_languages() -> None:
    assert state_codes() == DIRECTORY_STATES
    for code in DIRECTORY_STATES:
        names = un_names(code)
        assert set(names) == set(LANGUAGES), code
        assert all(name.short and name.formal for name in names.values()), code


@pytest.mark.parametrize("file_name", [NAMES_FILE, ALIASES_FILE])
def test_the_data_files_are_utf8_without_an_empty_cell_or_stray_whitespace(file_name: str) -> None:
    header, *rows = _cells(file_name)
    assert rows
    for row in [header, *rows]:
        assert len(row) == len(header), row
        for cell in row:
            assert cell, row
            assert not STRAY_SPACE.search(cell), repr(cell)
            assert cell == unicodedata.normalize("NFC", cell), repr(cell)
            assert all(unicodedata.category(char) not in {"Cc", "Cf"} for char in cell), repr(cell)


def test_the_names_file_has_one_row_per_state_and_both_names_per_language() -> None:
    header, *rows = _cells(NAMES_FILE)
    assert header == ["code"] + [
        f"{lang}_{form}" for lang in LANGUAGES for form in ("short", "formal")
    ]
    codes = [row[0] for row in rows]
    assert len(codes) == len(set(codes)) == len(DIRECTORY_STATES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_two_states_share_a_short_name_in_one_language(language: str) -> None:
    short_names = [_same(un_names(code)[language].short) for code in DIRECTORY_STATES]
    assert len(short_names) == len(set(short_names))


@pytest.mark.parametrize(
    ("code", "language", "short", "formal"),
    [
        ("CIV", "en", "Côte d'Ivoire", "Republic of Côte d'Ivoire"),
        ("CIV", "ar", "كوت ديفوار", "جمهورية كوت ديفوار"),
        ("CIV", "ru", "Кот-д’Ивуар", "Республика Кот-д’Ивуар"),
        ("CIV", "zh", "科特迪瓦", "科特迪瓦共和国"),
        ("COD", "en", "Democratic Republic of the Congo", "Democratic Republic of the Congo"),
        ("PSE", "en", "State of Palestine", "State of Palestine"),
        ("VAT", "fr", "Saint-Siège", "Saint-Siège"),
        ("TUR", "en", "Türkiye", "Republic of Türkiye"),
        ("TUR", "ru", "Турция", "Турецкая Республика"),
        (
            "GBR",
            "en",
            "United Kingdom of Great Britain and Northern Ireland",
            "United Kingdom of Great Britain and Northern Ireland",
        ),
        ("GBR", "zh", "大不列颠及北爱尔兰联合王国", "大不列颠及北爱尔兰联合王国"),
        ("BOL", "es", "Bolivia (Estado Plurinacional de)", "Estado Plurinacional de Bolivia"),
        ("RUS", "ru", "Российская Федерация", "Российская Федерация"),
        ("NLD", "en", "Netherlands (Kingdom of the)", "Kingdom of the Netherlands"),
        ("FJI", "ru", "Фиджи", "Республика Фиджи"),
    ],
)
def test_known_names_are_written_as_the_un_writes_them(
    code: str, language: str, short: str, formal: str
) -> None:
    assert un_name(code, language) == un_names(code)[language]
    assert (un_names(code)[language].short, un_names(code)[language].formal) == (short, formal)


def test_names_carry_no_leading_article_nor_list_marker() -> None:
    article = re.compile(r"^(the|le|la|les|el|los|las) |^l'|\((the|l'|le|la|les|el|los|las)\)|\*")
    for code in DIRECTORY_STATES:
        for language in ("en", "fr", "es"):
            name = un_names(code)[language]
            assert not article.search(name.short), name
            assert not article.search(name.formal), name


def test_a_locale_is_read_as_its_un_language() -> None:
    assert un_name("CHN", "zh_Hans_CN") == un_names("CHN")["zh"]
    assert un_name("FRA", "fr-CA") == un_names("FRA")["fr"]
    with pytest.raises(ValueError, match="six UN languages"):
        un_language("de")


def test_a_state_outside_the_un_list_has_no_un_name_and_no_alias() -> None:
    assert un_name("XKX", "en") is None
    assert un_names("XKX") == {}
    assert search_aliases("XKX") == ()
    assert names_known_by("XKX") == ()


def test_every_alias_belongs_to_a_state_of_the_directory_in_a_un_language() -> None:
    _header, *rows = _cells(ALIASES_FILE)
    assert {row[0] for row in rows} <= DIRECTORY_STATES
    for code in DIRECTORY_STATES:
        for alias in search_aliases(code):
            assert alias.language in LANGUAGES, alias
            assert alias.kind in ALIAS_KINDS, alias


def test_an_alias_is_never_one_of_its_states_un_names() -> None:
    for code in DIRECTORY_STATES:
        for alias in search_aliases(code):
            un = un_names(code)[alias.language]
            assert _same(alias.name) not in {_same(un.short), _same(un.formal)}, (code, alias)


def test_no_name_or_alias_points_to_two_states_in_one_language() -> None:
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for code in DIRECTORY_STATES:
        for language, un in un_names(code).items():
            owners[language, _same(un.short)].add(code)
            owners[language, _same(un.formal)].add(code)
        for alias in search_aliases(code):
            owners[alias.language, _same(alias.name)].add(code)
    assert {name: codes for name, codes in owners.items() if len(codes) > 1} == {}


@pytest.mark.parametrize(
    ("code", "language", "alias"),
    [
        ("CIV", "en", "Ivory Coast"),
        ("CIV", "es", "Costa de Marfil"),
        ("COD", "en", "Congo-Kinshasa"),
        ("COD", "en", "DR Congo"),
        ("COD", "fr", "RDC"),
        ("PSE", "en", "Palestine"),
        ("TUR", "en", "Turkey"),
        ("TUR", "fr", "Turquie"),
        ("ARE", "ru", "ОАЭ"),
        ("GBR", "en", "UK"),
        ("GBR", "zh", "英国"),
        ("USA", "en", "USA"),
        ("VAT", "en", "Vatican"),
        ("SWZ", "en", "Swaziland"),
    ],
)
def test_the_names_a_state_is_usually_known_by_find_it(
    code: str, language: str, alias: str
) -> None:
    assert (language, alias) in {(found.language, found.name) for found in search_aliases(code)}
    assert alias in names_known_by(code)


def test_every_name_of_a_state_is_known_once_un_names_first() -> None:
    known = names_known_by("CIV")
    assert len(known) == len(set(known))
    assert known[:2] == ("كوت ديفوار", "جمهورية كوت ديفوار")
    assert {"Кот-д’Ивуар", "Côte d’Ivoire", "Ivory Coast", "象牙海岸"} <= set(known)
