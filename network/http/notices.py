"""Notices at the edges: the link of what a notice points at, as shown, pushed and e-mailed.

The domain stores a notice's target (``NoticeTarget`` and an id), never a URL; this is
the one place that turns a target into the path of its page, for the REST API, the
pages, the sockets and the e-mails of the reminder job alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from flask import Flask, Response, current_app

from network.core import clock
from network.extensions import db
from network.notifications import service as notifications
from network.notifications.models import Notification
from network.schemas.vocabularies import CHOOSABLE_NOTICES, NoticeTarget
from network.wiring import mailer

# The page of each target, by the target's id (a case's number, a State's code).
_PATHS: dict[NoticeTarget, str] = {
    NoticeTarget.CASE: "/cases/{}",
    NoticeTarget.CASE_TIMELINE: "/cases/{}/timeline",
    NoticeTarget.STATE: "/directory/states/{}",
    NoticeTarget.REQUEST: "/requests/{}",
    NoticeTarget.MEASURE: "/measures/{}",
    NoticeTarget.DISCLOSURE: "/disclosures/{}",
    NoticeTarget.ASK: "/cases/asks/{}",
}


def path_to(target: str, target_id: str) -> str:
    """The site-relative path of the page a target names."""
    return _PATHS[NoticeTarget(target)].format(target_id)


def notice_path(notice: Notification) -> str:
    """The site-relative path of the page a notice opens."""
    return path_to(notice.target, notice.target_id)


def notice_urls(base_url: str) -> notifications.LinkTo:
    """A link maker for e-mails: the full URL of a notice's page under ``base_url``."""
    root = base_url.rstrip("/")
    return lambda notice: root + notice_path(notice)


def configured_urls() -> notifications.LinkTo:
    """The link maker under the configured ``BASE_URL``."""
    return notice_urls(current_app.config["BASE_URL"])


@dataclass(frozen=True)
class LinkedNotice:
    """A notice as the REST API answers it: the stored fields and the path it opens."""

    id: int
    kind: str
    case_id: int | None
    subject: str
    link: str
    created_at: datetime
    read_at: datetime | None


def linked(notice: Notification) -> LinkedNotice:
    return LinkedNotice(
        notice.id,
        notice.kind,
        notice.case_id,
        notice.subject,
        notice_path(notice),
        notice.created_at,
        notice.read_at,
    )


def pushed(payload: Mapping[str, object]) -> dict[str, object]:
    """A notice's live push: its event's fields with the target made a link."""
    shown = {key: value for key, value in payload.items() if key not in {"target", "target_id"}}
    shown["link"] = path_to(str(payload["target"]), str(payload["target_id"]))
    return shown


def send_prompt_emails(response: Response) -> Response:
    """After a request that wrote notices to e-mail at once: send them, after its commit.

    The request's own work is committed or abandoned by now, so the session starts
    afresh; whatever SMTP refuses stays pending, and ``send-reminders`` sends it later.
    """
    if db.session.info.pop(notifications.PROMPT_EMAILS, False):
        db.session.rollback()
        notifications.send_pending_emails(
            mailer(), configured_urls(), clock.now(), kinds=CHOOSABLE_NOTICES
        )
        db.session.commit()
    return response


def init_notices(app: Flask) -> None:
    app.after_request(send_prompt_emails)
