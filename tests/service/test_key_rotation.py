"""Specifications for key rotation while the service runs, and for retiring old KEK versions."""

from __future__ import annotations

import json
import stat
import threading
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from network.audit import service as audit
from network.audit.models import AuditRecord
from network.cases import listing, opening
from network.cli.keys import rotate_keys
from network.core import clock
from network.crypto import Keyring, holding_keyring, unwrap_data_key
from network.extensions import db
from network.messages import posting, reading
from network.sealing.models import DataKey
from tests.conftest import Cast
from tests.stories import Story, open_story

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def story(cast: Cast) -> Story:
    return open_story(cast)


def _versions() -> list[int]:
    db.session.expire_all()
    return sorted(db.session.scalars(select(DataKey.kek_version)))


def _keyring_versions(app: Flask) -> list[str]:
    return sorted(json.loads(Path(app.config["KEYRING"]).read_text())["keys"])


def _network(app: Flask, *args: str) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=["network", *args])
    return result.exit_code, result.output


def test_a_running_process_wraps_new_data_keys_with_a_version_another_process_added(
    app: Flask, cast: Cast, story: Story
) -> None:
    # rotate-keys runs in another process: it only saves the file this app reads.
    rotated = Keyring.load(app.config["KEYRING"])
    rotated.add_version()
    rotated.save(app.config["KEYRING"])

    case = opening.open_case(
        cast.amina,
        title="Opened after the rotation",
        summary="",
        reference="CIV-2",
        requested_states=["CHE"],
        counterparts=[cast.lea.id],
        now=clock.now(),
    )
    db.session.commit()

    key = db.session.get(DataKey, case.data_key_id)
    assert key is not None
    assert key.kek_version == 2
    assert listing.case_view(cast.lea, case.id).title == "Opened after the rotation"


def test_retire_keys_refuses_while_data_keys_are_behind_naming_the_count_per_version(
    app: Flask, cast: Cast, story: Story
) -> None:
    assert _versions() == [1, 1, 1]
    assert _network(app, "rotate-keys", "--batch-size", "2", "--max-batches", "1")[0] == 0
    assert _network(app, "rotate-keys", "--batch-size", "1", "--max-batches", "1")[0] == 0
    assert _versions() == [1, 2, 3]

    code, output = _network(app, "retire-keys")

    assert code == 1
    assert output.strip().splitlines() == [
        "error: 1 data key still uses KEK version 1, 1 data key still uses KEK version 2; "
        "run rotate-keys --resume first"
    ]
    assert _keyring_versions(app) == ["1", "2", "3"]


def test_retire_keys_removes_every_version_no_data_key_uses_and_keeps_the_current(
    app: Flask, cast: Cast, story: Story
) -> None:
    posting.post_message(cast.amina, story.che.id, client_id="a-1", body="Kept", now=clock.now())
    db.session.commit()
    assert _network(app, "rotate-keys")[0] == 0
    assert _network(app, "rotate-keys")[0] == 0

    code, output = _network(app, "retire-keys")

    assert code == 0, output
    assert "retired KEK versions 1, 2; the keyring keeps version 3" in output
    assert _keyring_versions(app) == ["3"]
    assert stat.S_IMODE(Path(app.config["KEYRING"]).stat().st_mode) == 0o600
    assert [m.body for m in reading.messages_after(cast.lea, story.che.id, 0, 9)] == ["Kept"]
    assert listing.case_view(cast.lea, story.case.id).title == "Port authority embezzlement"
    assert _network(app, "retire-keys") == (
        0,
        "nothing to retire: the keyring holds only KEK version 3\n",
    )


def _rotations_recorded() -> int:
    return (
        db.session.scalar(
            select(func.count(AuditRecord.id)).where(AuditRecord.action == "keyring.rotated")
        )
        or 0
    )


def test_a_rotation_retirement_or_backup_started_while_another_runs_is_refused_changing_nothing(
    app: Flask, cast: Cast, story: Story, tmp_path: Path
) -> None:
    refusal = "error: another rotate-keys, retire-keys or backup is using the keyring; "
    refusal += "nothing changed, run again after it\n"
    with holding_keyring(app.config["KEYRING"]):  # as a rotation running in another process
        assert _network(app, "rotate-keys") == (1, refusal)
        assert _network(app, "rotate-keys", "--resume") == (1, refusal)
        assert _network(app, "retire-keys") == (1, refusal)
        backup = app.test_cli_runner().invoke(
            args=["network", "backup", str(tmp_path / "backup")], input="a long passphrase\n"
        )
        assert (backup.exit_code, backup.output) == (1, refusal)

    assert _keyring_versions(app) == ["1"]
    assert _versions() == [1, 1, 1]
    assert _rotations_recorded() == 0
    assert not (tmp_path / "backup").exists()
    assert _network(app, "rotate-keys")[0] == 0  # and once it ended, the next one runs
    assert _versions() == [2, 2, 2]


def test_rotations_started_at_once_lose_no_kek_and_leave_every_data_key_readable(
    app: Flask, cast: Cast, story: Story
) -> None:
    runs = 4
    start = threading.Barrier(runs)
    exits: list[int] = []
    rotate = rotate_keys.callback
    assert rotate is not None

    def rotation() -> None:
        with app.app_context():
            start.wait()
            try:
                rotate(resume=False, batch_size=1, max_batches=None)
                exits.append(0)
            except SystemExit as stop:
                exits.append(int(str(stop.code)))

    threads = [threading.Thread(target=rotation) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    rotated = exits.count(0)
    assert rotated >= 1
    assert sorted(exits) == [0] * rotated + [1] * (runs - rotated)
    keyring = Keyring.load(app.config["KEYRING"])
    assert keyring.versions == list(range(1, rotated + 2))
    db.session.expire_all()
    for row in db.session.scalars(select(DataKey)):
        assert row.kek_version == keyring.current_version
        unwrap_data_key(keyring, row.kek_version, row.wrapped, b"data_keys:" + row.label.encode())
    assert _rotations_recorded() == rotated
    assert audit.verify_chain()[1] is None
