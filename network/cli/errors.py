"""How a command fails: one line on standard error and exit status 1, as scripts expect."""

from __future__ import annotations

import sys

import click

from network.core.errors import DomainError
from network.extensions import db
from network.notifications.render import translate


def fail(message: str) -> None:
    """Exit non-zero with a one-line reason, as scripts expect."""
    db.session.rollback()
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


def domain_message(error: DomainError) -> str:
    """A domain error in words, with the fields it names."""
    details = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.errors.items())
    message = translate(error.message, **error.params)
    return f"{message} ({details})" if details else message
