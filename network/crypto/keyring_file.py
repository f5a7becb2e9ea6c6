"""The keyring file as a running process sees it: re-read soon after another process rotates it."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from network.crypto.errors import CryptoError
from network.crypto.keyring import Keyring

log = logging.getLogger(__name__)

_Stamp = tuple[int, int, int]


def _stamp(path: Path) -> _Stamp:
    """What changes when the file is replaced: a save renames a new file over it (new inode)."""
    status = path.stat()
    return (status.st_ino, status.st_mtime_ns, status.st_size)


class KeyringFile:
    """Hands out the keyring, looking at the file at most every ``check_every`` seconds.

    ``rotate-keys`` saves a new current version from another process; every
    process then wraps new data keys with it within ``check_every`` seconds, with
    no restart. A look is one ``stat``; the file is read again only when it changed.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        create: bool = False,
        check_every: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._path = Path(path)
        self._check_every = check_every
        self._monotonic = monotonic
        self._lock = threading.Lock()
        keyring = Keyring.load_or_create(self._path) if create else Keyring.load(self._path)
        self._keyring = keyring
        self._stamp = _stamp(self._path)
        self._checked_at = monotonic()

    @property
    def path(self) -> Path:
        return self._path

    def current(self) -> Keyring:
        """The keyring, re-read first if the file changed since the last look."""
        now = self._monotonic()
        if now - self._checked_at < self._check_every:
            return self._keyring
        with self._lock:
            if now - self._checked_at >= self._check_every:
                self._checked_at = now
                self._refresh(force=False)
            return self._keyring

    def reload(self) -> Keyring:
        """Read the file now: a data key names a version this process has not seen yet."""
        with self._lock:
            self._checked_at = self._monotonic()
            self._refresh(force=True)
            return self._keyring

    def _refresh(self, *, force: bool) -> None:
        # The stamp is taken before the read: a save in between only causes one more read.
        try:
            stamp = _stamp(self._path)
            if not force and stamp == self._stamp:
                return
            self._keyring = Keyring.load(self._path)
        except (OSError, CryptoError):
            # A keyring that vanished or broke after start-up must not stop the service: the
            # keys in memory still open everything they wrapped. Operators see it in the log.
            log.exception("cannot re-read the keyring at %s; keeping the one in memory", self._path)
            return
        self._stamp = stamp
