"""GET /api/v1/search: one box over States, authorities and focal points, ranked.

Answers carry no HTML: a hit's matched words are ``highlights``, character ranges of its
label, which the page marks up itself.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask.views import MethodView
from flask_babel import get_locale, gettext
from flask_smorest import Blueprint

from network.api.responses import page_answer
from network.core import clock
from network.directory.search import SearchFilters, SearchHit, search
from network.schemas.directory import SearchArgs, SearchResultSchema

PREFIX = "/search"
blp = Blueprint("search", __name__, description="Directory search in the six UN languages")

_PAGES = {
    "state": ("web_directory.state", "code"),
    "authority": ("web_directory.authority", "authority_id"),
    "focal_point": ("web_directory.focal_point", "focal_point_id"),
}


def hit_url(hit: SearchHit) -> str:
    endpoint, argument = _PAGES[hit.type]
    value: Any = hit.id if hit.type == "state" else int(hit.id)
    return url_for(endpoint, **{argument: value})


def run_search(args: dict[str, Any]) -> dict[str, Any]:
    """Shared by the API and nothing else: the page calls the API from the browser."""
    filters = SearchFilters(
        region=args.get("region"),
        kind=args.get("kind"),
        language=(args.get("language") or "").lower() or None,
        expertise=args.get("expertise"),
        types=(args["type"],) if args.get("type") else (),
    )
    locale = str(get_locale() or "en")
    hits, total = search(
        args["q"],
        filters,
        now=clock.now(),
        locale=locale[:2],
        page=args["page"],
        per_page=args["per_page"],
    )
    items = [
        {
            "type": hit.type,
            "id": hit.id,
            "label": hit.label,
            "highlights": [list(pair) for pair in hit.highlights],
            "state": hit.state,
            "detail": gettext(hit.detail) if hit.type == "authority" else hit.detail,
            "stale": hit.stale,
            "score": round(hit.score, 1),
            "url": hit_url(hit),
        }
        for hit in hits
    ]
    return page_answer(items, total, args["page"])


@blp.route("")
class Search(MethodView):
    @blp.arguments(SearchArgs, location="query")
    @blp.response(200, SearchResultSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Search States, authorities and focal points by name, code, kind, language, expertise."""
        return run_search(args)
