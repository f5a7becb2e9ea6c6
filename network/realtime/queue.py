"""The Redis message queue between server processes, numbered so that a lost delivery is seen.

Redis publish/subscribe keeps nothing: a message published while a process is not
subscribed (Redis restarting, a connection dropped) or one its publisher gave up on is
gone, and python-socketio only logs it. So each process numbers what it publishes and
publishes a beat when it has nothing else to say; a process that hears a number skipped
(its own included) may have missed a message to any room, and closes its sockets'
connections. Their clients reconnect and join from their last seq, which the database
answers in full.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from typing import Any

from socketio import RedisManager

from network.core import outages

log = logging.getLogger(__name__)

NUMBER = "arnet_number"  # this publisher's count of publications, from 1
LOST = "arnet_lost"  # the number of this publisher's last publication that failed, or 0
BEAT = "arnet_beat"  # a method no python-socketio process acts on
BEAT_SECONDS = 1.0


class NumberedRedisManager(RedisManager):  # type: ignore[misc]  # python-socketio has no types
    """python-socketio's Redis manager, with every publication numbered and every gap acted on."""

    def __init__(self, url: str, channel: str, beat_seconds: float = BEAT_SECONDS) -> None:
        super().__init__(url, channel=channel)
        self.beat_seconds = beat_seconds
        self._numbering = threading.Lock()
        self._starting = threading.Lock()
        self._published = 0
        self._last_lost = 0
        self._beating = False
        self._heard: dict[str, int] = {}  # host id -> the last number heard; listener only

    def initialize(self) -> None:
        """At the first connection: listen, and beat (if no publication has started it yet)."""
        super().initialize()
        self._start_beat()

    def _start_beat(self) -> None:
        """A process that publishes beats, whether or not it holds sockets (REST-only ones too).

        python-socketio initializes a manager at its first connection only, so the first
        publication starts the beat as well.
        """
        with self._starting:
            if self._beating or self.write_only:
                return
            self._beating = True
        self.server.start_background_task(self._beat)

    def _publish(self, data: dict[str, Any]) -> int | None:
        """Publish with the next number; a failure is remembered, so the next one tells it.

        Numbers leave in order: the lock spans numbering and publishing.
        """
        self._start_beat()
        with self._numbering:
            self._published += 1
            numbered = {**data, NUMBER: self._published, LOST: self._last_lost}
            receivers: int | None = super()._publish(numbered)
            if receivers is None:  # python-socketio logged it and gave up
                self._last_lost = self._published
            if receivers is None:  # logged and counted once per episode
                outages.began(outages.QUEUE, "a publication to the message queue was given up")
            else:
                outages.ended(outages.QUEUE)
            return receivers

    def _beat(self) -> None:
        """Keeps numbers flowing, so a gap is seen even when nothing else is published."""
        while True:
            self.server.sleep(self.beat_seconds)
            self._publish({"method": BEAT, "host_id": self.host_id})

    def _listen(self) -> Iterator[Any]:
        for raw in super()._listen():
            try:
                message = json.loads(raw)
            except ValueError:
                yield raw  # not ours to judge
                continue
            if isinstance(message, dict):
                self._check_continuity(message)
                if message.get("method") == BEAT:
                    continue
            yield message

    def _check_continuity(self, message: dict[str, Any]) -> None:
        number, host = message.get(NUMBER), message.get("host_id")
        if not isinstance(number, int) or not isinstance(host, str):
            return  # an emitter that does not number (an external process)
        last = self._heard.get(host)
        self._heard[host] = number
        # A publisher first heard from has lost nothing only if it says so.
        missed = number > last + 1 if last is not None else bool(message.get(LOST))
        if missed:
            self.server.start_background_task(self.drop_local_sockets)

    def drop_local_sockets(self) -> None:
        """Drop every connection of this process, as a restart would: clients reconnect.

        The transport is cut without a goodbye, since Socket.IO clients do not reconnect
        by themselves after a server's orderly disconnect; each reconnects, joins from
        its last seq and so receives what this process missed.
        """
        engine = self.server.eio
        eio_sids = {
            eio_sid
            for namespace in list(self.get_namespaces())
            for _sid, eio_sid in self.get_participants(namespace, None)
        }
        log.warning(
            "a message queue delivery may have been missed: dropping %d connections so "
            "their clients join again from their last seq",
            len(eio_sids),
        )
        for eio_sid in eio_sids:
            connection = engine.sockets.pop(eio_sid, None)
            if connection is not None:
                connection.close(wait=False, abort=True, reason=engine.reason.TRANSPORT_CLOSE)
