"""Marks domain messages for translation without importing Flask; edges translate them.

Also writes dates and lists as a language writes them (Babel's CLDR data), for the pages,
the e-mails, the calendars and the documents alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list

# Languages whose medium date is all digits (01/12/2026): they get the month's name instead.
NUMERIC_MEDIUM_DATES = frozenset({"ar"})


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


def written_date(day: date, locale: str) -> str:
    """A calendar date in a language, never ambiguous: "1 déc. 2026", "١ ديسمبر ٢٠٢٦"."""
    width = "long" if Locale.parse(locale).language in NUMERIC_MEDIUM_DATES else "medium"
    return format_date(day, width, locale=locale)


def written_list(items: Iterable[str], locale: str) -> str:
    """Items joined as the language joins them: "A, B et C", "A و B", "A、B和C"."""
    return format_list(list(items), locale=locale)
