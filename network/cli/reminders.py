"""The reminder job: due reminders made and committed, then their e-mails sent one by one."""

from __future__ import annotations

import sys

import click
from flask import current_app

from network.core import clock
from network.extensions import db


@click.command("send-reminders")
def send_reminders() -> None:
    """Send due reminders (deadlines, unread messages, stale directory entries), each once.

    Then the daily digests: each user's notices set to "daily digest", in one e-mail,
    at most once a day.

    Reminders and their in-app notifications are committed first; the e-mails
    then go out one by one, each marked sent in its own commit, so an SMTP
    failure leaves the rest pending for the next run.
    """
    from datetime import timedelta

    from network.core import metrics
    from network.http.notices import configured_urls
    from network.notifications import reminders
    from network.notifications import service as notifications
    from network.notifications.digests import digest_recipients, send_digest
    from network.wiring import mailer

    now = clock.now()
    interval = timedelta(hours=current_app.config["UNREAD_NOTICE_INTERVAL_HOURS"])
    made = reminders.send_reminders(now, unread_interval=interval)
    db.session.commit()
    for each in made:
        click.echo(each.line())
    sent = failed = 0
    link_to = configured_urls()
    for notification in notifications.pending_emails():
        try:
            notifications.send_email(mailer(), notification, link_to, now)
        except OSError as error:  # smtplib errors are OSErrors; the e-mail stays pending
            db.session.rollback()
            failed += 1
            click.echo(f"e-mail to user {notification.user_id} not sent: {error}", err=True)
            continue
        db.session.commit()
        sent += 1
    digests = 0
    for user in digest_recipients():
        try:
            listed = send_digest(mailer(), user, link_to, now)
        except OSError as error:  # the digest stays waiting for the next run
            db.session.rollback()
            failed += 1
            click.echo(f"digest to user {user.id} not sent: {error}", err=True)
            continue
        db.session.commit()
        digests += 1 if listed else 0
    click.echo(
        f"{len(made)} reminders made, {sent} e-mails sent, {digests} digests sent, "
        f"{failed} e-mails left pending"
    )
    metrics.reminders_run(len(made), sent, failed)
    if failed:
        sys.exit(1)
