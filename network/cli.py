"""``flask --app wsgi network ...``: commands for operators and the test suite."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup

from network.auth import service as auth_service
from network.core import clock
from network.core.errors import DomainError
from network.errors import translate
from network.extensions import db

network_cli = AppGroup("network", help="ARNet administration commands.")


def fail(message: str) -> None:
    """Exit non-zero with a one-line reason, as scripts expect."""
    db.session.rollback()
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


def _domain_message(error: DomainError) -> str:
    details = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.errors.items())
    message = translate(error.message, error.params)
    return f"{message} ({details})" if details else message


@network_cli.command("create-user")
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
        user = auth_service.create_user(
            None,
            email=email,
            name=name,
            role=role,
            state_code=state_code,
            authority_id=authority_id,
            body_id=body_id,
            password=password,
            now=clock.now(),
        )
    except DomainError as error:
        fail(_domain_message(error))
        return
    db.session.commit()
    click.echo(f"created user {user.id} <{user.email}> as {user.role}")


@network_cli.command("create-token")
@click.argument("email")
@click.option("--name", required=True, help="What the token is for.")
@click.option("--days", type=int, default=None, help="Lifetime in days (default 90).")
def create_token(email: str, name: str, days: int | None) -> None:
    """Create a personal access token; the token alone is on the last line."""
    user = auth_service.find_user_by_email(email)
    if user is None:
        fail(f"no user with e-mail address {email}")
        return
    try:
        token, raw = auth_service.create_token(
            user,
            name,
            days or current_app.config["TOKEN_DEFAULT_DAYS"],
            now=clock.now(),
            max_days=current_app.config["TOKEN_MAX_DAYS"],
        )
    except DomainError as error:
        fail(_domain_message(error))
        return
    db.session.commit()
    click.echo(f"token {token.id} for {user.email}, expires {token.expires_at:%Y-%m-%d}")
    click.echo(raw)


@network_cli.command("verify-audit")
def verify_audit() -> None:
    """Check the audit trail's hash chain; name the first broken record."""
    from network.audit.service import verify_chain

    count, broken = verify_chain()
    if broken is not None:
        fail(f"audit chain broken at record {broken.record_id}: {broken.reason}")
        return
    click.echo(f"audit chain whole: {count} records verified")


@network_cli.command("seed-demo")
def seed_demo() -> None:
    """Load the demo States, directory and users; running it again changes nothing."""
    from network.demo import seed

    summary = seed(now=clock.now())
    db.session.commit()
    for line in summary:
        click.echo(line)
