"""The demo data: States, directory, users and one case with its history, for a trial."""

from __future__ import annotations

import click
from flask import current_app

from network.core import clock
from network.extensions import db


@click.command("seed-demo")
def seed_demo() -> None:
    """Load the demo States, directory, users and case; running it again changes nothing."""
    from network.demo import story
    from network.demo.seed import seed
    from network.wiring import attachment_store

    now = clock.now()
    summary = seed(now=now)
    summary += story.tell(
        now,
        store=attachment_store(),
        max_bytes=current_app.config["ATTACHMENT_MAX_BYTES"],
    )
    db.session.commit()
    for line in summary:
        click.echo(line)
