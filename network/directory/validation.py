"""Checks every directory value and says which field is wrong, before anything is written."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from typing import Any
from zoneinfo import available_timezones

import phonenumbers
import pycountry
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select

from network.core.errors import InvalidInput
from network.core.i18n import N_
from network.directory.models import Authority, FocalPoint
from network.extensions import db

_HOUR = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
_URL = re.compile(r"^https?://[^\s]+$")


@cache
def iana_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def language_code(value: str) -> str | None:
    """An ISO 639 code in the form we store (639-1 where one exists), or None if not ISO 639."""
    code = value.strip().lower()
    if len(code) == 2:
        language = pycountry.languages.get(alpha_2=code)
    elif len(code) == 3:
        language = pycountry.languages.get(alpha_3=code) or pycountry.languages.get(
            bibliographic=code
        )
    else:
        return None
    if language is None:
        return None
    return getattr(language, "alpha_2", None) or language.alpha_3


class Fields:
    """Collects cleaned values and per-field errors from a mapping of raw values.

    ``partial`` (an update) checks only the fields given; otherwise missing fields take their
    defaults and required ones are reported.
    """

    def __init__(self, values: Mapping[str, Any], *, partial: bool) -> None:
        self.values = values
        self.partial = partial
        self.clean: dict[str, Any] = {}
        self.errors: dict[str, list[str]] = {}

    def fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def _given(self, name: str, default: Any) -> tuple[bool, Any]:
        if name in self.values:
            return True, self.values[name]
        if self.partial:
            return False, None
        self.clean[name] = default
        return False, None

    def unknown(self, allowed: set[str]) -> None:
        for name in self.values:
            if name not in allowed:
                self.fail(name, N_("Unknown field."))

    def text(self, name: str, max_length: int, *, required: bool = False) -> None:
        given, value = self._given(name, "")
        if not given:
            if required and not self.partial:
                self.fail(name, N_("This field is required."))
            return
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.fail(name, N_("Enter text."))
            return
        value = value.strip()
        if required and not value:
            self.fail(name, N_("This field is required."))
        elif len(value) > max_length:
            self.fail(name, N_("At most %(max)d characters.") % {"max": max_length})
        else:
            self.clean[name] = value

    def optional_text(self, name: str, max_length: int) -> None:
        """Text where empty means 'none' (stored as NULL)."""
        self.text(name, max_length)
        if name in self.clean and not self.clean[name]:
            self.clean[name] = None

    def email(self, name: str) -> None:
        self.text(name, 254)
        value = self.clean.get(name)
        if value:
            try:
                self.clean[name] = validate_email(value, check_deliverability=False).normalized
            except EmailNotValidError:
                del self.clean[name]
                self.fail(name, N_("Enter a valid e-mail address."))

    def phone(self, name: str) -> None:
        self.text(name, 40)
        value = self.clean.get(name)
        if value:
            try:
                number = phonenumbers.parse(value, None)
                ok = phonenumbers.is_possible_number(number)
            except phonenumbers.NumberParseException:
                ok = False
            if not ok:
                del self.clean[name]
                self.fail(
                    name, N_("Enter a phone number in international form, e.g. +41 58 462 48 48.")
                )
            else:
                self.clean[name] = phonenumbers.format_number(
                    number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
                )

    def time_zone(self, name: str, default: str = "UTC") -> None:
        given, value = self._given(name, default)
        if not given:
            return
        if not isinstance(value, str) or value.strip() not in iana_zones():
            self.fail(name, N_("Not a known IANA time zone name (e.g. Europe/Paris)."))
        else:
            self.clean[name] = value.strip()

    def choice(self, name: str, allowed: Mapping[str, str], default: str) -> None:
        given, value = self._given(name, default)
        if not given:
            return
        if value not in allowed:
            self.fail(name, N_("Choose one of: %(choices)s.") % {"choices": ", ".join(allowed)})
        else:
            self.clean[name] = value

    def _list(self, name: str) -> list[Any] | None:
        given, value = self._given(name, [])
        if not given:
            return None
        if isinstance(value, str):
            value = [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
        if not isinstance(value, list):
            self.fail(name, N_("Enter a list."))
            return None
        return value

    def choices(self, name: str, allowed: Mapping[str, str]) -> None:
        value = self._list(name)
        if value is None:
            return
        wrong = [item for item in value if item not in allowed]
        if wrong:
            self.fail(
                name,
                N_("Unknown value %(value)s; choose from: %(choices)s.")
                % {"value": ", ".join(map(str, wrong)), "choices": ", ".join(allowed)},
            )
        else:
            self.clean[name] = list(dict.fromkeys(value))

    def languages(self, name: str) -> None:
        value = self._list(name)
        if value is None:
            return
        codes = []
        for item in value:
            code = language_code(item) if isinstance(item, str) else None
            if code is None:
                self.fail(name, N_("%(value)s is not an ISO 639 language code.") % {"value": item})
                return
            codes.append(code)
        self.clean[name] = list(dict.fromkeys(codes))

    def links(self, name: str) -> None:
        value = self._list(name)
        if value is None:
            return
        for item in value:
            if not isinstance(item, str) or not _URL.match(item) or len(item) > 500:
                self.fail(name, N_("%(value)s is not an http(s) address.") % {"value": item})
                return
        self.clean[name] = value

    def networks(self, name: str, networks: Mapping[str, str], statuses: Mapping[str, str]) -> None:
        """Memberships as [{"network", "status"}] or as text: 'egmont:member, carin:observer'."""
        value = self._list(name)
        if value is None:
            return
        memberships = []
        for item in value:
            if isinstance(item, str):
                network, _, status = item.partition(":")
                item = {"network": network.strip(), "status": status.strip() or "member"}
            if (
                not isinstance(item, dict)
                or set(item) != {"network", "status"}
                or item["network"] not in networks
                or item["status"] not in statuses
            ):
                self.fail(
                    name,
                    N_(
                        "Unknown network membership %(value)s; use network:status with a network "
                        "from %(networks)s and status member or observer."
                    )
                    % {"value": item, "networks": ", ".join(networks)},
                )
                return
            memberships.append({"network": item["network"], "status": item["status"]})
        self.clean[name] = memberships

    def boolean(self, name: str, default: bool | None = False, *, nullable: bool = False) -> None:
        given, value = self._given(name, default)
        if not given:
            return
        if isinstance(value, str):
            lowered = value.strip().lower()
            value = {
                "true": True,
                "yes": True,
                "1": True,
                "false": False,
                "no": False,
                "0": False,
                "": None,
            }.get(lowered, value)
        if value is None and nullable:
            self.clean[name] = None
        elif isinstance(value, bool):
            self.clean[name] = value
        else:
            self.fail(name, N_("Enter true or false."))

    def hour(self, name: str, default: str) -> None:
        given, value = self._given(name, default)
        if not given:
            return
        if not isinstance(value, str) or not _HOUR.match(value.strip()):
            self.fail(name, N_("Enter a time as HH:MM (24-hour)."))
        else:
            self.clean[name] = value.strip()

    def weekdays(self, name: str, default: str) -> None:
        given, value = self._given(name, default)
        if not given:
            return
        text = str(value).strip()
        if not set(text) <= set("1234567") or len(set(text)) != len(text):
            self.fail(name, N_("Enter ISO weekday digits, e.g. 12345 for Monday to Friday."))
        else:
            self.clean[name] = "".join(sorted(text))

    def key(self, name: str) -> None:
        given, value = self._given(name, None)
        if not given or value in (None, ""):
            if given:
                self.clean[name] = None
            return
        if not isinstance(value, str) or not _KEY.match(value):
            self.fail(
                name, N_("Use up to 64 letters, digits, dots, colons, dashes or underscores.")
            )
        else:
            self.clean[name] = value

    def moment(self, name: str) -> None:
        given, value = self._given(name, None)
        if not given:
            return
        if value in (None, ""):
            self.clean[name] = None
            return
        try:
            moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            self.fail(name, N_("Enter an ISO 8601 date and time with its UTC offset."))
        else:
            self.clean[name] = moment

    def integer(self, name: str, *, nullable: bool = True) -> None:
        given, value = self._given(name, None)
        if not given:
            return
        if value in (None, "") and nullable:
            self.clean[name] = None
            return
        try:
            self.clean[name] = int(value)
        except (TypeError, ValueError):
            self.fail(name, N_("Enter a whole number."))


def reject(fields: Fields) -> None:
    """Refuse the whole input, naming each wrong field, if any field is wrong."""
    if fields.errors:
        raise InvalidInput(N_("Some values are not valid."), fields.errors)


def check_key(
    model: type[Authority] | type[FocalPoint], fields: Fields, entry_id: int | None
) -> None:
    """An entry's exchange key names it alone."""
    key = fields.clean.get("key")
    if key and db.session.scalar(select(model.id).where(model.key == key, model.id != entry_id)):
        fields.fail("key", N_("Already in use."))
