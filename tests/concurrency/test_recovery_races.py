"""Officers moving one asset or one freezing order at the same moment, through the real API.

Exactly one of the conflicting steps wins; every other gets a 409 that says the record's
state now and the steps it allows, and leaves no history line and no audit record.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from itertools import pairwise

import pytest
from sqlalchemy import func, select

from network.audit import service as audit
from network.audit.models import AuditRecord
from network.core import clock
from network.extensions import db
from network.recovery import assets, measures
from network.recovery.asset_lifecycle import offered_statuses
from network.recovery.models import AssetStatusChange, MeasureEvent, MeasureExtension
from tests.concurrency.race import ENGINES, clients, one_winner, race
from tests.conftest import Cast
from tests.stories import Freeze, open_freeze

pytestmark = pytest.mark.parametrize("database_url", ENGINES, indirect=True)

RIVALS = 4


@pytest.fixture
def freeze(cast: Cast) -> Freeze:
    """Léa's freezing order over one account, in force for two more months."""
    today = clock.now().date()
    return open_freeze(
        cast,
        effective_on=today - timedelta(days=10),
        expires_on=today + timedelta(days=60),
        now=clock.now(),
    )


def _audited(action: str) -> int:
    return db.session.scalar(select(func.count(AuditRecord.id)).where(AuditRecord.action == action))


def _asset_story(asset_id: int) -> list[tuple[str | None, str]]:
    """The asset's steps, oldest first, each checked to start where the one before ended."""
    db.session.expire_all()
    steps = db.session.execute(
        select(AssetStatusChange.from_status, AssetStatusChange.to_status)
        .where(AssetStatusChange.asset_id == asset_id)
        .order_by(AssetStatusChange.id)
    ).all()
    for before, after in pairwise(steps):
        assert after.from_status == before.to_status, steps
    return [(step.from_status, step.to_status) for step in steps]


def _measure_story(measure_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(MeasureEvent.event)
            .where(MeasureEvent.measure_id == measure_id)
            .order_by(MeasureEvent.id)
        )
    )


def _refusals(losers: Sequence[object]) -> list[dict[str, list[str]]]:
    return [loser.get_json()["errors"] for loser in losers]  # type: ignore[attr-defined]


def test_one_of_several_officers_confiscating_an_asset_at_once_moves_it(
    cast: Cast, freeze: Freeze
) -> None:
    asset_id = freeze.asset.id
    officers = clients(cast.lea, RIVALS)

    answers = race(
        RIVALS,
        lambda i: officers[i].post(
            f"/assets/{asset_id}/status", json={"to": "confiscated", "reason": f"Order {i}."}
        ),
    )

    winner, losers = one_winner(answers)
    assert winner.get_json()["status"] == "confiscated"
    for errors in _refusals(losers):
        assert errors["current"] == ["confiscated"]
        assert errors["allowed"] == ["released"]
    assert _asset_story(asset_id) == [
        (None, "identified"),
        ("identified", "frozen_or_seized"),
        ("frozen_or_seized", "confiscated"),
    ]
    assert _audited("asset.status_changed") == 1
    assert audit.verify_chain()[1] is None


def test_extensions_computed_from_one_expiry_at_once_extend_it_once(
    cast: Cast, freeze: Freeze
) -> None:
    measure_id = freeze.measure.id
    expiry = freeze.measure.expires_on
    assert expiry is not None
    wanted = [expiry + timedelta(days=30 + i) for i in range(RIVALS)]
    officers = clients(cast.lea, RIVALS)

    answers = race(
        RIVALS,
        lambda i: officers[i].post(
            f"/measures/{measure_id}/extensions",
            json={
                "previous_expires_on": expiry.isoformat(),
                "new_expires_on": wanted[i].isoformat(),
            },
        ),
    )

    winner, losers = one_winner(answers, won=201)
    extended_to = date.fromisoformat(winner.get_json()["current_expires_on"])
    assert extended_to in wanted
    for errors in _refusals(losers):
        assert errors["current"] == ["extended"]
        assert errors["current_expires_on"] == [extended_to.isoformat()]
        assert errors["allowed"] == ["extend", "lift", "replace"]
    db.session.expire_all()
    extensions = db.session.execute(
        select(MeasureExtension.previous_expires_on, MeasureExtension.new_expires_on).where(
            MeasureExtension.measure_id == measure_id
        )
    ).all()
    assert [tuple(each) for each in extensions] == [(expiry, extended_to)]
    assert _measure_story(measure_id) == ["recorded", "extended"]
    assert _audited("measure.extended") == 1
    assert audit.verify_chain()[1] is None


def test_lifting_and_confiscation_of_one_order_at_once_end_it_one_way(
    cast: Cast, freeze: Freeze
) -> None:
    measure_id, asset_id = freeze.measure.id, freeze.asset.id
    officers = clients(cast.lea, RIVALS)

    def end(i: int) -> object:
        if i % 2:
            return officers[i].post(
                f"/measures/{measure_id}/lifting", json={"reason": "Acquittal."}
            )
        return officers[i].post(f"/measures/{measure_id}/replacement", json={})

    winner, losers = one_winner(race(RIVALS, end))

    ended = winner.get_json()["status"]
    assert ended in {"lifted", "replaced"}
    for errors in _refusals(losers):
        assert errors["current"] == [ended]
        assert errors["allowed"] == []
    assert _measure_story(measure_id) == ["recorded", ended]
    last = "released" if ended == "lifted" else "confiscated"
    assert _asset_story(asset_id)[-1] == ("frozen_or_seized", last)
    assert _audited("measure.lifted") + _audited("measure.replaced") == 1
    assert audit.verify_chain()[1] is None


def test_two_orders_over_one_asset_lifted_at_once_release_it_once(
    cast: Cast, freeze: Freeze
) -> None:
    """Each lifting sees the other order still open unless one waits for the other."""
    other = measures.record_measure(
        cast.lea,
        freeze.story.case.id,
        kind="seizure",
        asset_ids=[freeze.asset.id],
        issuing_authority="Ministère public de la Confédération",
        issuing_state="CHE",
        legal_basis="54_2_b",
        effective_on=freeze.measure.effective_on,
        expires_on=freeze.measure.expires_on,
        now=clock.now(),
    )
    db.session.commit()
    orders, asset_id = [freeze.measure.id, other.id], freeze.asset.id
    officers = clients(cast.lea, 2)

    answers = race(
        2,
        lambda i: officers[i].post(f"/measures/{orders[i]}/lifting", json={"reason": "Lifted."}),
    )

    assert [answer.status_code for answer in answers] == [200, 200]
    assert _asset_story(asset_id) == [
        (None, "identified"),
        ("identified", "frozen_or_seized"),
        ("frozen_or_seized", "released"),
    ]
    assert audit.verify_chain()[1] is None


def test_corrections_of_different_details_of_an_asset_at_once_all_land(
    cast: Cast, freeze: Freeze
) -> None:
    """The sealed details are one value: each correction must start from the last one saved."""
    asset_id = freeze.asset.id
    corrections = [
        {"description": "Account at a Zurich bank"},
        {"third_party_interests": "A lien held by the bank."},
        {"identifiers": {"IBAN": "CH93 0076 2011 6238 5295 7"}},
    ]
    officers = clients(cast.lea, len(corrections))

    answers = race(
        len(corrections),
        lambda i: officers[i].patch(f"/assets/{asset_id}", json=corrections[i]),
    )

    assert [answer.status_code for answer in answers] == [200] * len(corrections)
    saved = officers[0].get(f"/assets/{asset_id}").get_json()
    for correction in corrections:
        for name, value in correction.items():
            assert saved[name] == value
    assert _audited("asset.updated") == len(corrections)
    assert audit.verify_chain()[1] is None


def test_a_return_and_a_release_of_a_confiscated_asset_at_once_take_one_of_them(
    cast: Cast, freeze: Freeze
) -> None:
    asset_id = freeze.asset.id
    assets.change_asset_status(cast.lea, asset_id, "confiscated", "Judgment.", clock.now())
    db.session.commit()
    returning, releasing = clients(cast.lea, 2)

    def step(i: int) -> object:
        if i == 0:
            money = {"basis": "57_3_a", "amount": "2400000.00", "currency": "CHF"}
            return returning.post(f"/assets/{asset_id}/returns", json=money)
        return releasing.post(f"/assets/{asset_id}/status", json={"to": "released", "reason": ""})

    answers = race(2, step)

    returned = answers[0].status_code == 201
    assert [answer.status_code for answer in answers] == ([201, 409] if returned else [409, 200])
    ended = "returned" if returned else "released"
    errors = _refusals([answers[1] if returned else answers[0]])[0]
    assert errors["current"] == [ended]
    assert errors["allowed"] == offered_statuses(ended)
    assert _asset_story(asset_id)[-2:] == [
        ("frozen_or_seized", "confiscated"),
        ("confiscated", ended),
    ]
    assert _audited("asset.returned") == (1 if returned else 0)
    assert _audited("asset.status_changed") == (1 if returned else 2)
    assert audit.verify_chain()[1] is None
