"""ISO 639 languages by name, in the viewer's language and as the search index knows them."""

from __future__ import annotations

import contextlib
from functools import cache

import pycountry
from babel import Locale


def language_name(code: str, locale: str = "en") -> str:
    """An ISO 639 code shown by name in the viewer's language."""
    name = Locale.parse(locale).languages.get(code)
    if name:
        return str(name)
    language = (
        pycountry.languages.get(alpha_2=code)
        if len(code) == 2
        else pycountry.languages.get(alpha_3=code)
    )
    return language.name if language else code


@cache
def _language_words(code: str) -> tuple[str, ...]:
    """A language's code, English name and own name, for the index (cached: CLDR is slow)."""
    texts = [code, language_name(code, "en")]
    if len(code) == 2 and code in Locale("en").languages:
        with contextlib.suppress(ValueError, LookupError):
            texts.append(str(Locale.parse(code).languages.get(code) or ""))
    return tuple(texts)


def language_texts(codes: list[str]) -> list[str]:
    """Every word the index keeps for these languages: codes, English and own names."""
    return [text for code in codes for text in _language_words(code)]
