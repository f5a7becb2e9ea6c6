"""Locale and time-zone selection, and the Jinja filters that format for them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import format_currency, format_date, format_datetime, format_decimal, get_locale
from flask_login import current_user

from network.core import outages
from network.directory.states import state_zone
from network.extensions import babel

RTL_LANGUAGES = {"ar"}
LANGUAGE_NAMES = {
    "ar": "العربية",
    "zh": "中文",
    "en": "English",
    "fr": "Français",
    "ru": "Русский",
    "es": "Español",
}


def languages() -> list[str]:
    return [code.strip() for code in current_app.config["LANGUAGES"].split(",")]


def select_locale() -> str | None:
    """The user's saved language, then this browser's choice, then Accept-Language."""
    if not has_request_context():
        return None  # command line: the default locale
    saved = _saved_locale()
    if saved:
        return saved
    chosen = session.get("locale")
    if chosen in languages():
        return str(chosen)
    return request.accept_languages.best_match(languages())


def _saved_locale() -> str | None:
    """The signed-in user's language; none while the database is away (errors.outage_answer).

    An error page must not need the database: loading the user may be what failed.
    """
    if g.get("outage") is not None:
        return None
    try:
        if getattr(current_user, "is_authenticated", False) and current_user.locale:
            return str(current_user.locale)
    except outages.SERVICE_ERRORS:
        return None
    return None


def select_timezone() -> str | None:
    """The user's chosen time zone, else their State's, else UTC."""
    if not has_request_context() or not getattr(current_user, "is_authenticated", False):
        return None
    if current_user.time_zone:
        return str(current_user.time_zone)
    state = current_user.state
    return None if state is None else state_zone(state).key


def valid_time_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def text_direction() -> str:
    return "rtl" if str(get_locale()) in RTL_LANGUAGES else "ltr"


def _localtime(moment: datetime | None, format: str = "medium") -> str:
    return "" if moment is None else format_datetime(moment, format)


# Languages whose medium date is all digits (01/12/2026): they get the month's name instead.
NUMERIC_MEDIUM_DATES = {"ar"}


def localdate(day: date | None) -> str:
    """A calendar date in the reader's language, never ambiguous ("1 déc. 2026")."""
    if day is None:
        return "—"
    return format_date(day, "long" if str(get_locale()) in NUMERIC_MEDIUM_DATES else "medium")


def _detail(value: object) -> object:
    """A history detail as the reader writes it: a calendar date by name, anything else as is."""
    if isinstance(value, str):
        try:
            return localdate(date.fromisoformat(value))
        except ValueError:
            return value
    return value


def _money(amount: Decimal | str | None, currency: str | None) -> str:
    """An amount with its currency's own digits and symbol placement in the reader's locale."""
    if amount is None:
        return "—"
    if not currency:
        return format_decimal(Decimal(amount))
    return format_currency(Decimal(amount), currency, currency_digits=True)


def _number(value: float | Decimal | int | None) -> str:
    return "—" if value is None else format_decimal(value)


def init_i18n(app: Flask) -> None:
    app.config.setdefault(
        "BABEL_TRANSLATION_DIRECTORIES", str(app.root_path and (app.root_path + "/translations"))
    )
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.jinja_env.filters["localtime"] = _localtime
    app.jinja_env.filters["localdate"] = localdate
    app.jinja_env.filters["detail"] = _detail
    app.jinja_env.filters["money"] = _money
    app.jinja_env.filters["number"] = _number
    app.jinja_env.add_extension("jinja2.ext.i18n")

    @app.context_processor
    def locale_context() -> dict[str, object]:
        return {
            "current_locale": str(get_locale()),
            "text_direction": text_direction(),
            "language_names": {code: LANGUAGE_NAMES[code] for code in languages()},
        }
