"""Officers acting on one request at the same moment: one step is taken, once, and told once."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from network.assistance import enquiries, requests
from network.assistance.models import AssistanceRequest, RequestTransition, StatusEnquiry
from network.audit.models import AuditRecord
from network.core import clock
from network.extensions import db
from network.messages.models import Message
from tests.concurrency.race import (
    ENGINES,
    assert_chain_holds,
    audited,
    clients,
    one_winner,
    race,
)
from tests.conftest import Cast
from tests.stories import CONTENTS, Story, open_story, sent_request

pytestmark = pytest.mark.parametrize("database_url", ENGINES, indirect=True)

N = 8


def _draft(cast: Cast, story: Story | None = None) -> AssistanceRequest:
    story = story or open_story(cast)
    request = requests.create_request(
        cast.amina,
        story.case.id,
        kind="mla",
        requested_state="CHE",
        legal_basis="uncac",
        transmission_channel="central_authority",
        contents=CONTENTS,
        now=clock.now(),
    )
    db.session.commit()
    return request


def _steps(request_id: int) -> list[str]:
    """The request's history after its first step (the draft), in order."""
    db.session.rollback()
    return list(
        db.session.scalars(
            select(RequestTransition.to_status)
            .where(RequestTransition.request_id == request_id)
            .order_by(RequestTransition.id)
        )
    )[1:]


def _audit_ids(action: str, request_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(AuditRecord.id).where(
                AuditRecord.action == action, AuditRecord.target_id == str(request_id)
            )
        )
    )


def test_eight_officers_sending_one_draft_send_it_once(app: Flask, cast: Cast):
    request_id = _draft(cast).id
    officers = clients(cast.amina, N)

    answers = race(
        N, lambda i: officers[i].post(f"/requests/{request_id}/transitions", json={"to": "sent"})
    )

    winner, losers = one_winner(answers, 201)
    assert winner.json["status"] == "sent"
    for loser in losers:
        assert loser.json["errors"]["current"] == ["sent"]
        assert loser.json["errors"]["allowed"] == ["withdrawn"]
    assert _steps(request_id) == ["sent"]
    assert audited("request.transition", request_id) == 1
    assert_chain_holds()


def test_a_refusal_and_an_execution_recorded_at_once_leave_one_decision(app: Flask, cast: Cast):
    request_id = sent_request(cast, open_story(cast), clock.now()).id
    officers = clients(cast.lea, N)
    decisions = [
        {"to": "refused", "grounds": "46_21_b"} if i % 2 else {"to": "executed"} for i in range(N)
    ]

    answers = race(
        N, lambda i: officers[i].post(f"/requests/{request_id}/transitions", json=decisions[i])
    )

    winner, losers = one_winner(answers, 201)
    decided = winner.json["status"]
    assert decided in {"refused", "executed"}
    for loser in losers:
        assert loser.json["errors"]["current"] == [decided]
        assert loser.json["errors"]["allowed"] == ["closed"]
    assert _steps(request_id) == ["sent", "received", decided]
    assert audited("request.transition", request_id) == 3
    assert_chain_holds()


def test_a_draft_shared_by_eight_officers_at_once_is_posted_once(app: Flask, cast: Cast):
    story = open_story(cast)
    request_id, channel_id = _draft(cast, story).id, story.che.id
    officers = clients(cast.amina, N)

    answers = race(N, lambda i: officers[i].post(f"/requests/{request_id}/share-for-comment"))

    _winner, losers = one_winner(answers, 200)
    for loser in losers:
        assert loser.json["errors"]["current"] == ["shared_for_comment"]
        assert loser.json["errors"]["allowed"] == ["draft", "sent", "withdrawn"]
    assert _steps(request_id) == ["shared_for_comment"]
    assert audited("request.shared_for_comment", request_id) == 1
    posted = db.session.scalar(
        select(func.count(Message.id)).where(Message.channel_id == channel_id)
    )
    assert posted == 1
    assert_chain_holds()


def test_an_edit_racing_the_sending_lands_before_it_or_not_at_all(app: Flask, cast: Cast):
    request_id = _draft(cast).id
    officers = clients(cast.amina, N)

    def act(i: int) -> object:
        if i % 2:
            return officers[i].patch(f"/requests/{request_id}", json={"reference": f"R-{i}"})
        return officers[i].post(f"/requests/{request_id}/transitions", json={"to": "sent"})

    answers = race(N, act)

    sends, edits = answers[::2], answers[1::2]
    one_winner(sends, 201)
    assert {edit.status_code for edit in edits} <= {200, 409}
    kept = [edit for edit in edits if edit.status_code == 200]
    for edit in edits:
        if edit.status_code == 409:
            assert edit.json["errors"]["current"] == ["sent"]
    assert audited("request.updated", request_id) == len(kept)
    assert _steps(request_id) == ["sent"]
    edited = _audit_ids("request.updated", request_id)
    (sent,) = _audit_ids("request.transition", request_id)
    assert all(each < sent for each in edited), "an edit was recorded after the sending"
    assert_chain_holds()


def test_an_enquiry_answered_by_eight_officers_at_once_keeps_one_answer(app: Flask, cast: Cast):
    request_id = sent_request(cast, open_story(cast), clock.now()).id
    enquiry_id = enquiries.ask_status(cast.amina, request_id, "Any news?", clock.now()).id
    db.session.commit()
    officers = clients(cast.lea, N)

    answers = race(
        N,
        lambda i: officers[i].post(
            f"/requests/{request_id}/enquiries/{enquiry_id}/answer", json={"answer": f"Answer {i}"}
        ),
    )

    winner, losers = one_winner(answers, 200)
    for loser in losers:
        assert loser.json["errors"] == {"current": ["answered"], "allowed": []}
    (given,) = [each["answer"] for each in winner.json["enquiries"] if each["id"] == enquiry_id]
    db.session.rollback()
    stored = db.session.get(StatusEnquiry, enquiry_id)
    assert stored is not None
    assert stored.answer == given
    assert audited("request.enquiry_answered", request_id) == 1
    assert_chain_holds()


def test_an_enquiry_racing_the_closing_is_asked_before_it_or_not_at_all(app: Flask, cast: Cast):
    request_id = sent_request(cast, open_story(cast), clock.now()).id
    requests.transition(cast.lea, request_id, to="executed", now=clock.now())
    db.session.commit()
    officers = clients(cast.amina, N)

    def act(i: int) -> object:
        if i % 2:
            return officers[i].post(
                f"/requests/{request_id}/enquiries", json={"question": f"Question {i}"}
            )
        return officers[i].post(f"/requests/{request_id}/transitions", json={"to": "closed"})

    answers = race(N, act)

    closings, asks = answers[::2], answers[1::2]
    one_winner(closings, 201)
    assert {ask.status_code for ask in asks} <= {201, 409}
    for ask in asks:
        if ask.status_code == 409:
            assert ask.json["errors"] == {"current": ["closed"], "allowed": []}
    asked = _audit_ids("request.enquiry_asked", request_id)
    assert len(asked) == sum(ask.status_code == 201 for ask in asks)
    closed = max(_audit_ids("request.transition", request_id))
    assert all(each < closed for each in asked), "an enquiry was asked after the closing"
    assert_chain_holds()
