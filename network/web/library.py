"""The library's pages: search and list, a document in its language versions, keepers' forms."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response as BaseResponse

from network.auth.policy import Action, can
from network.core import clock
from network.core.errors import InvalidInput, PermissionDenied, StaleEdit
from network.core.types import stored_int
from network.extensions import db
from network.http.errors import translate
from network.library import documents
from network.library.models import LibraryDocument
from network.library.read_models import document_view, hit_views
from network.schemas import library_vocabularies as vocab
from network.schemas.library import LibraryDocumentInput
from network.web.forms import Form, blank, refused, submitted, version_seen

bp = Blueprint("web_library", __name__, url_prefix="/library")

PER_PAGE = 20
LANGUAGE_NAMES = {
    "ar": "العربية",
    "zh": "中文",
    "en": "English",
    "fr": "Français",
    "ru": "Русский",
    "es": "Español",
}


def _locale() -> str:
    return str(get_locale() or "en")[:2]


def _render(template: str, status: int = 200, **values: Any) -> tuple[str, int]:
    return render_template(
        template, vocab=vocab, tr=translate, language_names=LANGUAGE_NAMES, **values
    ), status


def _may_publish() -> bool:
    """Whether the reader keeps any part of the library (and so sees "Add a document")."""
    return can(current_user, Action.KEEP_LIBRARY, ("guide", None)) or can(
        current_user, Action.KEEP_LIBRARY, ("how_to_cooperate", current_user.state_code)
    )


@bp.route("")
def index() -> tuple[str, int]:
    """Search the library (the directory's search: any script, accents, spellings) or list it."""
    query = request.args.get("q", "")[:200]
    kind = request.args.get("kind") or None
    kind = kind if kind in vocab.DOCUMENT_KINDS else None
    language = request.args.get("language") or None
    language = language if language in vocab.LIBRARY_LANGUAGES else None
    state = (request.args.get("state") or "").upper()[:3] or None
    page = max(1, request.args.get("page", 1, type=stored_int))
    hits, total = documents.list_documents(
        current_user,
        q=query,
        kind=kind,
        state=state,
        language=language,
        page=page,
        per_page=PER_PAGE,
    )
    return _render(
        "library/index.html",
        query=query,
        kind=kind or "",
        language=language or "",
        form=blank(state=state or ""),
        state=state or "",
        views=hit_views(current_user, hits, _locale()),
        total=total,
        page=page,
        pages=max(1, -(-total // PER_PAGE)),
        may_publish=_may_publish(),
    )


@bp.route("/glossary")
def glossary() -> tuple[str, int]:
    """The network's terms side by side in the six languages."""
    hits, _total = documents.list_documents(
        current_user, kind="glossary_term", page=1, per_page=500
    )
    return _render("library/glossary.html", terms=[hit.document for hit in hits])


@bp.route("/<int:document_id>")
def document(document_id: int) -> tuple[str, int]:
    """One document; ``?lang=`` chooses the language version shown."""
    found = documents.get_document(current_user, document_id)
    view = document_view(current_user, found, _locale())
    shown = found.version_in(request.args.get("lang") or _locale())
    return _render("library/document.html", view=view, shown=shown)


def _typed_versions(raw: MultiDict[str, str]) -> MultiDict[str, str]:
    """The posted form without the language blocks left blank (their date is filled in advance)."""
    filled = {
        key.split(".", 1)[0]
        for key, value in raw.items(multi=True)
        if key.startswith("versions-")
        and key.split(".", 1)[-1] in {"title", "summary", "body"}
        and value.strip()
    }
    return MultiDict(
        [
            (key, value)
            for key, value in raw.items(multi=True)
            if not key.startswith("versions-") or key.split(".", 1)[0] in filled
        ]
    )


def _form_of(found: LibraryDocument) -> Form:
    return blank(
        kind=found.kind,
        state=found.state_code or "",
        versions=[
            {
                "language": each.language,
                "title": each.title,
                "summary": each.summary,
                "body": each.body,
                "dated_on": each.dated_on.isoformat(),
            }
            for each in found.versions
        ],
    )


def _form_page(form: Form, found: LibraryDocument | None, status: int) -> tuple[str, int]:
    typed = {row.get("language"): row for row in form.value("versions", []) or []}
    return _render(
        "library/form.html",
        status,
        form=form,
        found=found,
        typed=typed,
        kind_choices=[(key, translate(label)) for key, label in vocab.DOCUMENT_KINDS.items()],
        today=clock.now().date().isoformat(),
    )


def _save(found: LibraryDocument | None) -> BaseResponse | tuple[str, int]:
    values, form = submitted(LibraryDocumentInput(), _typed_versions(request.form))
    if values is None:
        return _form_page(form, found, 422)
    try:
        if found is None:
            saved = documents.create_document(current_user, values, now=clock.now())
        else:
            saved = documents.update_document(
                current_user, found.id, values, now=clock.now(), expected_version=version_seen()
            )
    except (InvalidInput, PermissionDenied, StaleEdit) as error:
        db.session.rollback()
        flash(translate(error.message, error.params), "error")
        return _form_page(refused(form, error), found, error.status)
    db.session.commit()
    flash(_("Document saved."), "success")
    return redirect(url_for("web_library.document", document_id=saved.id))


@bp.route("/new", methods=["GET", "POST"])
def new() -> BaseResponse | tuple[str, int]:
    if not _may_publish():
        abort(403)
    if request.method == "POST":
        return _save(None)
    state = "" if current_user.role == "network_admin" else current_user.state_code or ""
    kind = "guide" if current_user.role == "network_admin" else "how_to_cooperate"
    return _form_page(blank(kind=kind, state=state), None, 200)


@bp.route("/<int:document_id>/edit", methods=["GET", "POST"])
def edit(document_id: int) -> BaseResponse | tuple[str, int]:
    found = documents.get_document(current_user, document_id)
    if not can(current_user, Action.KEEP_LIBRARY, (found.kind, found.state_code)):
        abort(403)
    if request.method == "POST":
        return _save(found)
    return _form_page(_form_of(found), found, 200)


@bp.route("/<int:document_id>/delete", methods=["POST"])
def delete(document_id: int) -> BaseResponse:
    """Delete after the page's confirmation (``data-confirm``)."""
    documents.delete_document(current_user, document_id, now=clock.now())
    db.session.commit()
    flash(_("Document deleted."), "success")
    return redirect(url_for("web_library.index"))
