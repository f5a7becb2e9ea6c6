"""The audit chain's head, checkpointed in a file outside the database and in the log.

A database administrator can delete the newest records or re-chain the rest, but cannot
reach this file: ``verify-audit`` holds the chain against it. No Flask and no database here.
"""

from __future__ import annotations

import atexit
import fcntl
import json
import logging
import os
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from network.core import clock, outages

# The keyring's writer: a 0600 temporary file, fsynced, renamed over the old one.
from network.crypto.keyring import _write_private

FORMAT = "arnet-audit-checkpoint-1"
log = logging.getLogger("network.audit")


class CheckpointUnreadable(Exception):
    """The checkpoint file exists but is not a checkpoint; it is never overwritten then."""


@dataclass(frozen=True)
class Head:
    """The newest record of the chain: its number and digest."""

    record_id: int
    digest: str


@dataclass(frozen=True)
class Checkpoint:
    """A head as written to the checkpoint file, and when."""

    head: Head
    written_at: datetime


class CheckpointFile:
    """The checkpoint file several processes share; it only ever moves forward."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        # A lock file that is never replaced: locking the checkpoint itself would not
        # serialise writers, since each write puts a new file in its place.
        self._lock_path = self.path.with_name(f".{self.path.name}.lock")

    def read(self) -> Checkpoint | None:
        """The last checkpoint written, or None before the first."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            document = json.loads(raw)
            if document["format"] != FORMAT:
                raise ValueError(document["format"])
            record_id, digest = document["record"], document["digest"]
            if not isinstance(record_id, int) or not isinstance(digest, str):
                raise TypeError(record_id, digest)
            return Checkpoint(Head(record_id, digest), datetime.fromisoformat(document["at"]))
        except (ValueError, TypeError, KeyError):
            raise CheckpointUnreadable(f"{self.path} is not an audit checkpoint") from None

    def advance(self, head: Head) -> bool:
        """Write ``head`` unless the file already names it or a later record; True if written.

        Under an exclusive lock, so a process holding an older head never overwrites a
        newer one that another process wrote meanwhile.
        """
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            current = self.read()
            if current is not None and current.head.record_id >= head.record_id:
                return False
            document = {
                "format": FORMAT,
                "record": head.record_id,
                "digest": head.digest,
                "at": clock.now().isoformat(),
            }
            _write_private(self.path, json.dumps(document).encode() + b"\n", replace=True)
        finally:
            os.close(descriptor)  # and with it the lock
        log.info("audit checkpoint: record %d, digest %s", head.record_id, head.digest)
        return True


class CheckpointKeeper:
    """This process's newest committed head, written when it matters, never per record.

    After an administrative action, on a timer, and when a command ends; never inside an
    append.
    """

    def __init__(self, file: CheckpointFile, *, interval_seconds: float, timer: bool) -> None:
        self.file = file
        self._interval = interval_seconds
        self._timer_wanted = timer
        self._timer_started = False
        self._committed: Head | None = None
        self._written: Head | None = None
        self._lock = threading.Lock()  # guards _committed and the timer's start
        self._flushing = threading.Lock()  # one write at a time; guards _written

    def committed(self, head: Head, *, administrative: bool) -> None:
        """After a commit that appended records: remember its head, and write it if it matters."""
        with self._lock:
            if self._committed is None or head.record_id > self._committed.record_id:
                self._committed = head
            start = self._timer_wanted and not self._timer_started
            self._timer_started = self._timer_started or start
        if start:
            # Started by the first commit, so CLI commands and idle workers carry no thread
            # until they write; atexit catches the heads of a worker that stops in between.
            threading.Thread(target=self._tick, name="audit-checkpoint", daemon=True).start()
            atexit.register(self.flush)
        if administrative:
            self.flush()

    def flush(self) -> None:
        """Write the newest committed head unless it is written already; logs, never raises.

        It runs after the commit: a failure here must not turn a committed request into an
        error, and the next flush tries again.
        """
        with self._flushing:
            with self._lock:
                head = self._committed
            if head is None or (self._written and self._written.record_id >= head.record_id):
                return
            try:
                self.file.advance(head)
            except (OSError, CheckpointUnreadable) as error:
                log.exception("audit checkpoint for record %d not written", head.record_id)
                self._note_outage(error)
                return
            self._written = head

    def _note_outage(self, error: Exception) -> None:
        """A checkpoint that is not one is an integrity failure; a full disk, a disk outage."""
        kind = (
            outages.INTEGRITY
            if isinstance(error, CheckpointUnreadable)
            else outages.outage_of(error)
        )
        if kind is not None:
            outages.began(kind, f"audit checkpoint {self.file.path}: {error}")

    def _tick(self) -> None:
        """The timer: while records are being added, a checkpoint at least every interval."""
        while True:
            time.sleep(self._interval)
            self.flush()
