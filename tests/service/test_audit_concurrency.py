"""Two requests writing audit records at once: the second links to the first, on every engine."""

from __future__ import annotations

import threading

import pytest
from flask import Flask

from network.audit import service as audit
from network.extensions import db

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


def test_a_writer_waits_for_the_tail_another_writer_has_not_committed_yet(app: Flask):
    """Writer A appends and holds its transaction open; writer B, started meanwhile, must
    link to A's record once A commits, not read the old tail and collide with A's number."""
    with app.app_context():
        audit.record(None, "test.before")
        db.session.commit()

    a_appended, b_started = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def writer_a() -> None:
        with app.app_context():
            outcome["a"] = audit.record(None, "test.a").id
            a_appended.set()
            b_started.wait(5)
            threading.Event().wait(0.5)  # B is now reading the tail, or waiting to
            db.session.commit()

    def writer_b() -> None:
        with app.app_context():
            a_appended.wait(5)
            b_started.set()
            try:
                outcome["b"] = audit.record(None, "test.b").id
                db.session.commit()
            except Exception as error:  # the failure this test exists to catch
                outcome["b"] = error
                db.session.rollback()

    threads = [threading.Thread(target=writer_a), threading.Thread(target=writer_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)

    assert outcome["a"] == 2
    assert outcome["b"] == 3, outcome["b"]
    with app.app_context():
        count, broken = audit.verify_chain()
    assert (count, broken) == (3, None)
