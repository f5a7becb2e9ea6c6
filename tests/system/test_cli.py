"""The operator's command line, run as operators run it: real processes, exit codes, output."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    environment = {
        **os.environ,
        "ARNET_ENV": "development",
        "ARNET_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "ARNET_KEYRING": str(tmp_path / "keyring.json"),
        "ARNET_AUDIT_CHECKPOINT": str(tmp_path / "audit-checkpoint.json"),
        "ARNET_ATTACHMENT_DIR": str(tmp_path / "attachments"),
        "ARNET_SECRET_KEY": "cli-test-secret-key-of-enough-length",
        "ARNET_PASSWORD_PROFILE": "CHEAPEST",
        "ARNET_MAIL_BACKEND": "memory",
    }
    run(environment, "db", "upgrade")
    return environment


def run(env: dict[str, str], *args: str, stdin: str | None = None, check: bool = True):
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def database(env: dict[str, str]) -> str:
    return env["ARNET_DATABASE_URL"].removeprefix("sqlite:///")


def test_seed_demo_is_idempotent(env):
    first = run(env, "network", "seed-demo")
    assert "Demo users added: 10" in first.stdout
    assert "Demo case DEMO-CIV-PPEF-2026-001 told" in first.stdout
    second = run(env, "network", "seed-demo")
    assert "Demo users added: 0" in second.stdout
    assert "Demo case DEMO-CIV-PPEF-2026-001 already there" in second.stdout
    with sqlite3.connect(database(env)) as connection:
        (users,) = connection.execute("select count(*) from users").fetchone()
        (cases,) = connection.execute("select count(*) from cases").fetchone()
    assert (users, cases) == (10, 1)


def test_create_user_then_token_then_verify_audit(env):
    run(env, "network", "seed-demo")
    made = run(
        env,
        "network",
        "create-user",
        "kofi@civ.example",
        "--name",
        "Kofi Mensah",
        "--role",
        "practitioner",
        "--state",
        "CIV",
        "--password-stdin",
        stdin="A-Strong-Passphrase-For-Kofi\n",
    )
    assert "created user" in made.stdout
    token = run(env, "network", "create-token", "kofi@civ.example", "--name", "ci", "--days", "3")
    last_line = token.stdout.strip().splitlines()[-1]
    assert last_line.startswith("arnet_")
    assert " " not in last_line
    verified = run(env, "network", "verify-audit")
    assert "audit chain whole" in verified.stdout


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--role", "practitioner"], "belongs to a State"),
        (["--role", "practitioner", "--state", "ZZZ"], "Unknown State"),
        (["--role", "network_admin", "--state", "CIV"], "no State"),
    ],
)
def test_create_user_fails_with_a_one_line_reason(env, args, reason):
    run(env, "network", "seed-demo")
    result = run(
        env,
        "network",
        "create-user",
        "x@civ.example",
        "--name",
        "X",
        *args,
        "--password-stdin",
        stdin="A-Strong-Passphrase-For-X\n",
        check=False,
    )
    assert result.returncode != 0
    assert reason in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_create_token_for_unknown_user_fails(env):
    result = run(
        env, "network", "create-token", "ghost@nowhere.example", "--name", "x", check=False
    )
    assert result.returncode == 1
    assert "no user" in result.stderr


def test_editing_one_audit_row_makes_verify_audit_name_it(env):
    run(env, "network", "seed-demo")
    with sqlite3.connect(database(env)) as connection:
        connection.execute(
            "update audit_records set details = ? where id = 3", ('{"email": "forged"}',)
        )
    result = run(env, "network", "verify-audit", check=False)
    assert result.returncode == 1
    assert "record 3" in result.stderr


def test_deleting_an_audit_row_is_detected(env):
    run(env, "network", "seed-demo")
    with sqlite3.connect(database(env)) as connection:
        connection.execute("delete from audit_records where id = 2")
    result = run(env, "network", "verify-audit", check=False)
    assert result.returncode == 1
    assert "record 2" in result.stderr


def audit_count(env: dict[str, str]) -> int:
    with sqlite3.connect(database(env)) as connection:
        (count,) = connection.execute("select count(*) from audit_records").fetchone()
    return count


def test_verify_audit_names_the_checkpoint_the_command_wrote(env):
    run(env, "network", "seed-demo")
    newest = audit_count(env)

    verified = run(env, "network", "verify-audit")

    assert f"audit chain whole: {newest} records verified with the audit key" in verified.stdout
    assert f"record {newest} matches the checkpoint" in verified.stdout


def test_truncating_the_last_50_audit_records_makes_verify_audit_name_the_first_gone(env):
    run(env, "network", "seed-demo")
    newest = audit_count(env)
    with sqlite3.connect(database(env)) as connection:
        connection.execute("delete from audit_records where id > ?", (newest - 50,))

    result = run(env, "network", "verify-audit", check=False)

    assert result.returncode == 1
    assert f"record {newest - 49}: it is missing" in result.stderr


def test_a_database_upgraded_from_the_plain_chain_verifies(env, tmp_path):
    run(env, "network", "seed-demo")
    run(env, "db", "downgrade", "6887dca679fd")  # the trail as the plain SHA-256 code left it
    (tmp_path / "audit-checkpoint.json").unlink()

    run(env, "db", "upgrade")
    verified = run(env, "network", "verify-audit")

    assert f"record {audit_count(env)} matches the checkpoint" in verified.stdout
