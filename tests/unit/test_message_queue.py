"""The numbered message queue: a skipped number, or a loss its publisher tells, drops sockets."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from socketio import RedisManager

from network.core import outages
from network.realtime.queue import BEAT, LOST, NUMBER, NumberedRedisManager


class FakeServer:
    """Keeps the background tasks asked of it, to count them rather than run them."""

    def __init__(self) -> None:
        self.tasks: list[Callable[[], None]] = []

    def start_background_task(self, target: Callable[[], None]) -> None:
        self.tasks.append(target)

    @property
    def drops(self) -> int:
        return sum(getattr(task, "__name__", "") == "drop_local_sockets" for task in self.tasks)


@pytest.fixture
def queue() -> NumberedRedisManager:
    manager = NumberedRedisManager("redis://127.0.0.1:1/0", "arnet-test")
    manager.server = FakeServer()
    return manager


@pytest.fixture
def heard(queue: NumberedRedisManager, monkeypatch: pytest.MonkeyPatch) -> Any:
    """``heard(*messages)``: what python-socketio's listener gets when Redis delivers them."""

    def deliver(*messages: dict[str, Any]) -> list[Any]:
        raw = [json.dumps(m).encode() for m in messages]

        def listen(self: RedisManager) -> Iterator[bytes]:
            yield from raw

        monkeypatch.setattr(RedisManager, "_listen", listen)
        return list(queue._listen())

    return deliver


def emit(host: str, number: int, lost: int = 0) -> dict[str, Any]:
    return {"method": "emit", "host_id": host, NUMBER: number, LOST: lost}


def test_consecutive_numbers_drop_nothing_and_beats_stay_inside(queue, heard):
    beat = {"method": BEAT, "host_id": "a", NUMBER: 2}
    passed = heard(emit("a", 1), beat, emit("a", 3))

    assert [m[NUMBER] for m in passed] == [1, 3]
    assert queue.server.drops == 0


def test_a_skipped_number_drops_this_process_s_sockets(queue, heard):
    heard(emit("a", 1), emit("b", 7), emit("a", 3))

    assert queue.server.drops == 1


def test_a_publisher_first_heard_from_is_trusted_unless_it_says_it_lost_one(queue, heard):
    heard(emit("a", 40))
    assert queue.server.drops == 0

    heard(emit("b", 9, lost=4))
    assert queue.server.drops == 1


def test_an_emitter_that_does_not_number_is_passed_on_untouched(queue, heard):
    passed = heard({"method": "emit", "host_id": "x"}, {"method": "emit"})

    assert len(passed) == 2
    assert queue.server.drops == 0


def test_a_failed_publication_is_told_by_the_next_one(queue, monkeypatch):
    answers = iter([None, 1])
    sent: list[dict[str, Any]] = []

    def publish(self: RedisManager, data: dict[str, Any]) -> int | None:
        sent.append(data)
        return next(answers)

    monkeypatch.setattr(RedisManager, "_publish", publish)
    assert queue._publish({"method": "emit"}) is None
    assert outages.active(outages.QUEUE)  # a queue outage episode: logged and counted once
    assert queue._publish({"method": "emit"}) == 1
    assert not outages.active(outages.QUEUE)

    assert [(m[NUMBER], m[LOST]) for m in sent] == [(1, 0), (2, 1)]
    # The first publication started the beat, once, though no socket has connected.
    assert [task.__name__ for task in queue.server.tasks] == ["_beat"]
