"""Directory services: keeping the list of States in step with ISO 3166 and CLDR."""

from __future__ import annotations

import pycountry
from babel import Locale
from sqlalchemy import select

from network.directory.models import State
from network.extensions import db

UN_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")


def cldr_names(alpha_2: str) -> dict[str, str]:
    """A territory's name in the six UN languages, from Babel's CLDR data (never typed by hand)."""
    names = {}
    for language in UN_LANGUAGES:
        name = Locale.parse(language).territories.get(alpha_2)
        if name:
            names[language] = name
    return names


def sync_states() -> int:
    """Create any missing State from ISO 3166; returns how many were added."""
    existing = set(db.session.scalars(select(State.code)))
    added = 0
    for country in pycountry.countries:
        if country.alpha_3 in existing:
            continue
        names = cldr_names(country.alpha_2)
        names.setdefault("en", country.name)
        db.session.add(State(code=country.alpha_3, names=names))
        added += 1
    db.session.flush()
    return added
