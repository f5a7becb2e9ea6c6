"""The tracking pages' blueprint, and how a page reads a posted form and acts on it.

Views load the posted form with the API's input schemas (``web.forms.submitted``) and
call the services, which check permissions and domain rules; bad input or a refusal
re-renders the page with the message and the fields it names. Views never query case
data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, flash, redirect, request
from flask_login import current_user
from marshmallow import Schema
from werkzeug.wrappers import Response

from network.assistance.read_models import RequestView
from network.core import clock
from network.core.errors import DomainError
from network.core.i18n import N_
from network.extensions import db
from network.http.errors import translate
from network.http.gates import refusal_for
from network.web.forms import Form, submitted
from network.web.labels import label

bp = Blueprint("web_tracking", __name__)

Page = tuple[str, int]
T = TypeVar("T")
INVALID = N_("Some values are not valid.")


def request_choice(request: RequestView) -> str:
    """A request as a person picks it: number, kind, requested State and own reference."""
    parts = [f"#{request.id}", label(request.kind, "request_kind"), request.requested_state]
    return " · ".join([*parts, request.reference] if request.reference else parts)


def errors_of(error: DomainError) -> dict[str, list[str]]:
    """The service's refusal by field, translated, as a page form shows it."""
    return {
        name: [translate(each) for each in messages if isinstance(each, str)]
        for name, messages in error.errors.items()
    }


def act_on_form(
    schema: Schema,
    action: Callable[[dict[str, Any]], T],
    success: str,
    target: str | Callable[[T], str],
    page: Callable[..., Page],
) -> Response | Page:
    """Load the posted form with the API's input schema, run one change and commit once.

    ``target`` is where a success leads (or makes it from what the change returned). Bad
    input, or the service's refusal, shows the page again, ``page(status=, form=)``, with
    what was typed and the errors beside their fields; as in the API, an outsider is told
    "not found" first.
    """
    values, form = submitted(schema)
    if values is None:
        refusal = refusal_for(current_user, request.view_args or {})
        if refusal is not None:
            raise refusal
        flash(translate(INVALID), "error")
        return page(status=422, form=form)
    try:
        done = action(values)
    except DomainError as error:
        db.session.rollback()
        if error.status == 404:
            raise
        flash(translate(error.message, error.params), "error")
        return page(status=error.status, form=Form(form.typed, errors_of(error)))
    db.session.commit()
    flash(success, "success")
    return redirect(target if isinstance(target, str) else target(done))


def common_context() -> dict[str, Any]:
    """What every tracking page's template uses."""
    return {"tr": translate, "now": clock.now()}
