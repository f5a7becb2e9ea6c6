"""/api/v1/library and /api/v1/technical-assistance: the network's knowledge."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_babel import get_locale
from flask_login import current_user
from flask_smorest import Blueprint

from network.api.responses import ETAG, edits_version, if_match, page_answer, refuses, tagged
from network.core import clock
from network.extensions import db
from network.library import documents, technical_assistance
from network.library.models import AssistanceNeed
from network.library.read_models import DocumentView, document_view, hit_views
from network.schemas import library as schemas

PREFIX = ""
blp = Blueprint(
    "library",
    __name__,
    description="The network's library, and technical-assistance needs and offers",
)


def _locale() -> str:
    return str(get_locale() or "en")[:2]


def _shown(document_id: int) -> tuple[DocumentView, dict[str, str]]:
    view = document_view(current_user, documents.get_document(current_user, document_id), _locale())
    return tagged(view, view.version)


@blp.route("/library")
class Library(MethodView):
    @blp.arguments(schemas.LibraryArgs, location="query")
    @blp.response(200, schemas.LibraryListSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Search or list the library: by words in any version, kind, State and language."""
        hits, total = documents.list_documents(current_user, **args)
        return page_answer(hit_views(current_user, hits, _locale()), total, args["page"])

    @blp.arguments(schemas.LibraryDocumentInput)
    @blp.response(201, schemas.LibraryDocumentSchema, headers=ETAG)
    @refuses(blp, 403)
    def post(self, data: dict[str, Any]) -> tuple[DocumentView, dict[str, str]]:
        """Publish a document (the network administrator; a national administrator: own notes)."""
        document = documents.create_document(current_user, data, now=clock.now())
        db.session.commit()
        return _shown(document.id)


@blp.route("/library/<int:document_id>")
class LibraryDocumentById(MethodView):
    @blp.response(200, schemas.LibraryDocumentSchema, headers=ETAG)
    def get(self, document_id: int) -> tuple[DocumentView, dict[str, str]]:
        """One document with every language version."""
        return _shown(document_id)

    @blp.arguments(schemas.LibraryDocumentPatch)
    @blp.response(200, schemas.LibraryDocumentSchema, headers=ETAG)
    @refuses(blp, 403)
    @edits_version(blp)
    def patch(self, data: dict[str, Any], document_id: int) -> tuple[DocumentView, dict[str, str]]:
        """Change a document; ``versions`` replaces every language version."""
        documents.update_document(
            current_user, document_id, data, now=clock.now(), expected_version=if_match()
        )
        db.session.commit()
        return _shown(document_id)

    @blp.response(204)
    @refuses(blp, 403)
    def delete(self, document_id: int) -> None:
        """Take a document out of the library."""
        documents.delete_document(current_user, document_id, now=clock.now())
        db.session.commit()


@blp.route("/technical-assistance")
class TechnicalAssistance(MethodView):
    @blp.arguments(schemas.TechnicalAssistanceArgs, location="query")
    @blp.response(200, schemas.TechnicalAssistanceSchema)
    @refuses(blp, 403)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Needs and offers per area across the network; entries by State for the administrator."""
        figures = technical_assistance.network_figures(current_user)
        items: list[AssistanceNeed] = []
        total = 0
        if current_user.role == "network_admin" or current_user.state_code:
            items, total = technical_assistance.list_entries(
                current_user, state=args.get("state"), page=args["page"], per_page=args["per_page"]
            )
        return {"figures": figures, **page_answer(items, total, args["page"])}

    @blp.arguments(schemas.AssistanceNeedInput)
    @blp.response(201, schemas.AssistanceNeedSchema)
    @refuses(blp, 403)
    def post(self, data: dict[str, Any]) -> AssistanceNeed:
        """Record a need or an offer of the caller's State."""
        entry = technical_assistance.record_entry(current_user, data, now=clock.now())
        db.session.commit()
        return entry


@blp.route("/technical-assistance/<int:entry_id>")
class TechnicalAssistanceById(MethodView):
    @blp.arguments(schemas.AssistanceNeedPatch)
    @blp.response(200, schemas.AssistanceNeedSchema)
    @refuses(blp, 403)
    @edits_version(blp)
    def patch(self, data: dict[str, Any], entry_id: int) -> AssistanceNeed:
        """Change one's own State's need or offer, or mark it met or withdrawn."""
        entry = technical_assistance.update_entry(
            current_user, entry_id, data, now=clock.now(), expected_version=if_match()
        )
        db.session.commit()
        return entry
