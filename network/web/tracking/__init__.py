"""Tracking pages: one blueprint, web_tracking, with a module of pages per aggregate."""

from __future__ import annotations

from network.web.tracking import disclosures, links, overview, recovery, requests, returns
from network.web.tracking.pages import bp

__all__ = ["bp", "disclosures", "links", "overview", "recovery", "requests", "returns"]
