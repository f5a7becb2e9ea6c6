"""Specifications for formal requests: the state machine, its sides, history and 46(15) checks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from network.assistance import contents, enquiries, read_models, requests
from network.assistance.models import AssistanceRequest, RequestTransition
from network.audit.models import AuditRecord
from network.core import clock
from network.core.errors import (
    Conflict,
    InvalidInput,
    InvalidTransition,
    NotFound,
    PermissionDenied,
)
from network.directory.profiles import revise_profile
from network.extensions import db
from network.messages import reading
from tests.conftest import Cast
from tests.stories import CONTENTS_FOR, Story, open_story

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)

CONTENTS = {
    "requesting_authority": "Pôle pénal économique et financier, Abidjan",
    "subject_and_nature": "Embezzlement of public funds by port officials",
    "summary_of_facts": "Funds diverted in 2021-2022 to accounts in Geneva.",
    "assistance_sought": "Bank records of account CH93 0076 2011 6238 5295 7",
    "persons_concerned": "K. Traoré, Ivorian national",
    "purpose": "Evidence for the trial in Abidjan",
}


def _draft(cast: Cast, story: Story, **overrides) -> AssistanceRequest:
    values = {
        "kind": "mla",
        "requested_state": "CHE",
        "legal_basis": "uncac",
        "legal_basis_text": "UNCAC art. 46",
        "transmission_channel": "central_authority",
        "contents": CONTENTS,
        **overrides,
    }
    request = requests.create_request(cast.amina, story.case.id, now=clock.now(), **values)
    db.session.commit()
    return request


def _move(user, request, to, **kwargs) -> None:
    requests.transition(user, request.id, to=to, now=clock.now(), **kwargs)
    db.session.commit()


def test_a_request_walks_from_draft_to_closed_with_each_step_recorded(cast: Cast) -> None:
    story = open_story(cast)
    request = _draft(cast, story)
    _move(cast.amina, request, "sent")
    _move(cast.lea, request, "received")
    _move(cast.lea, request, "more_information_requested", reason="Which accounts exactly?")
    _move(cast.amina, request, "information_provided", reason="Two accounts listed")
    _move(cast.lea, request, "in_execution")
    _move(cast.lea, request, "executed")
    _move(cast.amina, request, "closed")

    view = read_models.request_view(cast.amina, request.id, clock.now())
    assert [step.to_status for step in view.history] == [
        "draft", "sent", "received", "more_information_requested", "information_provided",
        "in_execution", "executed", "closed",
    ]
    assert view.history[3].reason == "Which accounts exactly?"
    assert view.history[3].actor_state == "CHE"
    assert view.status == "closed"
    assert view.allowed_steps == []
    assert view.response_time is not None
    assert view.response_time >= 0
    assert set(view.time_in_status) >= {"draft", "sent", "received", "executed"}
    transitions = db.session.scalars(
        select(AuditRecord).where(AuditRecord.action == "request.transition")
    ).all()
    assert len(transitions) == 7


def test_an_illegal_step_is_refused_with_the_allowed_next_steps(cast: Cast) -> None:
    story = open_story(cast)
    request = _draft(cast, story)
    with pytest.raises(InvalidTransition) as refused:
        requests.transition(cast.amina, request.id, to="executed", now=clock.now())
    assert refused.value.status == 409
    assert refused.value.errors["allowed"] == ["shared_for_comment", "sent", "withdrawn"]
    db.session.rollback()
    assert db.session.get(AssistanceRequest, request.id).status == "draft"
    count = db.session.scalar(select(func.count(RequestTransition.id)))
    assert count == 1


def test_each_side_moves_only_its_own_steps(cast: Cast) -> None:
    story = open_story(cast)
    request = _draft(cast, story)
    with pytest.raises(InvalidTransition) as refused:
        requests.transition(cast.lea, request.id, to="sent", now=clock.now())
    assert refused.value.errors["allowed"] == []
    db.session.rollback()
    _move(cast.amina, request, "sent")
    with pytest.raises(InvalidTransition) as refused:
        requests.transition(cast.amina, request.id, to="received", now=clock.now())
    assert refused.value.errors["allowed"] == ["withdrawn"]


def test_refusal_needs_grounds_and_postponement_a_reason_and_a_date(cast: Cast) -> None:
    story = open_story(cast)
    request = _draft(cast, story)
    _move(cast.amina, request, "sent")
    _move(cast.lea, request, "received")
    with pytest.raises(InvalidInput) as refused:
        requests.transition(cast.lea, request.id, to="refused", now=clock.now())
    assert "grounds" in refused.value.errors
    db.session.rollback()
    with pytest.raises(InvalidInput) as refused:
        requests.transition(cast.lea, request.id, to="postponed", reason="Trial pending",
                            now=clock.now())
    assert "until" in refused.value.errors
    db.session.rollback()
    until = clock.now().date() + timedelta(days=60)
    _move(cast.lea, request, "postponed", reason="Domestic trial pending", until=until)
    _move(cast.lea, request, "refused", grounds="46_21_b", reason="Essential interests")
    view = read_models.request_view(cast.amina, request.id, clock.now())
    assert view.history[-2].postponed_until == until
    assert view.history[-1].grounds == "46_21_b"


def test_a_draft_shared_for_comment_appears_in_the_requested_states_channel(cast: Cast) -> None:
    story = open_story(cast)
    request = _draft(cast, story, contents={**CONTENTS, "purpose": ""})
    requests.share_draft_for_comment(cast.amina, request.id, clock.now())
    db.session.commit()

    assert db.session.get(AssistanceRequest, request.id).status == "shared_for_comment"
    seen = reading.messages_after(cast.lea, story.che.id, 0, 50)
    assert len(seen) == 1
    assert "shared for comment" in seen[0].body
    assert "46(15)(f)" in seen[0].body  # the purpose is still missing
    assert reading.messages_after(cast.camille, story.fra.id, 0, 50) == []


def test_missing_contents_lists_46_15_items_and_the_country_profile_needs(cast: Cast) -> None:
    story = open_story(cast)
    revise_profile(
        None, "CHE",
        {
            "treaty_or_reciprocity": "treaty",
            "languages": ["fr", "de"],
            "dual_criminality": "always",
        },
        now=clock.now(),
    )
    request = _draft(
        cast, story, contents={"requesting_authority": "PPEF"}, language="en",
        deadline_on=clock.now().date() + timedelta(days=30),
    )
    missing = contents.missing_contents(request)
    assert missing == [
        "subject_and_nature", "summary_of_facts", "assistance_sought", "persons_concerned",
        "purpose", "deadline_reason", "profile.treaty_or_reciprocity", "profile.language",
        "profile.dual_criminality",
    ]
    requests.update_request(
        cast.amina, request.id,
        {"contents": {**CONTENTS, "dual_criminality_statement": "Art. 314 SCC"},
         "legal_basis": "treaty", "language": "fr", "deadline_reason": "Trial on 1 June"},
        clock.now(),
    )
    db.session.commit()
    assert contents.missing_contents(request) == []


def test_contents_are_sealed_with_the_case_key(cast: Cast) -> None:
    story = open_story(cast)
    request = _draft(cast, story)
    assert b"Geneva" not in request.contents_sealed
    assert request.contents["summary_of_facts"].endswith("Geneva.")


def test_enquiries_and_delay_notices_are_records_of_their_own(cast: Cast) -> None:
    story = open_story(cast)
    request = _draft(cast, story)
    with pytest.raises(Conflict):
        enquiries.ask_status(cast.amina, request.id, "Any news?", clock.now())
    db.session.rollback()
    _move(cast.amina, request, "sent")
    _move(cast.lea, request, "received")
    enquiry = enquiries.ask_status(cast.amina, request.id, "Any news?", clock.now())
    db.session.commit()
    with pytest.raises(PermissionDenied):
        enquiries.answer_enquiry(cast.amina, enquiry.id, "Self-answer", clock.now())
    db.session.rollback()
    enquiries.answer_enquiry(cast.lea, enquiry.id, "Bank replied; analysing.", clock.now())
    enquiries.give_delay_notice(
        cast.lea, request.id, delay_days=45, reason="Bank records are voluminous", now=clock.now()
    )
    db.session.commit()
    with pytest.raises(Conflict):
        enquiries.answer_enquiry(cast.lea, enquiry.id, "Again", clock.now())
    db.session.rollback()

    view = read_models.request_view(cast.amina, request.id, clock.now())
    assert view.enquiries[0].answer == "Bank replied; analysing."
    assert view.enquiries[0].answered_by.name == "Léa Müller"
    assert view.delay_notices[0].delay_days == 45
    assert view.delay_notices[0].reason == "Bank records are voluminous"


def test_a_requested_state_never_sees_requests_to_another(cast: Cast) -> None:
    story = open_story(cast)
    to_france = _draft(cast, story, requested_state="FRA")
    with pytest.raises(NotFound):
        read_models.request_view(cast.lea, to_france.id, clock.now())
    db.session.rollback()
    items, total = read_models.list_requests(cast.lea, story.case.id, clock.now())
    assert (items, total) == ([], 0)
    items, total = read_models.list_requests(cast.camille, story.case.id, clock.now())
    assert total == 1
    assert items[0].direction == "incoming"


@pytest.mark.parametrize("who", ["chen", "secretariat", "observer"])
def test_outsiders_cannot_read_or_record_requests(cast: Cast, who: str) -> None:
    story = open_story(cast)
    request = _draft(cast, story)
    outsider = getattr(cast, who)
    with pytest.raises(NotFound):
        read_models.request_view(outsider, request.id, clock.now())
    with pytest.raises(NotFound):
        requests.create_request(
            outsider, story.case.id, kind="mla", requested_state="CHE", legal_basis="uncac",
            transmission_channel="direct", now=clock.now(),
        )


def test_bad_values_name_the_field_and_write_nothing(cast: Cast) -> None:
    story = open_story(cast)
    cases = [
        ({"kind": "rumour"}, "kind"),
        ({"requested_state": "CHN"}, "requested_state"),
        ({"language": "xx"}, "language"),
        ({"deadline_on": date(2000, 1, 1)}, "deadline_on"),
        ({"contents": {"colour": "blue"}}, "contents"),
    ]
    for override, field in cases:
        with pytest.raises(InvalidInput) as refused:
            _draft(cast, story, **override)
        assert field in refused.value.errors
        db.session.rollback()
    assert db.session.scalar(select(func.count(AssistanceRequest.id))) == 0



def test_a_recognition_request_is_checked_against_the_confiscation_profile(cast: Cast) -> None:
    """Recognition (54(1)) is coercive under Chapter V: the confiscation basis applies."""
    story = open_story(cast)
    revise_profile(
        None, "CHE",
        {"uncac_basis_confiscation": False, "dual_criminality": "coercive_only"},
        now=clock.now(),
    )
    request = _draft(
        cast, story, kind="recognition", conviction_based=False,
        contents=CONTENTS_FOR["recognition"],
    )
    missing = contents.missing_contents(request)
    assert missing == ["profile.legal_basis", "profile.dual_criminality"]
