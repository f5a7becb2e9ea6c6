"""The checkpoint file: private, written whole, and only ever moved forward by any process."""

from __future__ import annotations

import logging
import stat
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from network.audit.checkpoint import CheckpointFile, CheckpointKeeper, Head

WRITERS = 4
LAST = 120


def digest_of(number: int) -> str:
    return f"{number:064x}"


def keeper(path: Path) -> CheckpointKeeper:
    return CheckpointKeeper(CheckpointFile(path), interval_seconds=300, timer=False)


def write_every_fourth(path: str, first: int) -> list[int]:
    """One process's heads, written in turn; after each, the file must not be behind it."""
    checkpoints = CheckpointFile(path)
    behind = []
    for number in range(first, LAST + 1, WRITERS):
        checkpoints.advance(Head(number, digest_of(number)))
        written = checkpoints.read()
        if written is None or written.head.record_id < number:
            behind.append(number)
    return behind


def test_a_checkpoint_is_private_reads_back_and_is_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    path = tmp_path / "instance" / "audit-checkpoint.json"

    with caplog.at_level(logging.INFO, logger="network.audit"):
        assert CheckpointFile(path).advance(Head(3, digest_of(3)))

    written = CheckpointFile(path).read()
    assert written is not None
    assert written.head == Head(3, digest_of(3))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert caplog.messages == [f"audit checkpoint: record 3, digest {digest_of(3)}"]


def test_a_stale_process_does_not_move_the_checkpoint_back(tmp_path: Path):
    path = tmp_path / "audit-checkpoint.json"
    current, stale = keeper(path), keeper(path)
    stale.committed(Head(20, digest_of(20)), administrative=False)
    current.committed(Head(30, digest_of(30)), administrative=True)

    stale.flush()
    stale.committed(Head(25, digest_of(25)), administrative=True)

    written = CheckpointFile(path).read()
    assert written is not None
    assert written.head == Head(30, digest_of(30))


def test_processes_writing_at_once_leave_the_newest_head(tmp_path: Path):
    path = str(tmp_path / "audit-checkpoint.json")

    with ProcessPoolExecutor(max_workers=WRITERS) as pool:
        behind = list(pool.map(write_every_fourth, [path] * WRITERS, range(1, WRITERS + 1)))

    assert behind == [[]] * WRITERS
    written = CheckpointFile(path).read()
    assert written is not None
    assert written.head == Head(LAST, digest_of(LAST))


def test_an_unreadable_checkpoint_is_logged_and_never_overwritten(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    path = tmp_path / "audit-checkpoint.json"
    path.write_text("not a checkpoint")

    keeper(path).committed(Head(5, digest_of(5)), administrative=True)

    assert path.read_text() == "not a checkpoint"
    assert "audit checkpoint for record 5 not written" in caplog.text
