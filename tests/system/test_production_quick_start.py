"""The README's production quick start, followed on an empty PostgreSQL database.

The commands run as an operator runs them, in production mode: migrate, load the
States, create the keyring, create the first user. A setting that cannot work stops
the start with one line that names it.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import (
    POSTGRES_SERVER_URL,
    POSTGRES_URL,
    REDIS_URL,
    postgres_available,
    redis_available,
    skip_or_fail,
)

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture
def production(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Production settings on a database of its own, empty until the quick start fills it."""
    if not postgres_available():
        skip_or_fail(f"PostgreSQL is not reachable at {POSTGRES_SERVER_URL}")
    if not redis_available():
        skip_or_fail(f"Redis is not reachable at {REDIS_URL}")
    name = f"{make_url(POSTGRES_URL).database}_quick_start"
    admin = create_engine(POSTGRES_SERVER_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    settings = {
        **os.environ,
        "ARNET_ENV": "production",
        "ARNET_DATABASE_URL": make_url(POSTGRES_URL).set(database=name).render_as_string(
            hide_password=False
        ),
        "ARNET_REDIS_URL": REDIS_URL,
        "ARNET_SECRET_KEY": "quick-start-secret-key-of-enough-length",
        "ARNET_KEYRING": str(tmp_path / "keys" / "keyring.json"),
        "ARNET_AUDIT_CHECKPOINT": str(tmp_path / "audit-checkpoint.json"),
        "ARNET_INSTANCE_PATH": str(tmp_path / "instance"),
        "ARNET_PASSWORD_PROFILE": "CHEAPEST",
    }
    try:
        yield settings
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def flask(env: dict[str, str], *args: str, stdin: str | None = None):
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=180,
    )


def stopped_with_one_line(result) -> str:
    """The start failed with one line of reason (after any start-up facts), no traceback."""
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    reason = result.stderr.strip().splitlines()[-1]
    assert reason.startswith("ARNet cannot start:"), result.stderr
    return reason


def start_server(env: dict[str, str]):
    """What gunicorn does first: import wsgi.py outside the flask command line."""
    return subprocess.run(
        [sys.executable, "-c", "import wsgi"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
    )


def test_a_fresh_production_database_takes_its_first_user(production):
    assert flask(production, "db", "upgrade").returncode == 0
    states = flask(production, "network", "sync-states")
    assert states.returncode == 0, states.stderr
    assert int(states.stdout.split("States added: ")[1].split()[0]) >= 193
    again = flask(production, "network", "sync-states")
    assert "States added: 0" in again.stdout

    created = flask(production, "network", "init-keyring")
    assert created.returncode == 0, created.stderr
    keyring = Path(production["ARNET_KEYRING"])
    assert stat.S_IMODE(keyring.stat().st_mode) == 0o600
    before = keyring.read_bytes()
    refused = flask(production, "network", "init-keyring")
    assert refused.returncode == 1
    assert "never overwritten" in refused.stderr
    assert keyring.read_bytes() == before

    user = flask(
        production, "network", "create-user", "claire@fra.example", "--name", "Claire Martin",
        "--role", "national_admin", "--state", "FRA", "--password-stdin",
        stdin="A-Strong-Passphrase-For-Claire\n",
    )
    assert user.returncode == 0, user.stderr
    assert "created user" in user.stdout
    assert start_server(production).returncode == 0


@pytest.mark.parametrize(
    ("unset", "named"),
    [("ARNET_SECRET_KEY", "ARNET_SECRET_KEY"), ("ARNET_REDIS_URL", "ARNET_REDIS_URL")],
)
def test_a_missing_setting_stops_the_start_with_one_line(production, unset, named):
    del production[unset]
    for result in (flask(production, "network", "sync-states"), start_server(production)):
        assert named in stopped_with_one_line(result)


def test_a_server_without_its_keyring_stops_with_one_line(production):
    assert flask(production, "db", "upgrade").returncode == 0
    reason = stopped_with_one_line(start_server(production))
    assert "ARNET_KEYRING" in reason
    assert "init-keyring" in reason
