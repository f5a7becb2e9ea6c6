"""Two court steps recorded on one foreign order at the same moment: one is kept."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from network.core import clock
from network.extensions import db
from network.recovery.models import RecognitionStepRecord
from tests.concurrency.race import ENGINES, assert_chain_holds, audited, clients, one_winner, race
from tests.conftest import Cast
from tests.stories import open_story, sent_request

pytestmark = pytest.mark.parametrize("database_url", ENGINES, indirect=True)

N = 2


def test_the_same_step_recorded_twice_at_once_is_kept_once(app: Flask, cast: Cast) -> None:
    request_id = sent_request(
        cast, open_story(cast), clock.now(), kind="recognition", conviction_based=True
    ).id
    on = clock.now().date().isoformat()
    members = clients(cast.lea, N)

    answers = race(
        N,
        lambda i: members[i].post(
            f"/requests/{request_id}/recognition", json={"step": "received", "on": on}
        ),
    )

    _winner, losers = one_winner(answers, 201)
    for loser in losers:
        assert loser.json["errors"]["current"] == ["received"]
        assert loser.json["errors"]["allowed"] == ["filed"]
    db.session.rollback()
    steps = db.session.scalars(
        select(RecognitionStepRecord.step).where(RecognitionStepRecord.request_id == request_id)
    )
    assert list(steps) == ["received"]
    assert audited("recognition.step", request_id) == 1
    assert_chain_holds()
