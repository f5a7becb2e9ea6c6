"""Accounts from the command line: the first users, and tokens for programs."""

from __future__ import annotations

import sys

import click
from flask import current_app

from network.auth import accounts, tokens
from network.cli.errors import domain_message, fail
from network.core import clock
from network.core.errors import DomainError
from network.directory.affiliation import Affiliation
from network.extensions import db


@click.command("create-user")
@click.argument("email")
@click.option("--name", required=True, help="The person's full name.")
@click.option(
    "--role",
    required=True,
    type=click.Choice(["practitioner", "national_admin", "observer", "network_admin"]),
)
@click.option("--state", "state_code", help="ISO 3166 alpha-3 code of the user's State.")
@click.option("--authority", "authority_id", type=int, help="Id of the user's authority.")
@click.option("--body", "body_id", type=int, help="Id of the user's observer body.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(
    email: str,
    name: str,
    role: str,
    state_code: str | None,
    authority_id: int | None,
    body_id: int | None,
    password_stdin: bool,
) -> None:
    """Create an account (prompts for the password unless --password-stdin)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = accounts.create_user(
            None,
            email=email,
            name=name,
            role=role,
            affiliation=Affiliation(state_code, authority_id=authority_id, body_id=body_id),
            password=password,
            now=clock.now(),
        )
    except DomainError as error:
        fail(domain_message(error))
        return
    db.session.commit()
    click.echo(f"created user {user.id} <{user.email}> as {user.role}")


@click.command("create-token")
@click.argument("email")
@click.option("--name", required=True, help="What the token is for.")
@click.option(
    "--days",
    type=int,
    default=None,
    help="Lifetime in days (default and most: ARNET_TOKEN_MAX_DAYS, 90 unless set).",
)
def create_token(email: str, name: str, days: int | None) -> None:
    """Create a personal access token; the token alone is on the last line."""
    user = accounts.find_user_by_email(email)
    if user is None:
        fail(f"no user with e-mail address {email}")
        return
    try:
        token, raw = tokens.create_token(
            user,
            name,
            current_app.config["TOKEN_MAX_DAYS"] if days is None else days,
            now=clock.now(),
            max_days=current_app.config["TOKEN_MAX_DAYS"],
        )
    except DomainError as error:
        fail(domain_message(error))
        return
    db.session.commit()
    click.echo(f"token {token.id} for {user.email}, expires {token.expires_at:%Y-%m-%d}")
    click.echo(raw)
