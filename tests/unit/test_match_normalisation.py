"""Specifications for how names and accounts are normalised before they are digested."""

from __future__ import annotations

import pytest

from network.recovery import matching


@pytest.mark.parametrize(
    ("written", "other"),
    [
        ("José  García", "garcia jose"),
        ("Ngozi Okonjo-Iweala", "OKONJO IWEALA, Ngozi"),
        ("Zoë Müller", "Muller Zoe"),
    ],
)
def test_names_are_normalised_before_they_are_digested(written: str, other: str) -> None:
    assert matching.normal_name(written) == matching.normal_name(other)


def test_ibans_with_spaces_are_one_account() -> None:
    written = dict(
        matching.asset_values({"identifiers": {"Account": "ch93 0076 2011 6238 5295 7"}})
    )
    other = dict(matching.asset_values({"identifiers": {"IBAN": "CH9300762011623852957"}}))
    assert written == other == {"iban": "CH9300762011623852957"}


def test_dots_and_apostrophes_join_the_letters_they_sit_between() -> None:
    assert matching.normal_name("Lagune Holdings S.A.") == matching.normal_name(
        "lagune holdings SA"
    )
    assert matching.normal_name("Seán O’Brien") == matching.normal_name("obrien sean")
