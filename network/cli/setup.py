"""A new installation's first steps: the reference States and the keyring, before any user."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from network.cli.errors import fail
from network.extensions import db


@click.command("sync-states")
def sync_states() -> None:
    """Add the UN member and observer States that are missing, and give each the UN's names.

    Running it again changes nothing.
    """
    from network.directory.states import sync_states as add_missing_states

    synced = add_missing_states()
    db.session.commit()
    click.echo(f"States added: {synced.added}")
    click.echo(f"States given the UN's names: {synced.renamed}")


@click.command("init-keyring")
def init_keyring() -> None:
    """Create the keyring file at ARNET_KEYRING (mode 0600); an existing one is never replaced."""
    from network.crypto.keyring import Keyring

    path = current_app.config["KEYRING"]
    if not path:
        fail("ARNET_KEYRING is not set: name the file the keyring is to be written to")
    try:
        Keyring.create(Path(path))
    except FileExistsError:
        fail(f"a keyring already exists at {path}; it is never overwritten")
    click.echo(f"keyring created at {path} (mode 0600)")
    click.echo("Back it up apart from the database: without it no sealed content can be read.")
