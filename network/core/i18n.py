"""Marks domain messages for translation without importing Flask; edges translate them."""

from __future__ import annotations

from typing import NamedTuple


class InContext(NamedTuple):
    """A marked message that one context tells apart: "Sent" as a request status, say."""

    context: str
    message: str


def N_(message: str) -> str:
    """Return the message unchanged; the babel extractor collects it, the edge translates it."""
    return message


def N_p(context: str, message: str) -> InContext:
    """Mark a message with its context (``pgettext``); the edge translates the pair."""
    return InContext(context, message)
