"""An upgrade as the README tells it: the previous release writes a database, this one migrates it.

The previous release is the commit named below, checked out from this repository's
history and run as it was (its own code, its own migrations, its own demo and services)
to write a case with a message and a freezing order. This release then upgrades that
database and must read all of it: the audit chain verifies, every sealed value opens,
and the message and the order read as they were written.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from io import BytesIO
from pathlib import Path

import pytest
from sqlalchemy import select

from network import create_app
from network.auth.accounts import find_user_by_email
from network.cases.models import Channel
from network.extensions import db
from network.messages.reading import messages_after
from network.recovery.models import ProvisionalMeasure
from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parents[2]
# The commit that landed last before this release; move it forward at each release.
PREVIOUS_RELEASE = "e590938"
MARK = "Upgrade-Heron-5521: balance confirmed at 2,500,000 CHF"
pytestmark = pytest.mark.slow

# Run with the previous release's code: what a deployment of it wrote.
WRITE_WITH_THE_PREVIOUS_RELEASE = f"""
import uuid
from datetime import date
from network import create_app
from network.auth.service import find_user_by_email
from network.cases import service as cases
from network.cases.models import Channel
from network.core import clock
from network.extensions import db
from network.messages import service as messages
from network.recovery import service as recovery

app = create_app()
with app.app_context():
    amina = find_user_by_email("aminata.kone@civ.demo")
    lea = find_user_by_email("lea.muller@che.demo")
    now = clock.now()
    case = cases.open_case(amina, title="Heron case", summary="Funds through Geneva.",
        reference="CIV-UP-1", requested_states=["CHE"], counterparts=[lea.id], now=now)
    db.session.flush()
    channel = db.session.query(Channel).filter_by(case_id=case.id).one()
    messages.post_message(amina, channel.id, client_id=str(uuid.uuid4()), body={MARK!r},
        handling_code="H1", now=now)
    asset = recovery.record_asset(lea, case.id, kind="bank_account", location_state="CHE",
        estimated_value="2500000.00", currency="CHF", description="Geneva account", now=now)
    recovery.record_measure(lea, case.id, kind="freezing", asset_ids=[asset.id],
        issuing_authority="Ministère public de la Confédération", issuing_state="CHE",
        legal_basis="54_2_b", effective_on=date(2026, 1, 5), expires_on=date(2027, 3, 31),
        now=now)
    db.session.commit()
"""


def checkout(revision: str, target: Path) -> None:
    """The previous release's files, from this repository's history (no network)."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", revision],
        capture_output=True, check=False,
    )
    if archive.returncode != 0:
        skip_or_fail(f"the history holds no {revision}: {archive.stderr.decode().strip()}")
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")


def run(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def test_this_release_reads_everything_the_previous_one_wrote(tmp_path: Path) -> None:
    old = tmp_path / "previous-release"
    checkout(PREVIOUS_RELEASE, old)
    env = {
        **os.environ,
        "ARNET_ENV": "development",
        "ARNET_DATABASE_URL": f"sqlite:///{tmp_path / 'arnet.db'}",
        "ARNET_KEYRING": str(tmp_path / "keyring.json"),
        "ARNET_AUDIT_CHECKPOINT": str(tmp_path / "audit-checkpoint.json"),
        "ARNET_ATTACHMENT_DIR": str(tmp_path / "attachments"),
        "ARNET_PASSWORD_PROFILE": "CHEAPEST",
        "ARNET_MAIL_BACKEND": "memory",
        # The previous release's own package, ahead of this checkout's installed one.
        "PYTHONPATH": str(old),
    }
    run(old, env, "-m", "flask", "--app", "wsgi", "db", "upgrade")
    run(old, env, "-m", "flask", "--app", "wsgi", "network", "seed-demo")
    run(old, env, "-c", WRITE_WITH_THE_PREVIOUS_RELEASE)

    env.pop("PYTHONPATH")
    run(ROOT, env, "-m", "flask", "--app", "wsgi", "db", "upgrade")
    assert "audit chain whole" in run(
        ROOT, env, "-m", "flask", "--app", "wsgi", "network", "verify-audit"
    ).stdout
    run(ROOT, env, "-m", "flask", "--app", "wsgi", "network", "verify-integrity")

    app = create_app({
        "ENV_NAME": "development",
        "DATABASE_URL": env["ARNET_DATABASE_URL"],
        "KEYRING": env["ARNET_KEYRING"],
        "AUDIT_CHECKPOINT": env["ARNET_AUDIT_CHECKPOINT"],
        "ATTACHMENT_DIR": env["ARNET_ATTACHMENT_DIR"],
        "INSTANCE_PATH": str(tmp_path / "instance"),
    })
    with app.app_context():
        lea = find_user_by_email("lea.muller@che.demo")
        assert lea is not None
        channel_id = db.session.scalar(select(Channel.id))
        assert channel_id is not None
        bodies = [view.body for view in messages_after(lea, channel_id, 0, 10)]
        assert bodies == [MARK]
        measure = db.session.scalar(select(ProvisionalMeasure))
        assert measure is not None
        assert measure.expires_on.isoformat() == "2027-03-31"
        db.session.remove()
