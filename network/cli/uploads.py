"""The upload clean-up: what broken or never-used uploads left in the attachment directory."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

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

    Within an application context. The rows go first, in one commit, then their files.
    """
    from network.messages import attachments, storage

    config = current_app.config
    directory = Path(config["ATTACHMENT_DIR"])
    now = clock.now()
    unattached = timedelta(minutes=config["UPLOAD_UNATTACHED_MINUTES"])
    names = attachments.forget_unattached(now - unattached, now)
    db.session.commit()
    for name in names:
        storage.discard(directory, name)
    before = time.time() - config["UPLOAD_PARTIAL_MINUTES"] * 60
    partial = storage.partial_files(directory, before)
    for path in partial:
        path.unlink(missing_ok=True)
    return Cleanup(len(names), len(partial))


@click.command("clean-uploads")
def clean_uploads_command() -> None:
    """Remove uploads never attached to a message and what broken uploads left (cron).

    Ages: ARNET_UPLOAD_UNATTACHED_MINUTES (a day) and ARNET_UPLOAD_PARTIAL_MINUTES (an hour).
    """
    click.echo(clean_uploads().line())
