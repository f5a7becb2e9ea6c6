"""Checks an operator runs: the audit chain, every sealed value and attachment; the match index."""

from __future__ import annotations

from functools import partial

import click

from network.cli.errors import fail
from network.extensions import db


@click.command("verify-audit")
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


@click.command("verify-integrity")
@click.option("--skip-files", is_flag=True, help="Check attachments' names, not their content.")
def verify_integrity(skip_files: bool) -> None:
    """Open every sealed value of every table, and stream every attachment; list what fails.

    Each failure is one line, "table id field: reason", never content; the exit
    status is 1 when any value fails, 0 with the count of values opened otherwise.
    """
    from network.messages.attachments import verify_files
    from network.sealing.integrity import verify
    from network.wiring import attachment_store

    report = verify(None if skip_files else partial(verify_files, attachment_store()))
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


@click.command("index-matches")
def index_matches() -> None:
    """Rebuild every subject's and asset's match keys (the same person or account in another
    case of one State); run once after the upgrade that adds them, and safe to run again."""
    from network.recovery.matching import index_everything

    count = index_everything()
    db.session.commit()
    click.echo(f"match keys rebuilt for {count} subjects and assets")
