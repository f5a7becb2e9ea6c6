"""Accounts named in a notification: an IBAN is told by its shape and checked with mod-97."""

from __future__ import annotations

from network.disclosures import details


def test_an_iban_is_told_by_its_shape_and_checked_with_mod_97() -> None:
    assert details.looks_like_iban("GB82 WEST 1234 5698 7654 32")
    assert details.iban_checks("GB82 WEST 1234 5698 7654 32")
    assert not details.iban_checks("GB83 WEST 1234 5698 7654 32")
    assert not details.looks_like_iban("0044-778")
    assert not details.looks_like_iban("AB12")
