"""The directory pages' blueprint and what every one of them uses to render and report errors."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import Schema
from werkzeug.wrappers import Response as BaseResponse

from network.auth.policy import Action, require
from network.core import clock
from network.core.errors import DomainError, InvalidInput, StaleEdit
from network.directory.freshness import is_stale
from network.directory.languages import language_name
from network.directory.models import Authority, FocalPoint, State
from network.directory.vcard import vcard
from network.extensions import db
from network.http.errors import translate
from network.schemas import directory_vocabularies
from network.schemas.library_vocabularies import DOCUMENT_KINDS
from network.web.forms import Form, refused, submitted, version_seen

bp = Blueprint("web_directory", __name__, url_prefix="/directory")

Entry = TypeVar("Entry", Authority, FocalPoint)


def locale_code() -> str:
    """The viewer's language as a two-letter code."""
    return str(get_locale() or "en")[:2]


def labels(choices: Mapping[str, str]) -> list[tuple[str, str]]:
    """A vocabulary as form choices, in the viewer's language."""
    return [(key, translate(label)) for key, label in choices.items()]


def _context() -> dict[str, Any]:
    """What every directory template uses: vocabularies, the clock, the staleness rule."""
    return {
        "vocab": directory_vocabularies,
        "now": clock.now(),
        "is_stale": is_stale,
        "spoken_names": lambda codes: ", ".join(
            language_name(code, locale_code()) for code in codes
        ),
        "tr": translate,
        "library_kinds": DOCUMENT_KINDS,
    }


def render(template: str, status: int = 200, **values: Any) -> tuple[str, int]:
    """A directory page with the shared context, and its status."""
    return render_template(template, **_context(), **values), status


def show_refusal(form: Form, error: DomainError) -> Form:
    """Flash a service's refusal and show its field errors next to the form's fields."""
    flash(translate(error.message, error.params), "error")
    return refused(form, error)


def memberships_typed(memberships: list[dict[str, str]] | None) -> str:
    """Network memberships as the forms type them: "egmont:member, carin:observer"."""
    return ", ".join(f"{m['network']}:{m['status']}" for m in memberships or [])


def edit_page(
    found: Entry,
    schema: Schema,
    values_of: Callable[[dict[str, Any]], dict[str, Any]],
    update: Callable[..., Entry],
    page: Callable[[State, Entry, Form, int], tuple[str, int]],
    shown: Callable[[Entry], Form],
    saved: str,
    own_page: str,
) -> BaseResponse | tuple[str, int]:
    """An entry's edit page: its form, then saving it (which confirms it) and showing it again.

    ``page`` renders the form for the entry's State and ``shown`` fills it from the entry; the
    posted form loads with ``schema``, ``values_of`` turns it into what ``update`` (the service)
    takes; once committed, ``saved`` is flashed and the entry's ``own_page`` shown. Saved
    from a version another change replaced, it writes nothing and shows the form again as
    typed, saying who changed the entry, with the current version to save over it knowingly.
    """
    require(current_user, Action.EDIT_STATE_DIRECTORY, found.state_code)
    if request.method != "POST":
        return page(found.state, found, shown(found), 200)
    values, form = submitted(schema)
    if values is None:
        return page(found.state, found, form, 422)
    try:
        update(
            current_user,
            found.id,
            values_of(values),
            now=clock.now(),
            expected_version=version_seen(),
        )
    except (InvalidInput, StaleEdit) as error:
        db.session.rollback()
        return page(found.state, found, show_refusal(form, error), error.status)
    db.session.commit()
    flash(saved, "success")
    return redirect(own_page)


def after_confirming(found: Authority | FocalPoint, own_page: str) -> BaseResponse:
    """Commit an entry's confirmation, say so, and return to the State's page or the entry's."""
    db.session.commit()
    flash(_("Entry confirmed as current."), "success")
    if request.form.get("next") == "state":
        return redirect(url_for("web_directory.state", code=found.state_code))
    return redirect(own_page)


def vcard_download(entry: Authority | FocalPoint, filename: str) -> Response:
    """The entry's vCard as a file to save."""
    return Response(
        vcard(entry),
        mimetype="text/vcard",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
