"""Members changing one case's stage or seats at the same moment: one change, told once."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from network.cases import team
from network.cases.models import CaseReference, SeatChange, StageChange
from network.core import clock
from network.extensions import db
from network.schemas.vocabularies import NotificationKind
from tests.concurrency.race import (
    ENGINES,
    assert_chain_holds,
    assert_told_once,
    audited,
    clients,
    one_winner,
    race,
)
from tests.conftest import Cast, make_user
from tests.stories import open_story

pytestmark = pytest.mark.parametrize("database_url", ENGINES, indirect=True)

N = 8


def _seat_moves(case_id: int, user_id: int) -> list[str]:
    db.session.rollback()
    return list(
        db.session.scalars(
            select(SeatChange.move)
            .where(SeatChange.case_id == case_id, SeatChange.user_id == user_id)
            .order_by(SeatChange.id)
        )
    )


def test_eight_moves_to_one_stage_at_once_make_one_step(app: Flask, cast: Cast):
    case_id = open_story(cast).case.id
    members = clients(cast.amina, N)

    answers = race(
        N,
        lambda i: members[i].patch(
            f"/cases/{case_id}", json={"stage": "formal_request", "reason": f"Step {i}"}
        ),
    )

    _winner, losers = one_winner(answers, 200)
    for loser in losers:
        assert loser.json["errors"]["current"] == ["formal_request"]
        assert "formal_request" not in loser.json["errors"]["allowed"]
    db.session.rollback()
    steps = db.session.scalars(
        select(StageChange.to_stage).where(StageChange.case_id == case_id).order_by(StageChange.id)
    )
    assert list(steps) == ["informal_consultation", "formal_request"]
    assert audited("case.stage_changed", case_id) == 1
    assert_chain_holds()


def test_a_colleague_seated_by_eight_members_at_once_joins_once(app: Flask, cast: Cast):
    case_id = open_story(cast).case.id
    kofi_id = make_user("kofi@civ.example", "Kofi Yeboah", "practitioner", "CIV").id
    db.session.commit()
    members = clients(cast.amina, N)

    answers = race(N, lambda i: members[i].post(f"/cases/{case_id}/team", json={"user": kofi_id}))

    _winner, losers = one_winner(answers, 201)
    for loser in losers:
        assert loser.json["errors"] == {"current": ["joined"], "allowed": ["left"]}
    assert _seat_moves(case_id, kofi_id) == ["joined"]
    assert audited("case.team_member_added", case_id) == 1
    assert assert_told_once(NotificationKind.CHANNEL_MEMBER_JOINED.value) > 0
    assert_chain_holds()


def test_a_colleague_taken_off_by_eight_members_at_once_leaves_once(app: Flask, cast: Cast):
    case_id = open_story(cast).case.id
    team.add_team_member(cast.amina, case_id, cast.yao.id, clock.now())
    db.session.commit()
    yao_id = cast.yao.id
    members = clients(cast.amina, N)

    answers = race(N, lambda i: members[i].delete(f"/cases/{case_id}/team/{yao_id}"))

    _winner, losers = one_winner(answers, 204)
    for loser in losers:
        assert loser.json["errors"] == {"current": ["left"], "allowed": ["joined"]}
    assert _seat_moves(case_id, yao_id) == ["joined", "left"]
    assert audited("case.team_member_removed", case_id) == 1
    assert assert_told_once(NotificationKind.CHANNEL_MEMBER_LEFT.value) > 0
    assert_chain_holds()


def test_an_observer_invited_by_eight_members_at_once_is_seated_once(app: Flask, cast: Cast):
    story = open_story(cast)
    case_id, channel_id, observer_id = story.case.id, story.che.id, cast.observer.id
    members = clients(cast.lea, N)

    answers = race(
        N,
        lambda i: members[i].post(f"/channels/{channel_id}/observers", json={"user": observer_id}),
    )

    _winner, losers = one_winner(answers, 201)
    for loser in losers:
        assert loser.json["errors"] == {"current": ["joined"], "allowed": ["left"]}
    assert _seat_moves(case_id, observer_id) == ["joined"]
    assert audited("channel.observer_invited", channel_id) == 1
    assert assert_told_once(NotificationKind.CHANNEL_MEMBER_JOINED.value) > 0
    assert_chain_holds()


def test_a_side_setting_its_reference_eight_times_at_once_keeps_one(app: Flask, cast: Cast):
    """Not a conflict, so every call lands, one after the other, on one row (never a 500)."""
    case_id = open_story(cast).case.id
    members = clients(cast.lea, N)
    sent = [f"CHE-MPC-{i}" for i in range(N)]

    answers = race(N, lambda i: members[i].patch(f"/cases/{case_id}", json={"reference": sent[i]}))

    assert [answer.status_code for answer in answers] == [200] * N
    db.session.rollback()
    (kept,) = db.session.scalars(
        select(CaseReference.reference).where(
            CaseReference.case_id == case_id, CaseReference.state_code == "CHE"
        )
    )
    assert kept in sent
    assert audited("case.reference_set", case_id) == N
    assert_chain_holds()
