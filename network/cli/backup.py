"""Backup and restore of a deployment: the database and attachments together, the keyring apart.

The database copy is one consistent snapshot taken while the service runs (SQLite's
online backup, or ``pg_dump`` inside an exported snapshot), and the audit chain's head
is read from that same snapshot, so a restore can checkpoint exactly what it put back.
Attachments are copied after the snapshot: every file the snapshot names was written
before its row committed, and files are never removed once attached. Where attachments
live in PostgreSQL (``ATTACHMENT_STORE = "database"``) they are in the snapshot itself.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from flask import current_app
from sqlalchemy import Connection, Engine, create_engine, inspect, select, text
from sqlalchemy.engine import URL

from network.audit import service as audit
from network.audit.checkpoint import CheckpointFile, Head
from network.audit.models import AuditRecord
from network.cli.errors import fail
from network.cli.keys import keyring_alone
from network.core import clock
from network.crypto import CryptoError, Keyring
from network.crypto.keyring import _write_private
from network.extensions import db

FORMAT = "arnet-backup-1"
MANIFEST = "manifest.json"
SEALED_KEYRING = "keyring.sealed"
ATTACHMENTS = "attachments"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MIN_PASSPHRASE = 12


@dataclass(frozen=True)
class Snapshot:
    """What a database copy holds at its moment: the chain's head and the schema's revision."""

    head: Head | None
    revision: str | None


def _read_passphrase() -> str:
    """One line from standard input; a terminal is asked twice, without echo."""
    if sys.stdin.isatty():
        return str(click.prompt("Keyring passphrase", hide_input=True, confirmation_prompt=True))
    return sys.stdin.readline().rstrip("\n")


def _facts(connection: Connection) -> Snapshot:
    last = connection.execute(
        select(AuditRecord.id, AuditRecord.digest).order_by(AuditRecord.id.desc()).limit(1)
    ).first()
    revision = None
    if inspect(connection).has_table("alembic_version"):
        revision = connection.scalar(text("SELECT version_num FROM alembic_version"))
    return Snapshot(Head(last.id, last.digest) if last else None, revision)


def _sqlite_copy(source: str, target: str) -> None:
    """SQLite's online backup in one step: a consistent copy while writers go on."""
    with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(target)) as copy:
        live.backup(copy)


def _snapshot_sqlite(engine: Engine, target: Path) -> Snapshot:
    _sqlite_copy(str(engine.url.database), str(target))
    copy = create_engine(f"sqlite:///{target}")
    try:
        with copy.connect() as connection:
            return _facts(connection)
    finally:
        copy.dispose()


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """The database URL for pg_dump and pg_restore, its password in the environment, not argv."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None, query={})
    return plain.render_as_string(hide_password=False), env


def _run(command: list[str], env: dict[str, str]) -> None:
    # The commands are pg_dump and pg_restore with paths and a URL from the settings.
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        fail(f"{command[0]} failed: {result.stderr.strip().splitlines()[-1:]}")


def _snapshot_postgres(engine: Engine, target: Path) -> Snapshot:
    """pg_dump of an exported snapshot, and the facts read in that very snapshot."""
    dsn, env = _libpq(engine.url)
    repeatable = engine.connect().execution_options(isolation_level="REPEATABLE READ")
    with repeatable as connection, connection.begin():
        snapshot_id = connection.scalar(text("SELECT pg_export_snapshot()"))
        facts = _facts(connection)
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot_id}",
                f"--file={target}",
                f"--dbname={dsn}",
            ],
            env,
        )
    return facts


def _files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if path.is_file():
            yield path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _copy_attachments(source: Path, target: Path) -> int:
    """Copy finished attachment files; partial uploads (``.part``) are never part of a backup."""
    count = 0
    for path in _files(source) if source.is_dir() else iter(()):
        if path.suffix == ".part":
            continue
        destination = target / path.relative_to(source)
        destination.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        shutil.copy2(path, destination)
        count += 1
    return count


def _attachments(copied: int) -> str:
    if current_app.config["ATTACHMENT_STORE"] == "database":
        return "attachments within it"
    return f"{copied} attachments"


def _empty_directory(path: Path) -> bool:
    return not path.exists() or (path.is_dir() and not any(path.iterdir()))


@click.command("backup")
@click.argument("destination", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--keyring-to",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"Where the sealed keyring goes; default DESTINATION/{SEALED_KEYRING}.",
)
def backup(destination: Path, keyring_to: Path | None) -> None:
    """Back up the database and attachments while the service runs, and the keyring sealed.

    The keyring's passphrase is read from standard input; keep it, and ideally the
    sealed keyring, apart from the backup: without both nothing in it can be read.
    """
    passphrase = _read_passphrase()
    if len(passphrase) < MIN_PASSPHRASE:
        fail(f"the keyring passphrase must be at least {MIN_PASSPHRASE} characters")
    if not _empty_directory(destination):
        fail(f"{destination} is not empty; a backup goes into a new directory")
    engine = db.engine
    database = destination / DATABASE_FILES[engine.dialect.name]
    # No rotation or retirement between reading the keyring and the snapshot: every KEK
    # version the snapshot's data keys name is in the keyring this backup seals.
    with keyring_alone(current_app.config["KEYRING"]):
        destination.mkdir(mode=0o700, parents=True, exist_ok=True)
        keyring = Keyring.load(current_app.config["KEYRING"])
        if engine.dialect.name == "sqlite":
            snapshot = _snapshot_sqlite(engine, database)
        else:
            snapshot = _snapshot_postgres(engine, database)
    copied = _copy_attachments(
        Path(current_app.config["ATTACHMENT_DIR"]), destination / ATTACHMENTS
    )
    sealed = keyring_to or destination / SEALED_KEYRING
    _write_private(sealed, keyring.sealed(passphrase), replace=False)
    manifest = {
        "format": FORMAT,
        "taken_at": clock.now().isoformat(),
        "engine": engine.dialect.name,
        "attachment_store": current_app.config["ATTACHMENT_STORE"],
        "revision": snapshot.revision,
        "audit_head": None
        if snapshot.head is None
        else {"record": snapshot.head.record_id, "digest": snapshot.head.digest},
        "files": {
            str(path.relative_to(destination)): _sha256(path)
            for path in _files(destination)
            if path != sealed
        },
    }
    _write_private(destination / MANIFEST, json.dumps(manifest, indent=2).encode(), replace=False)
    audit.record(
        None,
        "deployment.backed_up",
        "deployment",
        None,
        {"attachments": copied, "audit_head": snapshot.head and snapshot.head.record_id},
    )
    db.session.commit()
    click.echo(f"backup written to {destination}: database, {_attachments(copied)}")
    click.echo(f"sealed keyring written to {sealed}; keep its passphrase apart from it")


def _manifest(source: Path) -> dict[str, Any]:
    """The backup's manifest, after every file it lists is found with its SHA-256."""
    try:
        manifest = json.loads((source / MANIFEST).read_bytes())
    except (OSError, ValueError):
        fail(f"{source} holds no readable {MANIFEST}: is it an ARNet backup?")
        raise
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        fail(f"{source / MANIFEST} is not in format {FORMAT}")
    for name, expected in manifest["files"].items():
        path = source / name
        if not path.is_file() or _sha256(path) != expected:
            fail(f"{path} is missing or changed since the backup was taken")
    return manifest


@contextmanager
def _no_connections(engine: Engine) -> Iterator[None]:
    """Close this process's connections around a restore, so none sees the empty database."""
    engine.dispose()
    yield
    engine.dispose()


def _refusal(engine: Engine, manifest: dict[str, Any]) -> str | None:
    """Why this deployment cannot take the backup, or None when it is empty and alike."""
    config = current_app.config
    if manifest["engine"] != engine.dialect.name:
        return (
            f"the backup is of a {manifest['engine']} database, this one is {engine.dialect.name}"
        )
    # Backups from before the setting existed kept their attachments as files.
    kept_in = manifest.get("attachment_store", "filesystem")
    if kept_in != config["ATTACHMENT_STORE"]:
        return (
            f"the backup keeps attachments in the {kept_in}, this deployment in the "
            f"{config['ATTACHMENT_STORE']} (ARNET_ATTACHMENT_STORE)"
        )
    if Path(config["KEYRING"]).exists():
        return f"a keyring exists at {config['KEYRING']}; a restore never replaces one"
    if inspect(engine).get_table_names():
        return "the database is not empty; restore into a new, empty database"
    if kept_in == "filesystem" and not _empty_directory(Path(config["ATTACHMENT_DIR"])):
        return f"the attachment directory {config['ATTACHMENT_DIR']} is not empty"
    return None


def _checkpointed(manifest: dict[str, Any]) -> Head | None:
    """The restored chain's head, written as the checkpoint unless a later one stands there."""
    head = manifest["audit_head"]
    if head is None:
        return None
    restored = Head(int(head["record"]), str(head["digest"]))
    checkpoints = CheckpointFile(current_app.config["AUDIT_CHECKPOINT"])
    current = checkpoints.read()
    if current is not None and current.head.record_id > restored.record_id:
        fail(
            f"the checkpoint at {checkpoints.path} names record {current.head.record_id}, later "
            f"than this backup's {restored.record_id}; move it away to go back to this backup"
        )
    checkpoints.advance(restored)
    return restored


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--keyring-from",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help=f"The sealed keyring; default SOURCE/{SEALED_KEYRING}.",
)
def restore(source: Path, keyring_from: Path | None) -> None:
    """Put a backup into an empty deployment: empty database, no keyring file, no attachments.

    The keyring's passphrase is read from standard input. Every file is checked against
    the manifest's SHA-256 and the keyring opened before anything is written.
    """
    passphrase = _read_passphrase()
    manifest = _manifest(source)
    try:
        keyring = Keyring.unsealed(
            (keyring_from or source / SEALED_KEYRING).read_bytes(), passphrase
        )
    except (OSError, CryptoError) as error:
        fail(f"the sealed keyring cannot be opened: {error}")
        return
    engine = db.engine
    if (refusal := _refusal(engine, manifest)) is not None:
        fail(refusal)
    database = source / DATABASE_FILES[engine.dialect.name]
    with _no_connections(engine):
        if engine.dialect.name == "sqlite":
            _sqlite_copy(str(database), str(engine.url.database))
        else:
            dsn, env = _libpq(engine.url)
            _run(
                [
                    "pg_restore",
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--single-transaction",
                    f"--dbname={dsn}",
                    str(database),
                ],
                env,
            )
    copied = _copy_attachments(source / ATTACHMENTS, Path(current_app.config["ATTACHMENT_DIR"]))
    keyring.save_new(current_app.config["KEYRING"])
    head = _checkpointed(manifest)
    audit.record(
        None,
        "deployment.restored",
        "deployment",
        None,
        {"taken_at": manifest["taken_at"], "audit_head": head and head.record_id},
    )
    db.session.commit()
    click.echo(f"restored {source}: database, {_attachments(copied)}, keyring")
    click.echo("run verify-audit and verify-integrity, then start the service")
