"""Recognition of a foreign order over REST: the requested side records its courts' steps."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from docx import Document
from sqlalchemy import select

from network.audit.models import AuditRecord
from network.core import clock
from network.extensions import db
from network.recovery.models import RecognitionStepRecord
from tests.conftest import Cast
from tests.stories import open_story, sent_request

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)

NEW_REQUEST = {
    "kind": "recognition",
    "requested_state": "CHE",
    "legal_basis": "uncac",
    "transmission_channel": "central_authority",
}


def _recognition(cast: Cast) -> int:
    """A request for recognition of a conviction-based order, sent to and received by CHE."""
    story = open_story(cast)
    return sent_request(cast, story, clock.now(), kind="recognition", conviction_based=True).id


def _days(n: int) -> str:
    return (clock.now().date() + timedelta(days=n)).isoformat()


@pytest.mark.parametrize("conviction_based", [True, False])
def test_a_request_for_recognition_says_whether_the_order_rests_on_a_conviction(
    cast: Cast, api_as, conviction_based: bool
) -> None:
    story = open_story(cast)
    created = api_as(cast.amina).post(
        f"/cases/{story.case.id}/requests",
        json={**NEW_REQUEST, "conviction_based": conviction_based},
    )
    assert created.status_code == 201, created.json
    assert created.json["kind"] == "recognition"
    assert created.json["conviction_based"] is conviction_based


def test_a_request_for_recognition_without_conviction_based_is_refused(cast: Cast, api_as) -> None:
    story = open_story(cast)
    amina = api_as(cast.amina)
    missing = amina.post(f"/cases/{story.case.id}/requests", json=NEW_REQUEST)
    assert missing.status_code == 422
    assert "conviction_based" in missing.json["errors"]
    other_kind = amina.post(
        f"/cases/{story.case.id}/requests",
        json={**NEW_REQUEST, "kind": "mla", "conviction_based": True},
    )
    assert other_kind.status_code == 422
    assert "conviction_based" in other_kind.json["errors"]


def test_the_requested_side_records_each_step_to_final_and_both_sides_read_them(
    cast: Cast, api_as
) -> None:
    request = _recognition(cast)
    lea, amina = api_as(cast.lea), api_as(cast.amina)
    steps = [
        {"step": "received", "on": _days(0)},
        {"step": "filed", "on": _days(0), "note": "Filed with the Geneva court."},
        {"step": "third_parties_notified", "on": _days(0)},
        {"step": "hearing_scheduled", "on": _days(0), "hearing_on": _days(20)},
        {"step": "recognised", "on": _days(0), "appeal_until": _days(30)},
        {"step": "final", "on": _days(1)},
    ]
    for body in steps:
        answer = lea.post(f"/requests/{request}/recognition", json=body)
        assert answer.status_code == 201, answer.json
        assert answer.json["current"] == body["step"]

    seen = amina.get(f"/requests/{request}/recognition")
    assert seen.status_code == 200
    assert seen.json["conviction_based"] is True
    assert [each["step"] for each in seen.json["steps"]] == [each["step"] for each in steps]
    assert seen.json["steps"][1]["note"] == "Filed with the Geneva court."
    assert seen.json["steps"][3]["hearing_on"] == _days(20)
    assert seen.json["steps"][4]["appeal_until"] == _days(30)
    assert seen.json["allowed"] == []
    assert lea.get(f"/requests/{request}/recognition").json["allowed"] == []
    stored = db.session.scalars(select(RecognitionStepRecord.note_sealed)).all()
    assert all(b"Geneva" not in each for each in stored)
    audited = db.session.scalars(
        select(AuditRecord.action).where(AuditRecord.action == "recognition.step")
    ).all()
    assert len(audited) == len(steps)


def test_a_refusal_needs_its_grounds_and_may_be_appealed(cast: Cast, api_as) -> None:
    request = _recognition(cast)
    lea = api_as(cast.lea)
    for step in ("received", "filed", "third_parties_notified"):
        assert (
            lea.post(
                f"/requests/{request}/recognition", json={"step": step, "on": _days(0)}
            ).status_code
            == 201
        )
    lea.post(
        f"/requests/{request}/recognition",
        json={"step": "hearing_scheduled", "on": _days(0), "hearing_on": _days(3)},
    )
    bare = lea.post(f"/requests/{request}/recognition", json={"step": "refused", "on": _days(0)})
    assert bare.status_code == 422
    assert "grounds" in bare.json["errors"]
    refused = lea.post(
        f"/requests/{request}/recognition",
        json={"step": "refused", "on": _days(0), "grounds": "The order is not final."},
    )
    assert refused.status_code == 201, refused.json
    assert refused.json["steps"][-1]["grounds"] == "The order is not final."
    assert refused.json["allowed"] == ["appeal_lodged", "final"]
    appeal = lea.post(
        f"/requests/{request}/recognition", json={"step": "appeal_lodged", "on": _days(0)}
    )
    assert appeal.status_code == 201


def test_a_step_out_of_order_answers_409_with_the_allowed_steps(cast: Cast, api_as) -> None:
    request = _recognition(cast)
    lea = api_as(cast.lea)
    early = lea.post(f"/requests/{request}/recognition", json={"step": "final", "on": _days(0)})
    assert early.status_code == 409
    assert early.json["errors"]["current"] == []
    assert early.json["errors"]["allowed"] == ["received"]
    lea.post(f"/requests/{request}/recognition", json={"step": "received", "on": _days(0)})
    again = lea.post(f"/requests/{request}/recognition", json={"step": "received", "on": _days(0)})
    assert again.status_code == 409
    assert again.json["errors"] == {
        "step": ["This step is not allowed now."],
        "current": ["received"],
        "allowed": ["filed"],
    }


def test_only_the_requested_side_records_and_outsiders_see_nothing(cast: Cast, api_as) -> None:
    request = _recognition(cast)
    body = {"step": "received", "on": _days(0)}
    assert api_as(cast.amina).post(f"/requests/{request}/recognition", json=body).status_code == 403
    for outsider in (cast.camille, cast.chen):
        client = api_as(outsider)
        assert client.post(f"/requests/{request}/recognition", json=body).status_code == 404
        assert client.get(f"/requests/{request}/recognition").status_code == 404
    assert db.session.scalar(select(RecognitionStepRecord.id)) is None


def test_hearings_and_appeal_deadlines_are_deadlines_of_both_sides(cast: Cast, api_as) -> None:
    request = _recognition(cast)
    lea, amina = api_as(cast.lea), api_as(cast.amina)
    for step in ("received", "filed", "third_parties_notified"):
        lea.post(f"/requests/{request}/recognition", json={"step": step, "on": _days(0)})
    lea.post(
        f"/requests/{request}/recognition",
        json={"step": "hearing_scheduled", "on": _days(0), "hearing_on": _days(10)},
    )
    for client in (lea, amina):
        court = [
            each
            for each in client.get("/deadlines?within_days=30").json["items"]
            if each["kind"] == "court_date"
        ]
        assert [(each["detail"], each["due_on"]) for each in court] == [("hearing", _days(10))]
    lea.post(
        f"/requests/{request}/recognition",
        json={"step": "recognised", "on": _days(0), "appeal_until": _days(14)},
    )
    for client in (lea, amina):
        court = [
            each
            for each in client.get("/deadlines?within_days=30").json["items"]
            if each["kind"] == "court_date"
        ]
        assert [(each["detail"], each["due_on"]) for each in court] == [("appeal", _days(14))]
    assert not [
        each
        for each in api_as(cast.camille).get("/deadlines?within_days=30").json["items"]
        if each["kind"] == "court_date"
    ]


def test_a_request_of_another_kind_has_no_recognition(cast: Cast, api_as) -> None:
    story = open_story(cast)
    request = sent_request(cast, story, clock.now()).id
    answer = api_as(cast.lea).get(f"/requests/{request}/recognition")
    assert answer.status_code == 409
    assert answer.json["reason"] == "not_a_recognition"


def test_the_draft_of_a_request_for_recognition_is_titled_as_one(cast: Cast, api_as) -> None:
    draft = api_as(cast.amina).get(f"/requests/{_recognition(cast)}/draft.docx")
    assert draft.status_code == 200
    title = Document(io.BytesIO(draft.data)).paragraphs[0].text
    assert title == "Request for recognition and enforcement of a foreign order"
