"""Key rotation: a new KEK version, every data key re-wrapped with it, old versions retired."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import current_app

from network.cli.errors import fail
from network.core import clock
from network.extensions import db


def _settle(path: str) -> None:
    """Wait until every running process has looked at the keyring file since it last changed.

    A process looks at most every KEYRING_CHECK_SECONDS when it makes a data key;
    twice that after the change, none wraps with a version it read before.
    """
    settle = 2 * current_app.config["KEYRING_CHECK_SECONDS"]
    wait = Path(path).stat().st_mtime + settle - time.time()
    if wait > 0:
        time.sleep(wait)


@contextmanager
def keyring_alone(path: str) -> Iterator[None]:
    """Hold the keyring while no other rotate-keys, retire-keys or backup does; else fail."""
    from network.crypto import KeyringBusy, holding_keyring

    try:
        with holding_keyring(path):
            yield
    except KeyringBusy:
        fail(
            "another rotate-keys, retire-keys or backup is using the keyring; "
            "nothing changed, run again after it"
        )


@click.command("rotate-keys")
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
    interruption, run again (with --resume to keep the current version). One
    rotation, retirement or backup at a time: another started meanwhile changes nothing.
    """
    path = current_app.config["KEYRING"]
    with keyring_alone(path):
        _rotate(path, resume, batch_size, max_batches)


def _rotate(path: str, resume: bool, batch_size: int, max_batches: int | None) -> None:
    from network.audit import service as audit
    from network.crypto import Keyring
    from network.sealing import keystore
    from network.wiring import reload_keyring

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


@click.command("retire-keys")
def retire_keys() -> None:
    """Remove from the keyring every KEK version that no data key uses; never the current one.

    Refuses, and changes nothing, while any data key is still wrapped by an old
    version (rotate-keys --resume moves them), or while a rotation or a backup
    holds the keyring. The file is replaced atomically.
    """
    path = current_app.config["KEYRING"]
    with keyring_alone(path):
        _retire(path)


def _retire(path: str) -> None:
    from network.audit import service as audit
    from network.crypto import Keyring
    from network.sealing import keystore

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
