"""Article 52(2)(b) notifications in detail: whom and which accounts, scope, period, results.

The rules a notification's details follow and the read model both States see; the verbs
that change them are in ``institutions``. Persons, accounts and scope are kept in the
disclosure's sealed body; the dates are columns, so a period can be asked about.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from network.assistance import checklist
from network.auth.models import User
from network.cases.access import PersonRef, person_of
from network.core.i18n import N_
from network.disclosures.models import Disclosure, NotificationResult
from network.extensions import db
from network.sealing.integrity import OK, Opened

NOTIFICATION = "notification_52_2_b"
MAX_PERSONS = 50
MAX_ACCOUNTS = 50
MAX_SCOPE = 2_000
MAX_RESULT_SUMMARY = 5_000
MAX_ACCOUNTS_FOUND = 1_000_000
# Two letters of a country, two check digits and up to 30 letters or digits (ISO 13616).
_IBAN_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")


def compact_account(number: str) -> str:
    """An account number as banks compare it: no spaces, capitals."""
    return "".join(number.split()).upper()


def looks_like_iban(number: str) -> bool:
    return _IBAN_SHAPE.fullmatch(compact_account(number)) is not None


def iban_checks(number: str) -> bool:
    """The ISO 7064 mod-97 check: the first four characters moved last, letters as 10 to 35."""
    compact = compact_account(number)
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(each, 36)) for each in rearranged)) % 97 == 1


@dataclass(frozen=True)
class NotificationDetails:
    """What a notifying State says it told its financial institutions, checked."""

    notified_on: date | None
    period_start: date | None
    period_end: date | None
    scope: str
    persons: list[dict[str, str | None]]
    accounts: list[dict[str, Any]]


def _persons(values: Sequence[Mapping[str, Any]], where: str) -> list[dict[str, str | None]]:
    if len(values) > MAX_PERSONS:
        raise checklist.refuse(where, N_("At most %(max)s entries."), max=MAX_PERSONS)
    cleaned: list[dict[str, str | None]] = []
    for item in values:
        born_on = item.get("born_on")
        cleaned.append(
            {
                "name": checklist.text(item.get("name"), 300, where, required=True),
                "born_on": born_on.isoformat() if isinstance(born_on, date) else None,
                "identifier": checklist.text(item.get("identifier"), 100, where) or None,
            }
        )
    return cleaned


def _accounts(values: Sequence[Mapping[str, Any]], where: str) -> list[dict[str, Any]]:
    if len(values) > MAX_ACCOUNTS:
        raise checklist.refuse(where, N_("At most %(max)s entries."), max=MAX_ACCOUNTS)
    cleaned = []
    for item in values:
        number = checklist.text(item.get("number"), 64, where, required=True)
        institution = checklist.text(item.get("institution"), 200, where)
        iban = looks_like_iban(number)
        if iban and not iban_checks(number):
            raise checklist.refuse(
                where,
                N_("%(number)s is not a valid IBAN: its check digits do not match."),
                number=number,
            )
        if not iban and not institution:
            raise checklist.refuse(
                where,
                N_("Name the institution that holds account %(number)s (or give its IBAN)."),
                number=number,
            )
        cleaned.append(
            {
                "number": compact_account(number) if iban else number,
                "iban": iban,
                "institution": institution,
            }
        )
    return cleaned


def check_details(values: Mapping[str, Any], prefix: str = "") -> NotificationDetails:
    """The details as given, or InvalidInput naming the field that breaks a rule.

    ``prefix`` names where the details sit in the input ("notification." when sending).
    """
    start, end = values.get("period_start"), values.get("period_end")
    if start is not None and end is not None and end < start:
        raise checklist.refuse(f"{prefix}period_end", N_("The period cannot end before it starts."))
    return NotificationDetails(
        notified_on=values.get("notified_on"),
        period_start=start,
        period_end=end,
        scope=checklist.text(values.get("scope"), MAX_SCOPE, f"{prefix}scope"),
        persons=_persons(list(values.get("persons") or []), f"{prefix}persons"),
        accounts=_accounts(list(values.get("accounts") or []), f"{prefix}accounts"),
    )


def apply_details(disclosure: Disclosure, details: NotificationDetails) -> None:
    """Write the details onto the notification: dates as columns, the rest sealed."""
    disclosure.notified_on = details.notified_on
    disclosure.period_start = details.period_start
    disclosure.period_end = details.period_end
    disclosure.body = {
        **disclosure.body,
        "scope": details.scope,
        "persons": details.persons,
        "accounts": details.accounts,
    }


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultView:
    id: int
    reported_on: date
    institution: str
    summary: str
    accounts_found: int
    recorded_by: PersonRef | None
    recorded_at: datetime
    integrity: str = OK


@dataclass
class NotificationView:
    notified_on: date | None
    period_start: date | None
    period_end: date | None
    scope: str
    persons: list[dict[str, Any]]
    accounts: list[dict[str, Any]]
    # Only the notifying State records details and results; the other State reads them.
    may_record: bool
    results: list[ResultView] = field(default_factory=list)


def _result_view(result: NotificationResult) -> ResultView:
    sealed = Opened(result)
    body = sealed[NotificationResult.body] or {}
    return ResultView(
        id=result.id,
        reported_on=result.reported_on,
        institution=str(body.get("institution", "")),
        summary=str(body.get("summary", "")),
        accounts_found=result.accounts_found,
        recorded_by=person_of(result.recorded_by),
        recorded_at=result.recorded_at,
        integrity=sealed.integrity,
    )


def notification_view(
    actor: User, disclosure: Disclosure, body: Mapping[str, Any]
) -> NotificationView | None:
    """The details and results of a notification (None for any other kind of disclosure)."""
    if disclosure.kind != NOTIFICATION:
        return None
    results = db.session.scalars(
        select(NotificationResult)
        .where(NotificationResult.disclosure_id == disclosure.id)
        .order_by(NotificationResult.reported_on, NotificationResult.id)
    )
    return NotificationView(
        notified_on=disclosure.notified_on,
        period_start=disclosure.period_start,
        period_end=disclosure.period_end,
        scope=str(body.get("scope", "")),
        persons=[
            {
                **each,
                "born_on": date.fromisoformat(each["born_on"]) if each.get("born_on") else None,
            }
            for each in body.get("persons", [])
        ],
        accounts=list(body.get("accounts", [])),
        may_record=actor.state_code == disclosure.from_state,
        results=[_result_view(each) for each in results],
    )
