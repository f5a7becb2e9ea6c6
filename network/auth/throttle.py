"""Counting sign-in failures and message sends: in Redis (through Flask-Limiter) or in memory."""

from __future__ import annotations

import logging
import math
import threading
from typing import Protocol

from limits import RateLimitItem, RateLimitItemPerMinute, parse
from limits.util import WindowStats

from network.core import clock, outages
from network.core.errors import Throttled
from network.core.i18n import N_

log = logging.getLogger(__name__)


class Counters(Protocol):
    """The part of a ``limits`` rate limiter the throttles use; Redis or this process's memory."""

    def hit(self, item: RateLimitItem, *identifiers: str) -> bool: ...

    def test(self, item: RateLimitItem, *identifiers: str) -> bool: ...

    def get_window_stats(self, item: RateLimitItem, *identifiers: str) -> WindowStats: ...


class MemoryCounters:
    """Fixed windows in this process's memory, for one machine without Redis; lost at a restart.

    ``limits``' memory storage starts a timer thread on almost every call to expire its keys;
    here a window is simply over when it is next read, and spent windows are dropped at most
    once a minute.
    """

    _PURGE_EVERY = 60.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[float, int]] = {}  # key -> (window end, count)
        self._next_purge = 0.0

    def _window(self, key: str, item: RateLimitItem, now: float) -> tuple[float, int]:
        end, count = self._windows.get(key, (0.0, 0))
        return (now + item.get_expiry(), 0) if end <= now else (end, count)

    def _purge(self, now: float) -> None:
        if now >= self._next_purge:
            self._windows = {k: w for k, w in self._windows.items() if w[0] > now}
            self._next_purge = now + self._PURGE_EVERY

    def hit(self, item: RateLimitItem, *identifiers: str) -> bool:
        key, now = item.key_for(*identifiers), clock.now().timestamp()
        with self._lock:
            self._purge(now)
            end, count = self._window(key, item, now)
            if count >= item.amount:
                return False
            self._windows[key] = (end, count + 1)
            return True

    def test(self, item: RateLimitItem, *identifiers: str) -> bool:
        return self.get_window_stats(item, *identifiers).remaining > 0

    def get_window_stats(self, item: RateLimitItem, *identifiers: str) -> WindowStats:
        key, now = item.key_for(*identifiers), clock.now().timestamp()
        with self._lock:
            end, count = self._window(key, item, now)
        return WindowStats(end, item.amount - count)


def _seconds_until_reset(counters: Counters, item: RateLimitItem, *key: str) -> int:
    reset_at, _remaining = counters.get_window_stats(item, *key)
    return max(1, math.ceil(reset_at - clock.now().timestamp()))


class SignInThrottle:
    """Refuses further attempts once either counter is spent, with the same words for all."""

    def __init__(
        self, counters: Counters, per_account: int, per_address: int, window_minutes: int
    ) -> None:
        self._counters = counters
        self._account = RateLimitItemPerMinute(per_account, window_minutes)
        self._address = RateLimitItemPerMinute(per_address, window_minutes)

    def check(self, account: str, address: str) -> None:
        for item, key in (
            (self._account, ("account", account)),
            (self._address, ("address", address)),
        ):
            passed = self._counters.test(item, "signin", *key)
            outages.ended(outages.QUEUE)
            if not passed:
                wait = _seconds_until_reset(self._counters, item, "signin", *key)
                raise Throttled(
                    N_("Too many failed attempts. Try again in %(minutes)s minutes."),
                    retry_after=wait,
                    minutes=max(1, math.ceil(wait / 60)),
                )

    def failed(self, account: str, address: str) -> None:
        self._counters.hit(self._account, "signin", "account", account)
        self._counters.hit(self._address, "signin", "address", address)


class SendThrottle:
    """One budget of messages per user, spent alike by REST and Socket.IO sends."""

    def __init__(self, counters: Counters, limit: str) -> None:
        self._counters = counters
        self._item = parse(limit)

    def spend(self, user_id: int) -> None:
        """Count one send, or refuse it with the seconds until the budget refills."""
        key = ("message-send", str(user_id))
        try:
            allowed = self._counters.hit(self._item, *key)
        except Exception as error:
            # The counters live in Redis; while it is away, members can still talk (the
            # database is the record) and the outage is in the log, once.
            if outages.outage_of(error) == outages.QUEUE:
                outages.began(outages.QUEUE, outages.describe(error))
            else:
                log.warning("message send limit unavailable; allowing the send", exc_info=True)
            return
        outages.ended(outages.QUEUE)
        if not allowed:
            raise Throttled(
                N_("You are sending too many messages. Wait a moment."),
                retry_after=_seconds_until_reset(self._counters, self._item, *key),
            )
