"""Race several API calls against each other, each through its own client, all at once.

The barrier releases every thread together so that the calls overlap inside the
service (read, decide, write) rather than queue one behind the other. Nothing is
timed: a test asserts only on what the answers and the database say afterwards.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from flask import current_app
from sqlalchemy import func, select

from network.audit import service as audit
from network.audit.models import AuditRecord
from network.auth.models import User
from network.extensions import db
from network.notifications.models import Notification
from tests.conftest import ApiClient, token_for

T = TypeVar("T")

# Both engines, for ``pytest.mark.parametrize("database_url", ENGINES, indirect=True)``.
ENGINES = ["sqlite", "postgresql"]
# How long a thread may wait for the others at the barrier, or the race for its threads; a
# generous bound that only a deadlock reaches, so a hang fails the test instead of the run.
PATIENCE = 120.0


def race(n: int, call: Callable[[int], T]) -> list[T]:
    """Run ``call(i)`` for i in 0..n-1, one thread each, released together; results in order.

    Each call must use its own client (see ``clients``) and plain values: read ids before
    the race, since a model's attributes load through the test's session, which belongs
    to the test's thread. An exception in any thread is raised again here, so a crash is
    never mistaken for a lost race.
    """
    barrier = threading.Barrier(n, timeout=PATIENCE)
    results: list[Any] = [None] * n
    failures: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = call(index)
        except BaseException as error:  # re-raised below, in the test's own thread
            failures.append(error)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(PATIENCE)
    if any(thread.is_alive() for thread in threads):
        raise AssertionError(f"the race did not finish within {PATIENCE} seconds")
    if failures:
        raise failures[0]
    return results


def clients(user: User, n: int) -> list[ApiClient]:
    """n API clients acting for ``user``, each with a token and a test client of its own."""
    return [ApiClient(current_app.test_client(), token_for(user)) for _ in range(n)]


def one_winner(answers: Sequence[Any], won: int = 200) -> tuple[Any, list[Any]]:
    """The one answer with status ``won`` and the others, each of which must be a 409."""
    statuses = sorted(answer.status_code for answer in answers)
    winners = [answer for answer in answers if answer.status_code == won]
    losers = [answer for answer in answers if answer.status_code != won]
    assert len(winners) == 1, f"expected one {won} and the rest 409, got {statuses}"
    assert all(answer.status_code == 409 for answer in losers), statuses
    return winners[0], losers


def audited(action: str, target_id: int | str) -> int:
    """How many audit records of ``action`` name this target (read afresh, after the race)."""
    db.session.rollback()
    return db.session.scalar(
        select(func.count(AuditRecord.id)).where(
            AuditRecord.action == action, AuditRecord.target_id == str(target_id)
        )
    )


def assert_chain_holds() -> None:
    """The audit chain verifies from end to end and leaves out no record."""
    db.session.rollback()
    count, broken = audit.verify_chain()
    assert broken is None, broken
    assert count == db.session.scalar(select(func.count(AuditRecord.id)))


def assert_told_once(kind: str) -> int:
    """Nobody holds two notices of ``kind`` about one target; returns how many there are."""
    db.session.rollback()
    told = db.session.execute(
        select(Notification.user_id, Notification.target_id, func.count(Notification.id))
        .where(Notification.kind == kind)
        .group_by(Notification.user_id, Notification.target_id)
    ).all()
    assert all(count == 1 for _user, _target, count in told), told
    return len(told)
