"""Officers of the asked side answering one ask at the same moment: one answer stands, once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask

from network.asks import service
from network.core import clock
from network.extensions import db
from tests.concurrency.race import (
    ENGINES,
    assert_chain_holds,
    audited,
    clients,
    one_winner,
    race,
)
from tests.conftest import Cast
from tests.stories import open_story

pytestmark = pytest.mark.parametrize("database_url", ENGINES, indirect=True)

N = 4


def test_two_answers_given_at_once_leave_one_and_the_other_is_told_what_stands(
    app: Flask, cast: Cast
) -> None:
    story = open_story(cast)
    ask_id = service.create_ask(
        cast.amina,
        story.case.id,
        kind="call",
        channel=story.che.id,
        due_on=clock.now().date() + timedelta(days=3),
        text="A call on Thursday?",
        now=clock.now(),
    ).id
    db.session.commit()
    officers = clients(cast.lea, N)
    outcomes = ["granted" if i % 2 else "answered" for i in range(N)]

    answers = race(
        N, lambda i: officers[i].post(f"/asks/{ask_id}/answer", json={"outcome": outcomes[i]})
    )

    winner, losers = one_winner(answers, 200)
    decided = winner.json["outcome"]
    for loser in losers:
        assert loser.json["errors"] == {"current": [decided], "allowed": []}
    assert audited("ask.answered", ask_id) == 1
    assert_chain_holds()
