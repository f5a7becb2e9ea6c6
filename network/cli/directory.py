"""The directory from the command line: import, export, and the report of stale entries."""

from __future__ import annotations

import sys
from typing import TextIO

import click

from network.cli.errors import fail
from network.core import clock
from network.core.errors import DomainError
from network.extensions import db
from network.notifications.render import translate


@click.command("import-directory")
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
        click.echo(f"error: {translate(error.message, **error.params)}", err=True)
        for where, messages in error.errors.items():
            click.echo(f"  {where}: {' '.join(translate(m) for m in messages)}", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo("imported " + ", ".join(f"{count} {kind}" for kind, count in counts.items()))


@click.command("export-directory")
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


@click.command("directory-report")
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
