"""URL converters: numbers in paths are bounded to what the database's Integer columns hold."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

from network.core.types import INT_MAX


class StoredIntegerConverter(IntegerConverter):
    """``<int:...>`` that matches only numbers an id column can hold; a larger one is a 404."""

    def __init__(  # werkzeug passes a rule's arguments by these names
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = None,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits, min, max, signed)
        if self.max is None or self.max > INT_MAX:
            self.max = INT_MAX


def register_converters(app: Flask) -> None:
    """Replace the stock ``int`` converter before any route is added, so every route uses it."""
    app.url_map.converters["int"] = StoredIntegerConverter
