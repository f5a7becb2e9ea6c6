"""Each kind of request has its own checklist, merged with what the requested State asks."""

from __future__ import annotations

from datetime import timedelta

import pytest

from network.assistance import contents, requests
from network.assistance.models import AssistanceRequest
from network.core import clock
from network.core.errors import Conflict, InvalidInput
from network.directory.profiles import revise_profile
from network.extensions import db
from tests.conftest import Cast
from tests.stories import CONTENTS, CONTENTS_FOR, Story, open_story

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)

# What each kind's article requires, in the order of the article (no profile).
REQUIRED = {
    "mla": [
        "requesting_authority",
        "subject_and_nature",
        "summary_of_facts",
        "assistance_sought",
        "persons_concerned",
        "purpose",
    ],
    "freezing": [
        "requesting_authority",
        "subject_and_nature",
        "summary_of_facts",
        "assistance_sought",
        "persons_concerned",
        "purpose",
        "actions_requested",
    ],
    "confiscation": [
        "requesting_authority",
        "subject_and_nature",
        "summary_of_facts",
        "assistance_sought",
        "persons_concerned",
        "purpose",
        "property_description",
        "facts_for_domestic_order",
    ],
    "recognition": [
        "requesting_authority",
        "subject_and_nature",
        "summary_of_facts",
        "assistance_sought",
        "persons_concerned",
        "purpose",
        "order_copy",
        "extent_of_execution",
        "third_party_notice",
        "order_is_final",
    ],
    "extradition": [
        "requesting_authority",
        "person_sought",
        "offence_and_law",
        "summary_of_facts",
        "warrant_or_judgment",
        "dual_criminality_statement",
    ],
    "return": ["requesting_authority", "confiscation_order", "return_basis"],
}


def _draft(cast: Cast, story: Story, kind: str, **values) -> AssistanceRequest:
    request = requests.create_request(
        cast.amina,
        story.case.id,
        kind=kind,
        requested_state="CHE",
        legal_basis=values.pop("legal_basis", "uncac"),
        transmission_channel="central_authority",
        conviction_based=values.pop("conviction_based", True if kind == "recognition" else None),
        now=clock.now(),
        **values,
    )
    db.session.commit()
    return request


@pytest.mark.parametrize("kind", list(REQUIRED))
def test_an_empty_request_lacks_what_its_kinds_article_requires(cast: Cast, kind: str) -> None:
    request = _draft(cast, open_story(cast), kind)
    assert contents.missing_contents(request) == REQUIRED[kind]
    items = contents.request_checklist(request)
    assert all(each.source == "article" for each in items)
    assert [each.item for each in items if each.required] == REQUIRED[kind]


@pytest.mark.parametrize("kind", list(REQUIRED))
def test_a_request_with_its_kinds_contents_is_complete_and_may_be_sent(
    cast: Cast, kind: str
) -> None:
    request = _draft(cast, open_story(cast), kind, contents=CONTENTS_FOR[kind])
    assert contents.missing_contents(request) == []
    requests.transition(cast.amina, request.id, to="sent", now=clock.now())
    db.session.commit()
    assert db.session.get(AssistanceRequest, request.id).status == "sent"


def test_sending_an_incomplete_request_is_refused_with_the_missing_items(cast: Cast) -> None:
    story = open_story(cast)
    request = _draft(cast, story, "freezing", contents=CONTENTS)
    with pytest.raises(Conflict) as refused:
        requests.transition(cast.amina, request.id, to="sent", now=clock.now())
    db.session.rollback()
    assert refused.value.reason == "request_incomplete"
    assert refused.value.errors["missing_items"] == ["actions_requested"]
    assert refused.value.errors["current"] == ["draft"]
    assert db.session.get(AssistanceRequest, request.id).status == "draft"
    # Withdrawing is not sending: it needs nothing.
    requests.transition(cast.amina, request.id, to="withdrawn", now=clock.now())


def test_an_item_another_kind_carries_is_refused(cast: Cast) -> None:
    with pytest.raises(InvalidInput) as refused:
        _draft(cast, open_story(cast), "mla", contents={"order_is_final": "Final"})
    assert "contents" in refused.value.errors


def test_the_profile_adds_language_translation_treaty_dual_criminality_and_time_limits(
    cast: Cast,
) -> None:
    story = open_story(cast)
    revise_profile(
        None,
        "CHE",
        {
            "uncac_basis_mla": False,
            "treaty_or_reciprocity": "treaty",
            "dual_criminality": "coercive_only",
            "languages": ["fr", "de"],
            "translation_needs": "Certified translation into French or German",
            "longest_freeze": "3 months",
        },
        now=clock.now(),
    )
    request = _draft(
        cast,
        story,
        "freezing",
        contents=CONTENTS_FOR["freezing"],
        language="en",
        deadline_on=clock.now().date() + timedelta(days=30),
    )
    checklist = contents.request_checklist(request)
    assert [(each.item, each.done) for each in checklist if each.source == "profile"] == [
        ("profile.legal_basis", False),
        ("profile.treaty_or_reciprocity", False),
        ("profile.language", False),
        ("profile.dual_criminality", False),
        ("profile.translation", False),
        ("profile.time_limits", False),
    ]
    assert contents.missing_contents(request) == [
        "deadline_reason",
        "profile.legal_basis",
        "profile.treaty_or_reciprocity",
        "profile.language",
        "profile.dual_criminality",
        "profile.translation",
        "profile.time_limits",
    ]
    requests.update_request(
        cast.amina,
        request.id,
        {
            "legal_basis": "treaty",
            "language": "fr",
            "deadline_reason": "The trial opens in June",
            "contents": {
                "dual_criminality_statement": "Art. 314 of the Swiss Criminal Code",
                "translation_statement": "Certified French translation, annex 2",
                "time_limits_statement": "The trial ends before the freeze lapses",
            },
        },
        clock.now(),
    )
    db.session.commit()
    assert contents.missing_contents(request) == []
    assert all(each.done for each in contents.request_checklist(request) if each.required)


def test_an_mla_request_needs_no_freeze_time_limits_nor_dual_criminality_when_not_coercive(
    cast: Cast,
) -> None:
    story = open_story(cast)
    revise_profile(
        None,
        "CHE",
        {"dual_criminality": "coercive_only", "longest_freeze": "3 months"},
        now=clock.now(),
    )
    request = _draft(cast, story, "mla", contents=CONTENTS_FOR["mla"])
    assert contents.missing_contents(request) == []


def test_extradition_needs_no_dual_criminality_where_the_profile_says_none_is_required(
    cast: Cast,
) -> None:
    """44(2): a State whose law allows it may extradite without dual criminality."""
    story = open_story(cast)
    revise_profile(None, "CHE", {"dual_criminality": "no"}, now=clock.now())
    without = {
        name: text
        for name, text in CONTENTS_FOR["extradition"].items()
        if name != "dual_criminality_statement"
    }
    request = _draft(cast, story, "extradition", contents=without)
    assert contents.missing_contents(request) == []


def test_a_non_conviction_based_order_is_flagged_where_the_state_does_not_enforce_one(
    cast: Cast,
) -> None:
    """54(1)(c): recognised only where the requested State's law allows it."""
    story = open_story(cast)
    revise_profile(None, "CHE", {"foreign_ncb_enforceable": False}, now=clock.now())
    ncb = _draft(
        cast, story, "recognition", conviction_based=False, contents=CONTENTS_FOR["recognition"]
    )
    assert contents.missing_contents(ncb) == ["profile.ncb_not_enforceable"]
    conviction = _draft(
        cast, story, "recognition", conviction_based=True, contents=CONTENTS_FOR["recognition"]
    )
    assert contents.missing_contents(conviction) == []
