"""The tracking pages' blueprint, and how a page reads a posted form and acts on it.

Views parse the posted values into plain Python values and call the services,
which check permissions and domain rules; a refusal re-renders the page with
the service's message and the fields it names. Views never query case data.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, request
from werkzeug.wrappers import Response

from network.core import clock
from network.core.errors import DomainError, InvalidInput
from network.core.i18n import N_
from network.core.types import stored_int
from network.extensions import db
from network.http.errors import translate

bp = Blueprint("web_tracking", __name__)

Page = tuple[str, int]


# --- parsing the posted form -----------------------------------------------------------------


def field_text(name: str) -> str:
    return (request.form.get(name) or "").strip()


def field_optional(name: str) -> str | None:
    return field_text(name) or None


def field_date(name: str) -> date | None:
    value = field_text(name)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            N_("Some values are not valid."), {name: [N_("Enter a date as YYYY-MM-DD.")]}
        ) from None


def field_integer(name: str) -> int | None:
    value = field_text(name)
    if not value:
        return None
    try:
        return stored_int(value)
    except ValueError:
        raise InvalidInput(
            N_("Some values are not valid."), {name: [N_("Enter a whole number.")]}
        ) from None


def field_lines(name: str) -> list[str]:
    return [line.strip() for line in (request.form.get(name) or "").splitlines() if line.strip()]


def field_pairs(name: str) -> dict[str, str]:
    """Lines of "label: value" (identifiers such as "IBAN: CH93 ...")."""
    pairs: dict[str, str] = {}
    for line in field_lines(name):
        label, sep, value = line.partition(":")
        if not sep:
            raise InvalidInput(
                N_("Some values are not valid."), {name: [N_('Write one "label: value" a line.')]}
            )
        pairs[label.strip()] = value.strip()
    return pairs


def errors_of(error: DomainError) -> dict[str, list[str]]:
    return {
        name: [translate(each) for each in messages if isinstance(each, str)]
        for name, messages in error.errors.items()
    }


def act(
    action: Callable[[], object], success: str, target: str, page: Callable[..., Page]
) -> Response | Page:
    """Run one change, commit once; on refusal show the page again with what was wrong."""
    try:
        action()
    except DomainError as error:
        db.session.rollback()
        if error.status == 404:
            raise
        flash(translate(error.message, error.params), "error")
        return page(status=error.status, errors=errors_of(error), form=request.form)
    db.session.commit()
    flash(success, "success")
    return redirect(target)


def common_context() -> dict[str, Any]:
    return {"tr": translate, "now": clock.now(), "errors": {}, "form": {}}
