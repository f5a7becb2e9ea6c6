"""What a notifying State told its financial institutions (art. 52(2)(b)), and what came back.

Only the State that sent the notification records these: its institutions were told and
report to it. The State it was sent to reads them on the notification, and is told of each
result (never its content).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from network.assistance import checklist
from network.audit import service as audit
from network.auth.models import User
from network.cases.counterparts import Recorded, tell_counterpart
from network.core.errors import Conflict, PermissionDenied
from network.core.i18n import N_
from network.directory.changes import require_version
from network.disclosures import details
from network.disclosures.models import Disclosure, NotificationResult
from network.disclosures.service import access_disclosure
from network.extensions import db
from network.schemas.vocabularies import NoticeTarget, NotificationKind


def _notifying(actor: User, disclosure_id: int) -> Disclosure:
    """The notification, locked, for a step its notifying State alone takes."""
    disclosure = access_disclosure(actor, disclosure_id, to_change=True)
    if actor.state_code != disclosure.from_state:
        raise PermissionDenied(
            N_("Only the notifying State records what its financial institutions were told.")
        )
    if disclosure.kind != details.NOTIFICATION:
        raise Conflict(
            N_("Only an article 52(2)(b) notification has these details."),
            {"kind": [N_("Only an article 52(2)(b) notification has these details.")]},
        )
    return disclosure


def describe_notification(
    actor: User,
    disclosure_id: int,
    values: Mapping[str, Any],
    *,
    now: datetime,
    expected_version: int | None = None,
) -> Disclosure:
    """Replace what the notification says its institutions were told: date, scope, whom.

    ``expected_version`` is the notification's version the editor saw (If-Match, the form's).
    """
    disclosure = _notifying(actor, disclosure_id)
    require_version(disclosure, expected_version, "disclosure", disclosure.id)
    checked = details.check_details(values)
    details.apply_details(disclosure, checked)
    db.session.flush()
    audit.record(
        actor,
        "disclosure.notification_described",
        "disclosure",
        disclosure.id,
        {"persons": len(checked.persons), "accounts": len(checked.accounts)},
        at=now,
    )
    return disclosure


def record_result(
    actor: User,
    disclosure_id: int,
    *,
    reported_on: date,
    institution: str,
    summary: str = "",
    accounts_found: int = 0,
    now: datetime,
) -> NotificationResult:
    """Record what one financial institution reported back on the notification."""
    disclosure = _notifying(actor, disclosure_id)
    if disclosure.notified_on is not None and reported_on < disclosure.notified_on:
        raise checklist.refuse(
            "reported_on",
            N_("A result cannot be reported before the institutions were told (%(date)s)."),
            date=disclosure.notified_on.isoformat(),
        )
    if not 0 <= accounts_found <= details.MAX_ACCOUNTS_FOUND:
        raise checklist.refuse(
            "accounts_found",
            N_("Give a number from 0 to %(max)s."),
            max=details.MAX_ACCOUNTS_FOUND,
        )
    result = NotificationResult(
        disclosure_id=disclosure.id,
        reported_on=reported_on,
        accounts_found=accounts_found,
        recorded_by_id=actor.id,
        recorded_at=now,
        body={
            "institution": checklist.text(institution, 200, "institution", required=True),
            "summary": checklist.text(summary, details.MAX_RESULT_SUMMARY, "summary"),
        },
    )
    db.session.add(result)
    db.session.flush()
    audit.record(
        actor,
        "disclosure.result_recorded",
        "disclosure",
        disclosure.id,
        {"result": result.id, "accounts_found": accounts_found},
        at=now,
    )
    tell_counterpart(
        Recorded(
            NotificationKind.NOTIFICATION_RESULT_REPORTED,
            actor,
            now,
            None,
            disclosure.to_state,
            NoticeTarget.DISCLOSURE,
            disclosure.id,
        )
    )
    return result
