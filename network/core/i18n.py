"""Marks domain messages for translation without importing Flask; edges translate them."""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - the conventional name for a deferred-translation marker
    """Return the message unchanged; the babel extractor collects it, the edge translates it."""
    return message
