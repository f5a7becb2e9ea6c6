"""Specifications for subjects, assets, provisional measures, their derived status and returns."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from network.cases import service as cases
from network.core import clock
from network.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from network.directory.models import State
from network.extensions import db
from network.recovery import assets, consultations, endings, expiry, measures, returns, subjects
from network.recovery.models import Asset, MeasureExtension, ProvisionalMeasure, Subject
from tests.conftest import Cast, make_user
from tests.stories import Story, open_story

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)

LIMA = ZoneInfo("America/Lima")  # UTC−5 all year


def _account(cast: Cast, story: Story, **overrides) -> Asset:
    values = {
        "kind": "bank_account",
        "location_state": "CHE",
        "estimated_value": "1250000.50",
        "currency": "CHF",
        "identifiers": {"IBAN": "CH93 0076 2011 6238 5295 7"},
        **overrides,
    }
    asset = assets.record_asset(cast.amina, story.case.id, now=clock.now(), **values)
    db.session.commit()
    return asset


def _freeze(cast: Cast, story: Story, assets: list[int], **overrides) -> ProvisionalMeasure:
    values = {
        "kind": "freezing",
        "asset_ids": assets,
        "issuing_authority": "Ministère public de la Confédération",
        "issuing_state": "CHE",
        "legal_basis": "54_2_b",
        "effective_on": clock.now().date() - timedelta(days=1),
        "expires_on": clock.now().date() + timedelta(days=90),
        **overrides,
    }
    measure = measures.record_measure(cast.lea, story.case.id, now=clock.now(), **values)
    db.session.commit()
    return measure


def test_an_order_expiring_on_31_march_at_utc_minus_5_lapses_at_local_midnight(
    cast: Cast,
) -> None:
    db.session.add(State(code="PER", names={"en": "Peru"}, time_zone="America/Lima"))
    rosa = make_user("rosa@per.example", "Rosa Quispe", "practitioner", "PER")
    case = cases.open_case(
        cast.amina, title="Lima", summary="", reference="", requested_states=["PER"],
        counterparts=[rosa.id], now=clock.now(),
    )
    db.session.commit()
    asset = assets.record_asset(
        rosa, case.id, kind="real_estate", location_state="PER", now=clock.now()
    )
    measure = measures.record_measure(
        rosa, case.id, kind="freezing", asset_ids=[asset.id], issuing_authority="Juzgado",
        issuing_state="PER", legal_basis="54_2_a", effective_on=date(2025, 1, 2),
        expires_on=date(2025, 3, 31), now=clock.now(),
    )
    db.session.commit()

    late_evening = datetime(2025, 3, 31, 23, 30, tzinfo=LIMA)
    assert expiry.measure_status(measure, late_evening) == "in_force"
    assert expiry.measure_status(measure, late_evening + timedelta(hours=1)) == "lapsed"
    assert expiry.expires_at(measure) == datetime(2025, 4, 1, 5, 0, tzinfo=UTC)


def test_a_case_walks_from_consultation_through_freezing_extensions_confiscation_and_return(
    cast: Cast,
) -> None:
    story = open_story(cast)
    holder = subjects.record_subject(
        cast.amina, story.case.id, kind="natural", names=["Kouadio Traoré"],
        transliterations=["Kouadio Traore"], roles=["pep", "suspect"], nationality="CIV",
        identifiers={"passport": "CI1234567"}, requested_state="CHE", now=clock.now(),
    )
    db.session.commit()
    asset = _account(cast, story, holder=holder.id)
    assert asset.status == "identified"
    today = clock.now().date()

    measure = _freeze(cast, story, [asset.id], effective_on=None, expires_on=None)
    assert expiry.measure_status(measure, clock.now()) == "requested"
    measures.update_measure(
        cast.lea, measure.id,
        {"effective_on": today, "expires_on": today + timedelta(days=30)}, clock.now(),
    )
    db.session.commit()
    assert expiry.measure_status(measure, clock.now()) == "in_force"
    assert db.session.get(Asset, asset.id).status == "frozen_or_seized"

    endings.extend_measure(
        cast.lea, measure.id, new_expires_on=today + timedelta(days=90), asked_by_state="CIV",
        now=clock.now(),
    )
    endings.extend_measure(
        cast.lea, measure.id, new_expires_on=today + timedelta(days=180), asked_by_state="CIV",
        now=clock.now(),
    )
    db.session.commit()
    assert expiry.measure_status(measure, clock.now()) == "extended"
    assert expiry.current_expiry(measure) == today + timedelta(days=180)
    lapse = expiry.expires_at(measure)
    assert expiry.measure_status(measure, lapse - timedelta(seconds=1)) == "extended"
    assert expiry.measure_status(measure, lapse) == "lapsed"

    endings.replace_with_confiscation(
        cast.lea, measure.id, confiscation_reference="TPF-2025-9", confiscated_on=today,
        now=clock.now(),
    )
    db.session.commit()
    assert expiry.measure_status(measure, lapse + timedelta(days=1)) == "replaced"
    assert db.session.get(Asset, asset.id).status == "confiscated"

    returns.record_return(
        cast.lea, asset.id, basis="57_3_a", amount="1200000.00", currency="CHF",
        expenses_deducted="15000.00", agreement_reference="CH-CI MoU 2025",
        disbursed_on=today, now=clock.now(),
    )
    db.session.commit()
    view = assets.asset_view(cast.amina, asset.id, clock.now())
    assert view.status == "returned"
    assert [step.to_status for step in view.history] == [
        "identified", "frozen_or_seized", "confiscated", "returned",
    ]
    assert view.returns[0].net_amount == Decimal("1185000.0000")
    assert view.holder_name == "Kouadio Traoré"
    measure_view = measures.measure_view(cast.amina, measure.id, clock.now())
    assert [event.event for event in measure_view.history] == [
        "recorded", "updated", "extended", "extended", "replaced",
    ]
    assert [each.asked_by_state for each in measure_view.extensions] == ["CIV", "CIV"]
    assert measure_view.extension_count == 2


def test_an_expiry_before_the_effective_date_is_refused(cast: Cast) -> None:
    story = open_story(cast)
    asset = _account(cast, story)
    with pytest.raises(InvalidInput) as refused:
        _freeze(
            cast, story, [asset.id], effective_on=date(2025, 5, 1), expires_on=date(2025, 4, 30)
        )
    assert "expires_on" in refused.value.errors
    db.session.rollback()
    assert db.session.scalar(select(func.count(ProvisionalMeasure.id))) == 0


def test_an_extension_that_shortens_or_keeps_the_expiry_is_refused(cast: Cast) -> None:
    story = open_story(cast)
    asset = _account(cast, story)
    measure = _freeze(cast, story, [asset.id])
    current = expiry.current_expiry(measure)
    for new in (current - timedelta(days=1), current):
        with pytest.raises(InvalidInput) as refused:
            endings.extend_measure(cast.lea, measure.id, new_expires_on=new, now=clock.now())
        assert "new_expires_on" in refused.value.errors
        db.session.rollback()
    assert db.session.scalar(select(func.count(MeasureExtension.id))) == 0


def test_a_lapsed_order_cannot_be_extended(cast: Cast) -> None:
    story = open_story(cast)
    asset = _account(cast, story)
    today = clock.now().date()
    measure = _freeze(
        cast, story, [asset.id], effective_on=today - timedelta(days=30),
        expires_on=today - timedelta(days=2),
    )
    assert expiry.measure_status(measure, clock.now()) == "lapsed"
    with pytest.raises(endings.MeasureAlreadyLapsed):
        endings.extend_measure(
            cast.lea, measure.id, new_expires_on=today + timedelta(days=30), now=clock.now()
        )


def test_lifting_needs_a_reason_and_releases_the_assets(cast: Cast) -> None:
    story = open_story(cast)
    asset = _account(cast, story)
    measure = _freeze(cast, story, [asset.id])
    today = clock.now().date()
    consultations.record_consultation(
        cast.lea, measure.id, invited_on=today, deadline_on=today + timedelta(days=14),
        now=clock.now(),
    )
    db.session.commit()
    with pytest.raises(InvalidInput):
        endings.lift_measure(cast.lea, measure.id, reason="", now=clock.now())
    db.session.rollback()
    endings.lift_measure(cast.lea, measure.id, reason="Court annulled the order", now=clock.now())
    db.session.commit()
    assert expiry.measure_status(measure, clock.now()) == "lifted"
    assert db.session.get(Asset, asset.id).status == "released"
    view = measures.measure_view(cast.amina, measure.id, clock.now())
    assert view.lifted_reason == "Court annulled the order"
    assert view.consultations[0].decision == "pending"
    with pytest.raises(Conflict):
        endings.extend_measure(
            cast.lea, measure.id, new_expires_on=today + timedelta(days=365), now=clock.now()
        )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"currency": "XYZ"}, "currency"),
        ({"estimated_value": "-5"}, "estimated_value"),
        ({"estimated_value": "1.23456"}, "estimated_value"),
        ({"estimated_value": "10", "currency": None}, "currency"),
        ({"kind": "castle"}, "kind"),
        ({"location_state": "ZZZ"}, "location_state"),
    ],
    ids=["unknown-currency", "negative", "too-precise", "no-currency", "kind", "location"],
)
def test_bad_asset_values_are_refused_naming_the_field(
    cast: Cast, overrides: dict, field: str
) -> None:
    story = open_story(cast)
    with pytest.raises(InvalidInput) as refused:
        _account(cast, story, **overrides)
    assert field in refused.value.errors
    db.session.rollback()
    assert db.session.scalar(select(func.count(Asset.id))) == 0


def test_a_negative_return_amount_is_refused(cast: Cast) -> None:
    story = open_story(cast)
    asset = _account(cast, story)
    assets.change_asset_status(cast.lea, asset.id, "confiscated", "NCB order", clock.now())
    db.session.commit()
    with pytest.raises(InvalidInput) as refused:
        returns.record_return(
            cast.lea, asset.id, basis="57_3_b", amount="-1", currency="CHF", now=clock.now()
        )
    assert "amount" in refused.value.errors


def test_subject_identity_is_sealed_and_only_the_relationship_sees_it(cast: Cast) -> None:
    story = open_story(cast)
    subject = subjects.record_subject(
        cast.amina, story.case.id, kind="legal", names=["Lagune Holdings SA"],
        roles=["nominee"], identifiers={"register": "CHE-123.456.789"}, requested_state="CHE",
        now=clock.now(),
    )
    db.session.commit()
    stored = db.session.get(Subject, subject.id)
    assert b"Lagune" not in stored.identity_sealed
    assert [each.names for each in subjects.list_subjects(cast.lea, story.case.id)] == [
        ["Lagune Holdings SA"]
    ]
    assert subjects.list_subjects(cast.camille, story.case.id) == []
    with pytest.raises(NotFound):
        subjects.subject_view(cast.chen, subject.id, clock.now())


def test_open_measures_are_those_of_the_callers_cases_and_sides(cast: Cast) -> None:
    story = open_story(cast)
    asset = _account(cast, story)
    measure = _freeze(cast, story, [asset.id])
    assert [each.id for each in measures.open_measures(cast.amina)] == [measure.id]
    assert [each.id for each in measures.open_measures(cast.lea)] == [measure.id]
    assert measures.open_measures(cast.camille) == []
    assert measures.open_measures(cast.chen) == []
    assert [each.id for each in measures.list_measures(cast.lea, story.case.id)] == [measure.id]


def test_an_invited_observer_reads_the_channels_records_but_records_nothing(cast: Cast) -> None:
    story = open_story(cast)
    asset = _account(cast, story)
    measure = _freeze(cast, story, [asset.id])
    cases.invite_observer(cast.lea, story.che.id, cast.observer.id, clock.now())
    db.session.commit()

    assert measures.measure_view(cast.observer, measure.id, clock.now()).status == "in_force"
    with pytest.raises(PermissionDenied):
        endings.extend_measure(
            cast.observer, measure.id, new_expires_on=date(2099, 1, 1), now=clock.now()
        )
    db.session.rollback()
    with pytest.raises(PermissionDenied):
        assets.record_asset(
            cast.observer, story.case.id, kind="other", location_state="CHE", now=clock.now()
        )
