"""Small input rules of the tracking services (requests, recovery, disclosures), by field."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

import pycountry
from sqlalchemy import select

from network.core.errors import InvalidInput
from network.core.i18n import N_
from network.directory.models import State
from network.extensions import db

INVALID = N_("Some values are not valid.")
MAX_DECIMAL_PLACES = 4
MAX_WHOLE_DIGITS = 16


def refuse(field: str, problem: str, message: str = INVALID, **params: Any) -> InvalidInput:
    """An InvalidInput naming one field (the caller raises it)."""
    return InvalidInput(message, {field: [problem]}, **params)


def text(value: str | None, limit: int, field: str, *, required: bool = False) -> str:
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise refuse(field, N_("This field is required."))
    if len(cleaned) > limit:
        raise refuse(field, N_("At most %(max)s characters."), max=limit)
    return cleaned


def choice(value: str | None, allowed: Iterable[str], field: str) -> str:
    options = list(allowed)
    if value not in options:
        raise refuse(field, N_("Choose one of: %(options)s."), options=", ".join(options))
    return value


def state_code(value: str | None, field: str) -> str:
    code = (value or "").strip().upper()
    if len(code) != 3 or db.session.scalar(select(State.code).where(State.code == code)) is None:
        raise refuse(field, N_("Unknown State code."))
    return code


def currency(value: str | None, field: str = "currency") -> str:
    """An active ISO 4217 currency code (pycountry's list)."""
    code = (value or "").strip().upper()
    if len(code) != 3 or pycountry.currencies.get(alpha_3=code) is None:
        raise refuse(field, N_("Not an ISO 4217 currency code."))
    return code


def amount(
    value: Decimal | str | int | None, field: str, *, required: bool = True
) -> Decimal | None:
    """A non-negative decimal with at most four decimal places; floats are refused outright."""
    if value is None or value == "":
        if required:
            raise refuse(field, N_("This field is required."))
        return None
    if isinstance(value, float):
        raise refuse(field, N_("Give the amount as a decimal string."))
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise refuse(field, N_("Not a decimal number.")) from None
    if not number.is_finite():
        raise refuse(field, N_("Not a decimal number."))
    if number < 0:
        raise refuse(field, N_("The amount cannot be negative."))
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_DECIMAL_PLACES:
        raise refuse(field, N_("At most four decimal places."))
    if number.adjusted() >= MAX_WHOLE_DIGITS:
        raise refuse(field, N_("The amount is too large."))
    return number
