"""Specifications for art. 56 disclosures and 52(2)(b) notifications: who sees what, and after."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from network.cases import listing, opening
from network.cases.models import Case
from network.core import clock
from network.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from network.disclosures import institutions
from network.disclosures import service as disclosures
from network.disclosures.models import Disclosure, NotificationResult
from network.extensions import db
from tests.conftest import Cast

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


def _send(cast: Cast, **overrides) -> Disclosure:
    values = {
        "kind": "spontaneous_56",
        "to_state": "CIV",
        "summary": "Accounts in Zurich receive transfers from the Abidjan port authority.",
        "subjects": [{"name": "Kouadio Traoré", "role": "pep"}],
        "handling_code": "H1",
        **overrides,
    }
    disclosure = disclosures.send_disclosure(cast.lea, now=clock.now(), **values)
    db.session.commit()
    return disclosure


def test_the_receiving_state_sees_what_was_sent_to_it_and_nobody_else_does(cast: Cast) -> None:
    disclosure = _send(cast)
    assert b"Zurich" not in disclosure.body_sealed

    received = disclosures.disclosure_view(cast.yao, disclosure.id, clock.now())
    assert received.direction == "received"
    assert received.summary.startswith("Accounts in Zurich")
    assert received.subjects == [{"name": "Kouadio Traoré", "role": "pep"}]
    sent, total = disclosures.list_disclosures(cast.lea, "sent")
    assert total == 1
    assert sent[0].direction == "sent"
    assert disclosures.list_disclosures(cast.amina, "received")[1] == 1
    for outsider in (cast.chen, cast.camille, cast.observer, cast.secretariat):
        with pytest.raises(NotFound):
            disclosures.disclosure_view(outsider, disclosure.id, clock.now())
        assert disclosures.list_disclosures(outsider) == ([], 0)


def test_a_disclosure_to_ones_own_state_is_refused_and_nothing_written(cast: Cast) -> None:
    with pytest.raises(InvalidInput) as refused:
        _send(cast, to_state="CHE")
    assert "to_state" in refused.value.errors
    db.session.rollback()
    assert db.session.scalar(select(func.count(Disclosure.id))) == 0


def test_h3_needs_the_restriction_in_words(cast: Cast) -> None:
    with pytest.raises(InvalidInput) as refused:
        _send(cast, handling_code="H3")
    assert "handling_note" in refused.value.errors


def test_only_the_receiving_state_acknowledges_and_follows_up(cast: Cast) -> None:
    disclosure = _send(cast)
    with pytest.raises(PermissionDenied):
        disclosures.acknowledge(cast.lea, disclosure.id, now=clock.now())
    db.session.rollback()
    disclosures.acknowledge(cast.amina, disclosure.id, "Received with thanks", now=clock.now())
    db.session.commit()
    with pytest.raises(Conflict):
        disclosures.acknowledge(cast.amina, disclosure.id, now=clock.now())
    db.session.rollback()
    view = disclosures.disclosure_view(cast.lea, disclosure.id, clock.now())
    assert [step.to_status for step in view.history] == ["sent", "acknowledged"]
    assert view.history[1].note == "Received with thanks"


def test_a_disclosure_opens_a_case_in_one_action(cast: Cast) -> None:
    disclosure = _send(cast)
    case = disclosures.open_case_from_disclosure(cast.amina, disclosure.id, clock.now())
    db.session.commit()

    assert case.requesting_state == "CIV"
    view = listing.case_view(cast.lea, case.id)  # the sender joined the sender's side
    assert view.requested_states == ["CHE"]
    assert view.summary.startswith("Accounts in Zurich")
    stored = db.session.get(Disclosure, disclosure.id)
    assert (stored.status, stored.led_to_case_id) == ("followed_up", case.id)
    with pytest.raises(Conflict):
        disclosures.open_case_from_disclosure(cast.amina, disclosure.id, clock.now())
    db.session.rollback()
    assert db.session.scalar(select(func.count(Case.id))) == 1


def test_following_up_links_only_a_case_the_actor_reaches(cast: Cast) -> None:
    disclosure = _send(cast, to_state="CHN")
    unrelated = opening.open_case(
        cast.amina, title="Other", summary="", reference="", requested_states=["CHE"],
        counterparts=[], now=clock.now(),
    )
    db.session.commit()
    with pytest.raises(InvalidInput) as refused:
        disclosures.follow_up(cast.chen, disclosure.id, case_id=unrelated.id, now=clock.now())
    assert "case" in refused.value.errors


# --- art. 52(2)(b) notifications in detail -------------------------------------------------------

DETAILS = {
    "notified_on": date(2026, 3, 2),
    "scope": "Current and savings accounts; incoming wire transfers",
    "period_start": date(2024, 1, 1),
    "period_end": date(2025, 12, 31),
    "persons": [
        {"name": "Kouadio Traoré", "born_on": date(1961, 5, 4), "identifier": "CI-0042"},
        {"name": "Awa Traoré"},
    ],
    "accounts": [
        {"number": "ch93 0076 2011 6238 5295 7"},
        {"number": "0044-778", "institution": "Banque du Léman"},
    ],
}


def test_a_notification_records_whom_and_which_accounts_its_institutions_were_told_of(
    cast: Cast,
) -> None:
    notification = _send(cast, kind="notification_52_2_b", notification=DETAILS)
    assert b"Banque du L" not in notification.body_sealed

    seen = disclosures.disclosure_view(cast.yao, notification.id, clock.now()).notification
    assert seen is not None
    assert (seen.notified_on, seen.period_start, seen.period_end) == (
        date(2026, 3, 2), date(2024, 1, 1), date(2025, 12, 31)
    )
    assert seen.scope.startswith("Current and savings")
    assert seen.persons[0] == {
        "name": "Kouadio Traoré", "born_on": date(1961, 5, 4), "identifier": "CI-0042"
    }
    assert seen.persons[1] == {"name": "Awa Traoré", "born_on": None, "identifier": None}
    assert seen.accounts == [
        {"number": "CH9300762011623852957", "iban": True, "institution": ""},
        {"number": "0044-778", "iban": False, "institution": "Banque du Léman"},
    ]
    assert seen.results == []
    assert not seen.may_record
    assert disclosures.disclosure_view(cast.lea, notification.id, clock.now()).notification


def test_other_disclosures_have_no_notification_details(cast: Cast) -> None:
    assert disclosures.disclosure_view(cast.lea, _send(cast).id, clock.now()).notification is None
    with pytest.raises(InvalidInput) as refused:
        _send(cast, notification=DETAILS)
    assert "notification" in refused.value.errors


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"accounts": [{"number": "CH94 0076 2011 6238 5295 7"}]}, "accounts"),
        ({"accounts": [{"number": "0044-778"}]}, "accounts"),
        ({"period_start": date(2026, 1, 1), "period_end": date(2025, 1, 1)}, "period_end"),
        ({"persons": [{"name": "  "}]}, "persons"),
    ],
)
def test_notification_details_that_break_a_rule_are_refused(
    cast: Cast, change: dict, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        _send(cast, kind="notification_52_2_b", notification={**DETAILS, **change})
    assert f"notification.{field}" in refused.value.errors
    db.session.rollback()
    assert db.session.scalar(select(func.count(Disclosure.id))) == 0


def test_the_notifying_state_alone_describes_it_and_records_results(cast: Cast) -> None:
    notification = _send(cast, kind="notification_52_2_b")
    with pytest.raises(PermissionDenied):
        institutions.describe_notification(cast.amina, notification.id, DETAILS, now=clock.now())
    db.session.rollback()
    with pytest.raises(NotFound):
        institutions.record_result(
            cast.chen, notification.id, reported_on=date(2026, 3, 20), institution="UBS",
            now=clock.now(),
        )
    db.session.rollback()
    institutions.describe_notification(cast.lea, notification.id, DETAILS, now=clock.now())
    db.session.commit()
    with pytest.raises(InvalidInput) as early:
        institutions.record_result(
            cast.lea, notification.id, reported_on=date(2026, 3, 1), institution="UBS",
            now=clock.now(),
        )
    assert "reported_on" in early.value.errors
    db.session.rollback()
    institutions.record_result(
        cast.lea, notification.id, reported_on=date(2026, 3, 20), institution="Banque du Léman",
        summary="Two accounts, closed in 2025.", accounts_found=2, now=clock.now(),
    )
    db.session.commit()
    stored = db.session.scalar(select(NotificationResult))
    assert b"Banque du L" not in stored.body_sealed

    seen = disclosures.disclosure_view(cast.amina, notification.id, clock.now()).notification
    assert seen is not None
    assert [(r.institution, r.accounts_found, r.summary) for r in seen.results] == [
        ("Banque du Léman", 2, "Two accounts, closed in 2025.")
    ]
    assert len(seen.persons) == 2


def test_results_belong_to_notifications_only(cast: Cast) -> None:
    disclosure = _send(cast)
    with pytest.raises(Conflict):
        institutions.record_result(
            cast.lea, disclosure.id, reported_on=date(2026, 3, 20), institution="UBS",
            now=clock.now(),
        )

