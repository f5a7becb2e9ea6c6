"""Marks domain messages for translation without importing Flask; edges translate them."""

from __future__ import annotations


def N_(message: str) -> str:
    """Return the message unchanged; the babel extractor collects it, the edge translates it."""
    return message
