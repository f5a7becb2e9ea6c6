"""The directory's search page."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from network.core import clock
from network.core.types import stored_int
from network.directory import search as directory_search
from network.library.documents import list_documents
from network.library.read_models import hit_views
from network.web.directory.pages import bp, locale_code, render

PER_PAGE = 20
LIBRARY_HITS = 5


@bp.route("")
def search() -> tuple[str, int]:
    """The page works without JavaScript; directory-search.js then updates it as one types."""
    query = request.args.get("q", "")[:200]
    filters = directory_search.SearchFilters(
        region=request.args.get("region") or None,
        kind=request.args.get("kind") or None,
        language=(request.args.get("language") or "").lower()[:3] or None,
        expertise=request.args.get("expertise") or None,
    )
    page = max(1, request.args.get("page", 1, type=stored_int))
    searched = bool(
        query.strip() or filters.region or filters.kind or filters.language or filters.expertise
    )
    hits, total = (
        directory_search.search(
            query, filters, now=clock.now(), locale=locale_code(), page=page, per_page=PER_PAGE
        )
        if searched
        else ([], 0)
    )
    # The library answers the same words beside the directory (its first few documents).
    library_hits, library_total = (
        list_documents(current_user, q=query, per_page=LIBRARY_HITS) if query.strip() else ([], 0)
    )
    return render(
        "directory/search.html",
        library_views=hit_views(current_user, library_hits, locale_code()),
        library_total=library_total,
        query=query,
        filters=filters,
        hits=hits,
        total=total,
        page=page,
        pages=max(1, -(-total // PER_PAGE)),
        searched=searched,
    )
