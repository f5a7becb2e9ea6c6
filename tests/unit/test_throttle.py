"""The in-memory throttle counters: fixed windows that refill, with no thread per call."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import time_machine
from limits import parse

from network.auth.throttle import MemoryCounters, SendThrottle
from network.core import clock
from network.core.errors import Throttled


def test_a_window_allows_its_amount_then_refills_once_over():
    counters, item = MemoryCounters(), parse("3/minute")
    with time_machine.travel(clock.now(), tick=False) as traveller:
        assert [counters.hit(item, "send", "7") for _ in range(4)] == [True, True, True, False]
        assert not counters.test(item, "send", "7")
        assert counters.test(item, "send", "8")  # another key has its own window
        traveller.shift(timedelta(seconds=61))
        assert counters.hit(item, "send", "7")
        assert counters.get_window_stats(item, "send", "7").remaining == 2


def test_counting_starts_no_thread():
    counters, item = MemoryCounters(), parse("1000/minute")
    before = set(threading.enumerate())

    for number in range(200):
        counters.hit(item, "send", str(number % 7))

    assert set(threading.enumerate()) <= before


def test_a_refused_send_says_how_long_to_wait():
    throttle = SendThrottle(MemoryCounters(), "2/minute")
    with time_machine.travel(clock.now(), tick=False) as traveller:
        throttle.spend(1)
        traveller.shift(timedelta(seconds=20))
        throttle.spend(1)
        with pytest.raises(Throttled) as refused:
            throttle.spend(1)
    assert refused.value.retry_after == 40
