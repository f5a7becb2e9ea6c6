"""The upload clean-up: what broken or never-used uploads left in the attachment store."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timedelta

import click
from flask import current_app

from network.core import clock
from network.extensions import db

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Cleanup:
    """How many files each rule removed."""

    unattached: int
    partial: int

    def line(self) -> str:
        return f"{self.unattached} never-attached uploads and {self.partial} partial files removed"


def clean_uploads() -> Cleanup:
    """Remove never-attached uploads and partial files past their age; attached ones stay.

    Within an application context. The rows go first, in one commit, then their files (or
    segments, committed in a second transaction).
    """
    from network.messages import attachments
    from network.wiring import attachment_store

    config = current_app.config
    store = attachment_store()
    now = clock.now()
    unattached = timedelta(minutes=config["UPLOAD_UNATTACHED_MINUTES"])
    names = attachments.forget_unattached(now - unattached, now)
    db.session.commit()
    for name in names:
        store.discard(name)
    partial = store.remove_partial(time.time() - config["UPLOAD_PARTIAL_MINUTES"] * 60)
    db.session.commit()
    return Cleanup(len(names), partial)


@click.command("clean-uploads")
def clean_uploads_command() -> None:
    """Remove uploads never attached to a message and what broken uploads left (cron).

    Ages: ARNET_UPLOAD_UNATTACHED_MINUTES (a day) and ARNET_UPLOAD_PARTIAL_MINUTES (an hour).
    """
    click.echo(clean_uploads().line())
