"""The demo data: States, directory and users for a trial installation."""

from __future__ import annotations

import click

from network.core import clock
from network.extensions import db


@click.command("seed-demo")
def seed_demo() -> None:
    """Load the demo States, directory and users; running it again changes nothing."""
    from network.demo.seed import seed

    summary = seed(now=clock.now())
    db.session.commit()
    for line in summary:
        click.echo(line)
