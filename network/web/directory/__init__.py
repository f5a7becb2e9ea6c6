"""Directory pages: search, State, authority and focal-point pages, administrators' forms.

One blueprint, ``web_directory``; each page module adds its routes to it when imported here.
"""

from __future__ import annotations

from network.web.directory import (  # noqa: F401 - importing a page module registers its routes
    authorities,
    focal_points,
    observer_bodies,
    profiles,
    search,
    states,
    who_to_ask,
)
from network.web.directory.pages import bp

__all__ = ["bp"]
