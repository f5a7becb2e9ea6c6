"""Texts in a reader's language: notices' subjects, their e-mail, deadline titles, documents.

The one module below the edges that uses flask_babel, so that every other domain
module stays free of Flask: the rest mark their words with ``N_`` and ask here for
them in a locale.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask_babel import force_locale, get_locale, gettext, ngettext, pgettext

from network.auth.models import User
from network.core.i18n import N_, InContext, written_date
from network.notifications.deadlines import (
    ASK_DUE,
    COURT_DATE,
    MEASURE_EXPIRY,
    RETURN_MILESTONE,
    Deadline,
)
from network.notifications.models import Notification
from network.schemas.vocabularies import REQUEST_STATUSES, NotificationKind

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
    NotificationKind.ASK_DUE: N_(
        "%(reference)s: the answer to an ask (%(ask)s) is due in %(days)s day(s), on %(date)s"
    ),
    NotificationKind.ASK_OVERDUE: N_(
        "%(reference)s: the answer to an ask (%(ask)s) was due on %(date)s"
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
    NotificationKind.REQUEST_STATUS_CHANGED: N_(
        "%(reference)s: a %(request)s request is now: %(status)s"
    ),
    NotificationKind.DRAFT_SHARED: N_(
        "%(reference)s: a draft %(request)s request was shared with you for comment"
    ),
    NotificationKind.ENQUIRY_RECEIVED: N_(
        "%(reference)s: a status enquiry about a %(request)s request"
    ),
    NotificationKind.REQUEST_DOCUMENT_FILED: N_(
        "%(reference)s: a document was filed with a %(request)s request"
    ),
    NotificationKind.MEASURE_RECORDED: N_("%(reference)s: a %(measure)s order was recorded"),
    NotificationKind.MEASURE_EXTENDED: N_(
        "%(reference)s: a %(measure)s order was extended until %(date)s"
    ),
    NotificationKind.MEASURE_LIFTED: N_("%(reference)s: a %(measure)s order was lifted"),
    NotificationKind.DISCLOSURE_RECEIVED: N_("%(state)s sent your State a disclosure"),
    NotificationKind.DISCLOSURE_ACKNOWLEDGED: N_(
        "%(state)s acknowledged a disclosure from your State"
    ),
    NotificationKind.NOTIFICATION_RESULT_REPORTED: N_(
        "%(state)s: a financial institution reported back on a notification to your State"
    ),
    NotificationKind.ASK_RECEIVED: N_("%(reference)s: the other side asks you for an answer"),
    NotificationKind.ASK_ANSWERED: N_("%(reference)s: the other side answered your ask"),
    NotificationKind.RETURN_RECORDED: N_(
        "%(reference)s: the other side recorded a step of a confiscation or a return"
    ),
    NotificationKind.RETURN_MILESTONE_DUE: N_(
        "%(reference)s: a milestone of a return is due in %(days)s day(s), on %(date)s"
    ),
}
# Subjects of the steps that share a kind with another, by (kind, variant).
SUBJECT_VARIANTS: dict[tuple[str, str], str] = {
    (NotificationKind.ENQUIRY_RECEIVED, "answered"): N_(
        "%(reference)s: your status enquiry about a %(request)s request was answered"
    ),
    (NotificationKind.ENQUIRY_RECEIVED, "delay"): N_(
        "%(reference)s: notice of a delay in executing a %(request)s request"
    ),
}
SUBJECT_TODAY: dict[str, str] = {
    NotificationKind.MEASURE_EXPIRING: N_(
        "%(reference)s: a %(measure)s order expires today, %(date)s"
    ),
    NotificationKind.REQUEST_DEADLINE_NEAR: N_(
        "%(reference)s: the deadline of a %(request)s request is today, %(date)s"
    ),
    NotificationKind.ASK_DUE: N_(
        "%(reference)s: the answer to an ask (%(ask)s) is due today, %(date)s"
    ),
    NotificationKind.HEARING_NEAR: N_(
        "%(reference)s: a hearing on the foreign order is today, %(date)s"
    ),
    NotificationKind.APPEAL_DEADLINE_NEAR: N_(
        "%(reference)s: the time to appeal on the foreign order ends today, %(date)s"
    ),
    NotificationKind.RETURN_MILESTONE_DUE: N_(
        "%(reference)s: a milestone of a return is due today, %(date)s"
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
# Words that fill %(ask)s: what was asked for.
ASK_WORDS: dict[str, str] = {
    "extension": N_("extension of an order"),
    "consent": N_("consent to use information"),
    "information": N_("more information"),
    "call": N_("a call"),
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
    if key == "ask" and isinstance(value, str) and value in ASK_WORDS:
        return gettext(ASK_WORDS[value])
    if key == "date" and isinstance(value, str):
        return written_date(date.fromisoformat(value), locale)
    if key == "status" and isinstance(value, str) and value in REQUEST_STATUSES:
        return translated(REQUEST_STATUSES[value])
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


def digest_subject(user: User, count: int) -> str:
    """The daily digest's subject line, in the recipient's language."""
    with force_locale(user.recipient_locale):
        return ngettext(
            "[ARNet] Your daily digest: %(num)s notice",
            "[ARNet] Your daily digest: %(num)s notices",
            count,
        )


def digest_body(user: User, notices: list[tuple[str, str]]) -> str:
    """The digest's plain text: each notice's subject and link, and why there is nothing more."""
    with force_locale(user.recipient_locale):
        lines = [
            gettext("Dear %(name)s,", name=user.name),
            "",
            gettext("What happened in ARNet since your last digest:"),
            "",
        ]
        for subject_line, url in notices:
            lines += [f"- {subject_line}", f"  {url}"]
        return "\n".join(
            [
                *lines,
                "",
                gettext(
                    "For confidentiality this e-mail never contains case content; "
                    "sign in to ARNet to read it."
                ),
            ]
        )


@contextmanager
def written_in(locale: str) -> Iterator[None]:
    """Write texts in ``locale`` whatever the reader's language (a draft for another State)."""
    with force_locale(locale):
        yield


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
    if deadline.kind == ASK_DUE:
        return gettext(
            "%(reference)s: answer due (%(what)s, %(state)s)",
            reference=deadline.reference,
            what=gettext(ASK_WORDS.get(deadline.detail, deadline.detail)),
            state=deadline.issuing_state,
        )
    what = words.get(deadline.detail, deadline.detail)
    if deadline.kind == RETURN_MILESTONE:
        return gettext(
            "%(reference)s: milestone of a return (%(state)s)",
            reference=deadline.reference,
            state=deadline.requested_state,
        )
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
