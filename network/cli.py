"""``flask --app wsgi network ...``: commands for operators and the test suite."""

from __future__ import annotations

import sys
import time
from functools import partial
from pathlib import Path
from typing import TextIO

import click
from flask import current_app
from flask.cli import AppGroup

from network.auth import accounts, tokens
from network.core import clock
from network.core.errors import DomainError
from network.extensions import db
from network.http.errors import translate


def _checkpoint_when_done() -> None:
    """Every command ends by checkpointing the audit head it committed: no timer runs here."""
    from network.wiring import audit_checkpoints

    click.get_current_context().call_on_close(audit_checkpoints().flush)


network_cli = AppGroup(
    "network", help="ARNet administration commands.", callback=_checkpoint_when_done
)


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
        user = accounts.create_user(
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
        fail(_domain_message(error))
        return
    db.session.commit()
    click.echo(f"token {token.id} for {user.email}, expires {token.expires_at:%Y-%m-%d}")
    click.echo(raw)


@network_cli.command("verify-audit")
def verify_audit() -> None:
    """Check the audit chain under the audit key and against the last checkpoint."""
    from network.audit.checkpoint import CheckpointUnreadable
    from network.audit.service import verify_chain
    from network.wiring import audit_checkpoints

    checkpoints = audit_checkpoints().file
    try:
        checkpoint = checkpoints.read()
    except CheckpointUnreadable as error:
        fail(str(error))
        return
    count, broken = verify_chain(checkpoint.head if checkpoint else None)
    if broken is not None:
        fail(f"audit chain broken at record {broken.record_id}: {broken.reason}")
        return
    if checkpoint is None:
        if count:
            fail(f"no checkpoint at {checkpoints.path}: a truncated chain would go unseen")
            return
        click.echo("audit chain whole: no records yet")
        return
    click.echo(
        f"audit chain whole: {count} records verified with the audit key; "
        f"record {checkpoint.head.record_id} matches the checkpoint of "
        f"{checkpoint.written_at:%Y-%m-%d %H:%M:%S} UTC in {checkpoints.path}"
    )


@network_cli.command("verify-integrity")
@click.option("--skip-files", is_flag=True, help="Check attachments' names, not their content.")
def verify_integrity(skip_files: bool) -> None:
    """Open every sealed value of every table, and stream every attachment; list what fails.

    Each failure is one line, "table id field: reason", never content; the exit
    status is 1 when any value fails, 0 with the count of values opened otherwise.
    """
    from network.messages.attachments import verify_files
    from network.sealing.integrity import verify

    directory = Path(current_app.config["ATTACHMENT_DIR"])
    report = verify(None if skip_files else partial(verify_files, directory))
    db.session.rollback()
    for failure in report.failures:
        click.echo(failure.line())
    if report.failures:
        fail(
            f"{len(report.failures)} sealed values failed their integrity check "
            f"({report.opened} opened)"
        )
        return
    click.echo(f"integrity whole: {report.opened} sealed values opened")


@network_cli.command("seed-demo")
def seed_demo() -> None:
    """Load the demo States, directory and users; running it again changes nothing."""
    from network.demo.seed import seed

    summary = seed(now=clock.now())
    db.session.commit()
    for line in summary:
        click.echo(line)


def _settle(path: str) -> None:
    """Wait until every running process has looked at the keyring file since it last changed.

    A process looks at most every KEYRING_CHECK_SECONDS when it makes a data key;
    twice that after the change, none wraps with a version it read before.
    """
    settle = 2 * current_app.config["KEYRING_CHECK_SECONDS"]
    wait = Path(path).stat().st_mtime + settle - time.time()
    if wait > 0:
        time.sleep(wait)


@network_cli.command("rotate-keys")
@click.option("--resume", is_flag=True, help="Finish an interrupted rotation; add no KEK version.")
@click.option("--batch-size", type=click.IntRange(1, 10_000), default=500, show_default=True)
@click.option(
    "--max-batches", type=click.IntRange(1), default=None, help="Stop after this many batches."
)
def rotate_keys(resume: bool, batch_size: int, max_batches: int | None) -> None:
    """Add a KEK version and re-wrap every data key with it; messages are not touched.

    The keyring file is saved before any data key is re-wrapped, so no key is ever
    wrapped by a KEK that exists only in memory. Running servers take up the new
    version within KEYRING_CHECK_SECONDS; this waits for them, re-wraps in batches
    that each commit, and ends with a sweep that waits for keys still being written,
    so that "every data key is wrapped" holds when it says so. After an
    interruption, run again (with --resume to keep the current version).
    """
    from network.audit import service as audit
    from network.crypto import Keyring
    from network.sealing import keystore
    from network.wiring import reload_keyring

    path = current_app.config["KEYRING"]
    if not resume:
        keyring = Keyring.load(path)
        version = keyring.add_version()
        keyring.save(path)
        click.echo(f"keyring {path}: added KEK version {version} and saved it")
    _settle(path)
    keyring = reload_keyring()
    batches = moved = 0
    while max_batches is None or batches < max_batches:
        count = keystore.rewrap_batch(keyring, batch_size=batch_size, now=clock.now())
        db.session.commit()
        if count == 0:
            break
        batches += 1
        moved += count
        click.echo(f"re-wrapped {moved} data keys")
    left = keystore.keys_behind(keyring)
    db.session.commit()  # the final sweep takes its lock in a transaction of its own
    if not left:
        keystore.hold_new_data_keys()
        while count := keystore.rewrap_batch(keyring, batch_size=batch_size, now=clock.now()):
            moved += count
            click.echo(f"re-wrapped {moved} data keys")
    audit.record(
        None,
        "keyring.rotated",
        "keyring",
        keyring.current_version,
        {"rewrapped": moved, "left": left},
    )
    db.session.commit()
    if left:
        click.echo(f"{left} data keys still wait for version {keyring.current_version}; run again")
        return
    click.echo(f"every data key is wrapped by KEK version {keyring.current_version}")


def _count_keys(count: int) -> str:
    return f"{count} data key still uses" if count == 1 else f"{count} data keys still use"


@network_cli.command("retire-keys")
def retire_keys() -> None:
    """Remove from the keyring every KEK version that no data key uses; never the current one.

    Refuses, and changes nothing, while any data key is still wrapped by an old
    version (rotate-keys --resume moves them). The file is replaced atomically.
    """
    from network.audit import service as audit
    from network.crypto import Keyring
    from network.sealing import keystore

    path = current_app.config["KEYRING"]
    _settle(path)
    keyring = Keyring.load(path)
    keystore.hold_new_data_keys()
    in_use = keystore.versions_in_use(keyring)
    if in_use:
        behind = ", ".join(
            f"{_count_keys(count)} KEK version {version}" for version, count in in_use.items()
        )
        fail(f"{behind}; run rotate-keys --resume first")
        return
    current = keyring.current_version
    old = [version for version in keyring.versions if version != current]
    if not old:
        db.session.rollback()
        click.echo(f"nothing to retire: the keyring holds only KEK version {current}")
        return
    for version in old:
        keyring.remove_version(version)
    keyring.save(path)
    audit.record(None, "keyring.retired", "keyring", current, {"retired": old})
    db.session.commit()
    retired = ", ".join(str(version) for version in old)
    click.echo(f"retired KEK versions {retired}; the keyring keeps version {current}")


@network_cli.command("import-directory")
@click.argument("source", type=click.File("r", encoding="utf-8"))
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["json", "csv"]),
    default=None,
    help="json or csv (default: from the file name's extension).",
)
@click.option(
    "--kind",
    default=None,
    help="For CSV: states, authorities, focal_points, profiles or observer_bodies.",
)
def import_directory(source: TextIO, file_format: str | None, kind: str | None) -> None:
    """Import directory entries; every row is checked first and nothing is written if one is bad."""
    import json

    from network.directory import exchange_import

    name = getattr(source, "name", "") or ""
    file_format = file_format or ("csv" if str(name).endswith(".csv") else "json")
    text = source.read()
    try:
        if file_format == "csv":
            if not kind:
                fail("--kind is required for CSV")
                return
            counts = exchange_import.import_csv(None, kind, text, now=clock.now())
        else:
            try:
                document = json.loads(text)
            except json.JSONDecodeError as error:
                fail(f"not valid JSON: {error}")
                return
            counts = exchange_import.import_json(None, document, now=clock.now())
    except DomainError as error:
        db.session.rollback()
        click.echo(f"error: {translate(error.message, error.params)}", err=True)
        for where, messages in error.errors.items():
            click.echo(f"  {where}: {' '.join(translate(m) for m in messages)}", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo("imported " + ", ".join(f"{count} {kind}" for kind, count in counts.items()))


@network_cli.command("export-directory")
@click.option("--format", "file_format", type=click.Choice(["json", "csv"]), default="json")
@click.option("--kind", default=None, help="For CSV (required) or to limit JSON to one kind.")
@click.option(
    "--output",
    type=click.File("w", encoding="utf-8"),
    default="-",
    help="File to write (default: standard output).",
)
def export_directory(file_format: str, kind: str | None, output: TextIO) -> None:
    """Export the directory as JSON (everything) or CSV (one kind of record)."""
    import json

    from network.directory import exchange, exchange_export

    if kind is not None and kind not in exchange.KINDS:
        fail(f"unknown kind {kind}; use one of {', '.join(exchange.KINDS)}")
        return
    if file_format == "csv":
        if kind is None:
            fail("--kind is required for CSV")
            return
        output.write(exchange_export.export_csv(kind))
    else:
        document = exchange_export.export_json((kind,) if kind else exchange.KINDS)
        output.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


@network_cli.command("directory-report")
@click.option("--state", "state_code", default=None, help="Only this State (alpha-3 code).")
def directory_report(state_code: str | None) -> None:
    """List directory entries not confirmed for twelve months, per State."""
    from network.directory.freshness import stale_report

    report = stale_report(clock.now(), state_code.upper() if state_code else None)
    if not report:
        click.echo("no stale entries")
        return
    for code, entries in report.items():
        click.echo(f"{code}: {len(entries)} stale")
        for entry in entries:
            confirmed = (
                f"{entry.last_confirmed_at:%Y-%m-%d}" if entry.last_confirmed_at else "never"
            )
            where = f"{entry.entry_type} {entry.entry_id}"
            click.echo(f"  {where}  {entry.label}  (last confirmed {confirmed})")


@network_cli.command("send-reminders")
def send_reminders() -> None:
    """Send due reminders (deadlines, unread messages, stale directory entries), each once.

    Reminders and their in-app notifications are committed first; the e-mails
    then go out one by one, each marked sent in its own commit, so an SMTP
    failure leaves the rest pending for the next run.
    """
    from datetime import timedelta

    from network.notifications import reminders
    from network.notifications import service as notifications
    from network.wiring import mailer

    now = clock.now()
    interval = timedelta(hours=current_app.config["UNREAD_NOTICE_INTERVAL_HOURS"])
    made = reminders.send_reminders(now, unread_interval=interval)
    db.session.commit()
    for each in made:
        click.echo(each.line())
    sent = failed = 0
    for notification in notifications.pending_emails():
        try:
            notifications.send_email(mailer(), notification, current_app.config["BASE_URL"], now)
        except OSError as error:  # smtplib errors are OSErrors; the e-mail stays pending
            db.session.rollback()
            failed += 1
            click.echo(f"e-mail to user {notification.user_id} not sent: {error}", err=True)
            continue
        db.session.commit()
        sent += 1
    click.echo(f"{len(made)} reminders made, {sent} e-mails sent, {failed} e-mails left pending")
    if failed:
        sys.exit(1)
