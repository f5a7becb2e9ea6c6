"""Who each socket of this process speaks for, and which channel rooms it has entered."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from network.auth.models import User


@dataclass
class SocketIdentity:
    """The credential a socket was opened with: a browser session or a personal access token."""

    user_id: int
    session_id: int | None = None
    token_id: int | None = None
    channels: set[int] = field(default_factory=set)
    # When this socket's activity was last written to its session's last_seen_at.
    activity_noted_at: datetime | None = None
    # The user as last loaded, detached (no session's), with the profile it was loaded with;
    # each event checks the credential and the profile, and loads the user again only when
    # the profile changed.
    user: User | None = None
    profile: tuple[Any, ...] | None = None


class SocketRegistry:
    """Process-local: each server process sweeps only the sockets it holds itself."""

    def __init__(self, started: datetime) -> None:
        self._lock = threading.Lock()
        self._sockets: dict[str, SocketIdentity] = {}
        # The moment up to which membership changes have been applied to local rooms.
        self.swept_until = started
        self.sweeper_started = False

    def add(self, sid: str, identity: SocketIdentity) -> None:
        with self._lock:
            self._sockets[sid] = identity

    def remove(self, sid: str) -> SocketIdentity | None:
        with self._lock:
            return self._sockets.pop(sid, None)

    def get(self, sid: str) -> SocketIdentity | None:
        with self._lock:
            return self._sockets.get(sid)

    def entered(self, sid: str, channel_id: int) -> None:
        with self._lock:
            if sid in self._sockets:
                self._sockets[sid].channels.add(channel_id)

    def left(self, sid: str, channel_id: int) -> None:
        with self._lock:
            if sid in self._sockets:
                self._sockets[sid].channels.discard(channel_id)

    def keep_user(self, sid: str, user: User, profile: tuple[Any, ...]) -> None:
        with self._lock:
            if sid in self._sockets:
                self._sockets[sid].user, self._sockets[sid].profile = user, profile

    def activity_to_note(self, sid: str, now: datetime, every: timedelta) -> int | None:
        """The session to mark as seen for this socket's activity, at most once per ``every``."""
        with self._lock:
            identity = self._sockets.get(sid)
            if identity is None or identity.session_id is None:
                return None
            noted = identity.activity_noted_at
            if noted is not None and now - noted < every:
                return None
            identity.activity_noted_at = now
            return identity.session_id

    def snapshot(self) -> dict[str, SocketIdentity]:
        """A copy to read without holding the lock while the database is asked."""
        with self._lock:
            return {
                sid: SocketIdentity(i.user_id, i.session_id, i.token_id, set(i.channels))
                for sid, i in self._sockets.items()
            }

    def sids_of(self, user_id: int) -> list[str]:
        with self._lock:
            return [sid for sid, i in self._sockets.items() if i.user_id == user_id]
