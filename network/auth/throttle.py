"""Counting failed sign-ins per account and per client address, in Flask-Limiter's storage."""

from __future__ import annotations

import math

from limits import RateLimitItemPerMinute
from limits.strategies import RateLimiter

from network.core import clock
from network.core.errors import Throttled
from network.core.i18n import N_


class SignInThrottle:
    """Refuses further attempts once either counter is spent, with the same words for all."""

    def __init__(
        self, limiter: RateLimiter, per_account: int, per_address: int, window_minutes: int
    ) -> None:
        self._limiter = limiter
        self._account = RateLimitItemPerMinute(per_account, window_minutes)
        self._address = RateLimitItemPerMinute(per_address, window_minutes)

    def _wait_seconds(self, item: RateLimitItemPerMinute, *key: str) -> int:
        reset_at, _remaining = self._limiter.get_window_stats(item, *key)
        return max(1, math.ceil(reset_at - clock.now().timestamp()))

    def check(self, account: str, address: str) -> None:
        for item, key in (
            (self._account, ("account", account)),
            (self._address, ("address", address)),
        ):
            if not self._limiter.test(item, "signin", *key):
                wait = self._wait_seconds(item, "signin", *key)
                raise Throttled(
                    N_("Too many failed attempts. Try again in %(minutes)s minutes."),
                    retry_after=wait,
                    minutes=max(1, math.ceil(wait / 60)),
                )

    def failed(self, account: str, address: str) -> None:
        self._limiter.hit(self._account, "signin", "account", account)
        self._limiter.hit(self._address, "signin", "address", address)
