"""Texts in a reader's language: notices' subjects, their e-mail, deadline titles, documents.

The one module below the edges that uses flask_babel, so that every other domain
module stays free of Flask: the rest mark their words with ``N_`` and ask here for
them in a locale.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask_babel import force_locale, get_locale, gettext, pgettext

from network.auth.models import User
from network.core.i18n import N_, InContext, written_date
from network.notifications.deadlines import COURT_DATE, MEASURE_EXPIRY, Deadline
from network.notifications.models import Notification
from network.schemas.vocabularies import NotificationKind

# Subject lines by kind; %(reference)s is the case reference, never its title.
SUBJECTS: dict[str, str] = {
    NotificationKind.MEASURE_EXPIRING: N_(
        "%(reference)s: a %(measure)s order expires in %(days)s day(s), on %(date)s"
    ),
    NotificationKind.MEASURE_LAPSED: N_(
        "%(reference)s: a %(measure)s order lapsed at the end of %(date)s"
    ),
    NotificationKind.REQUEST_DEADLINE_NEAR: N_(
        "%(reference)s: the deadline of a %(request)s request is in %(days)s day(s), on %(date)s"
    ),
    NotificationKind.REQUEST_DEADLINE_PASSED: N_(
        "%(reference)s: the deadline of a %(request)s request passed on %(date)s"
    ),
    NotificationKind.REQUEST_WAITING: N_(
        "%(reference)s: a %(request)s request has waited %(days)s days without a status change"
    ),
    NotificationKind.HEARING_NEAR: N_(
        "%(reference)s: a hearing on the foreign order is in %(days)s day(s), on %(date)s"
    ),
    NotificationKind.APPEAL_DEADLINE_NEAR: N_(
        "%(reference)s: the time to appeal on the foreign order ends in %(days)s day(s), "
        "on %(date)s"
    ),
    NotificationKind.UNREAD_MESSAGES: N_("%(reference)s: you have unread messages"),
    NotificationKind.DIRECTORY_STALE: N_(
        "%(state)s: directory entries not confirmed for 12 months (%(count)s)"
    ),
}
SUBJECT_TODAY: dict[str, str] = {
    NotificationKind.MEASURE_EXPIRING: N_(
        "%(reference)s: a %(measure)s order expires today, %(date)s"
    ),
    NotificationKind.REQUEST_DEADLINE_NEAR: N_(
        "%(reference)s: the deadline of a %(request)s request is today, %(date)s"
    ),
    NotificationKind.HEARING_NEAR: N_(
        "%(reference)s: a hearing on the foreign order is today, %(date)s"
    ),
    NotificationKind.APPEAL_DEADLINE_NEAR: N_(
        "%(reference)s: the time to appeal on the foreign order ends today, %(date)s"
    ),
}
# Words that fill %(measure)s and %(request)s, translated with the subject.
KIND_WORDS: dict[str, str] = {
    "freezing": N_("freezing"),
    "seizure": N_("seizure"),
    "mla": N_("MLA"),
    "extradition": N_("extradition"),
    "confiscation": N_("confiscation"),
    "recognition": N_("recognition"),
    "return": N_("return"),
}


def translate(message: str, **values: object) -> str:
    """A marked message in the locale in force (the request's, or the one set here)."""
    return gettext(message, **values)


def translated(word: str | InContext) -> str:
    """A vocabulary's marked word in the locale in force, with its context where it has one."""
    if isinstance(word, InContext):
        return pgettext(word.context, word.message)
    return gettext(word)


def _written(key: str, value: object, locale: str) -> object:
    """A subject's parameter as the recipient reads it: kinds in words, dates by name."""
    if key in {"measure", "request"} and isinstance(value, str) and value in KIND_WORDS:
        return gettext(KIND_WORDS[value])
    if key == "date" and isinstance(value, str):
        return written_date(date.fromisoformat(value), locale)
    return value


def subject(
    user: User, kind: str, params: Mapping[str, object], template: str | None = None
) -> str:
    """The subject line in the recipient's language; ``template`` replaces the kind's own.

    Parameters are stored as written by the rules (ISO dates, kind codes) and put into
    the recipient's words here, so each recipient's notice and e-mail read alike.
    """
    locale = user.recipient_locale
    with force_locale(locale):
        values = {key: _written(key, value, locale) for key, value in params.items()}
        if template is None:
            template = SUBJECTS[kind]
            if params.get("days") == 0 and kind in SUBJECT_TODAY:
                template = SUBJECT_TODAY[kind]
        return gettext(template, **values)


def email_subject(notification: Notification) -> str:
    """The e-mail's subject line: the notice's, marked as ARNet's, in the recipient's language."""
    with force_locale(notification.user.recipient_locale):
        return gettext("[ARNet] %(subject)s", subject=notification.subject)


def email_body(notification: Notification, url: str) -> str:
    """The plain-text body: the subject, the page's ``url``, and why there is nothing more."""
    user = notification.user
    with force_locale(user.recipient_locale):
        return "\n".join(
            [
                gettext("Dear %(name)s,", name=user.name),
                "",
                notification.subject,
                "",
                gettext("Open it in ARNet: %(url)s", url=url),
                "",
                gettext(
                    "For confidentiality this e-mail never contains case content; "
                    "sign in to ARNet to read it."
                ),
            ]
        )


def locale_in_force() -> str:
    """The language texts are being written in now (the request's, or one forced here)."""
    return str(get_locale())


def deadline_description(deadline: Deadline) -> str:
    """A calendar event's text: its title, and its day and last moment in the reader's words."""
    locale = locale_in_force()
    return gettext(
        "%(title)s\nDue on %(date)s, until %(time)s (%(zone)s)",
        title=deadline_title(deadline),
        date=written_date(deadline.due_on, locale),
        time=format_datetime(
            deadline.due_at, "short", tzinfo=ZoneInfo(deadline.time_zone), locale=locale
        ),
        zone=deadline.time_zone,
    )


def deadline_title(deadline: Deadline) -> str:
    """A one-line name for calendars and lists, in the current locale; no case content."""
    words = {
        "freezing": gettext("Freezing order"),
        "seizure": gettext("Seizure order"),
        "mla": gettext("MLA request"),
        "extradition": gettext("Extradition request"),
        "confiscation": gettext("Confiscation request"),
        "recognition": gettext("Recognition request"),
        "return": gettext("Return request"),
    }
    what = words.get(deadline.detail, deadline.detail)
    if deadline.kind == COURT_DATE:
        if deadline.detail == "hearing":
            return gettext(
                "%(reference)s: hearing on a foreign order", reference=deadline.reference
            )
        return gettext(
            "%(reference)s: last day to appeal on a foreign order", reference=deadline.reference
        )
    if deadline.kind == MEASURE_EXPIRY:
        return gettext(
            "%(reference)s: %(what)s expires (%(state)s)",
            reference=deadline.reference,
            what=what,
            state=deadline.issuing_state,
        )
    return gettext(
        "%(reference)s: %(what)s deadline (%(state)s)",
        reference=deadline.reference,
        what=what,
        state=deadline.requested_state,
    )
