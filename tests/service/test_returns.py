"""Specifications for confiscation orders and returns under article 57: the arrangement (57(5)),
expenses (57(4)), transfers, compensation (57(3)(c)), milestones as deadlines and reminders."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from network.cases import team
from network.core import clock
from network.core.errors import (
    Conflict,
    InvalidInput,
    InvalidTransition,
    NotFound,
    PermissionDenied,
)
from network.extensions import db
from network.notifications import reminders
from network.notifications.deadlines import RETURN_MILESTONE, deadlines_for
from network.notifications.models import Notification
from network.recovery import assets, confiscations, return_lines, returns
from network.recovery.models import Asset, CaseReturn, Confiscation
from network.reporting import statistics
from network.schemas.vocabularies import NotificationKind
from tests.conftest import Cast
from tests.stories import Story, open_story

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


def _asset(cast: Cast, story: Story, kind: str = "bank_account") -> Asset:
    asset = assets.record_asset(
        cast.lea,
        story.case.id,
        kind=kind,
        location_state="CHE",
        estimated_value="900000",
        currency="CHF",
        now=clock.now(),
    )
    db.session.commit()
    return asset


def _confiscate(cast: Cast, story: Story, *assets_taken: Asset, **overrides) -> Confiscation:
    today = clock.now().date()
    values = {
        "order_reference": "TPF-SK.2025.12",
        "ordered_on": today - timedelta(days=30),
        "finality": "final",
        "final_on": today - timedelta(days=2),
        "assets": [{"asset": a.id, "amount": "500000.00", "currency": "CHF"} for a in assets_taken],
        **overrides,
    }
    row = confiscations.record_confiscation(cast.lea, story.case.id, now=clock.now(), **values)
    db.session.commit()
    return row


def _open(cast: Cast, story: Story, order: Confiscation) -> CaseReturn:
    row = returns.open_return(
        cast.lea,
        story.case.id,
        confiscation=order.id,
        basis="57_3_a",
        arrangement="agreement",
        terms="Funds to the national treasury, audited yearly",
        now=clock.now(),
    )
    db.session.commit()
    return row


def test_a_confiscation_takes_the_assets_it_names_with_their_amounts(cast: Cast) -> None:
    story = open_story(cast)
    account, villa = _asset(cast, story), _asset(cast, story, "real_estate")

    order = _confiscate(cast, story, account, villa)

    assert db.session.get(Asset, account.id).status == "confiscated"
    assert db.session.get(Asset, villa.id).status == "confiscated"
    view = confiscations.confiscation_view(cast.amina, order.id, clock.now())
    assert view.order_reference == "TPF-SK.2025.12"
    assert view.totals == {"CHF": Decimal("1000000.0000")}
    assert view.requested_state == "CHE"


def test_an_order_under_appeal_has_no_final_date_until_it_becomes_final(cast: Cast) -> None:
    story = open_story(cast)
    account = _asset(cast, story)
    with pytest.raises(InvalidInput) as refused:
        _confiscate(cast, story, account, finality="under_appeal")
    assert "final_on" in refused.value.errors
    order = _confiscate(cast, story, account, finality="under_appeal", final_on=None)

    confiscations.record_finality(cast.lea, order.id, final_on=clock.now().date(), now=clock.now())
    db.session.commit()

    assert order.finality == "final"
    with pytest.raises(Conflict):
        confiscations.record_finality(
            cast.lea, order.id, final_on=clock.now().date(), now=clock.now()
        )


def test_a_confiscation_refuses_zero_amounts_and_unknown_currencies(cast: Cast) -> None:
    story = open_story(cast)
    account = _asset(cast, story)
    for line, field in (
        ({"asset": account.id, "amount": "0", "currency": "CHF"}, "amount"),
        ({"asset": account.id, "amount": "10", "currency": "XXY"}, "currency"),
    ):
        with pytest.raises(InvalidInput) as refused:
            _confiscate(cast, story, assets=[line])
        assert field in refused.value.errors
        db.session.rollback()


def test_the_arrangement_steps_follow_in_order_and_the_other_side_is_told(cast: Cast) -> None:
    story = open_story(cast)
    row = _open(cast, story, _confiscate(cast, story, _asset(cast, story)))
    today = clock.now().date()

    with pytest.raises(InvalidTransition):
        returns.record_arrangement_step(cast.lea, row.id, step="signed", on=today, now=clock.now())
    returns.record_arrangement_step(
        cast.amina, row.id, step="draft_shared", on=today - timedelta(days=5), now=clock.now()
    )
    returns.record_arrangement_step(
        cast.lea, row.id, step="terms_agreed", on=today - timedelta(days=1), now=clock.now()
    )
    with pytest.raises(InvalidInput):
        returns.record_arrangement_step(
            cast.lea, row.id, step="signed", on=today - timedelta(days=3), now=clock.now()
        )
    returns.record_arrangement_step(cast.lea, row.id, step="signed", on=today, now=clock.now())
    db.session.commit()

    view = returns.return_view(cast.amina, row.id, clock.now())
    assert view.next_step is None
    assert view.terms == "Funds to the national treasury, audited yearly"
    told = db.session.scalars(
        select(Notification.user_id).where(Notification.kind == NotificationKind.RETURN_RECORDED)
    ).all()
    assert cast.amina.id in told
    assert cast.lea.id in told  # Aminata's draft step was told to Léa


def test_expenses_and_transfers_never_exceed_what_was_confiscated(cast: Cast) -> None:
    story = open_story(cast)
    row = _open(cast, story, _confiscate(cast, story, _asset(cast, story)))
    today = clock.now().date()

    return_lines.add_line(
        cast.lea,
        row.id,
        kind="expense",
        label="Sale of the villa: notary fees",
        amount="20000",
        currency="CHF",
        now=clock.now(),
    )
    return_lines.add_line(
        cast.lea,
        row.id,
        kind="transfer",
        amount="480000",
        currency="CHF",
        on=today,
        now=clock.now(),
    )
    with pytest.raises(InvalidInput) as refused:
        return_lines.add_line(
            cast.lea,
            row.id,
            kind="expense",
            label="Storage",
            amount="0.01",
            currency="CHF",
            now=clock.now(),
        )
    assert "amount" in refused.value.errors
    return_lines.add_line(
        cast.lea,
        row.id,
        kind="compensation",
        label="Port workers' pension fund",
        amount="5000",
        currency="USD",
        now=clock.now(),
    )
    return_lines.add_line(
        cast.lea,
        row.id,
        kind="beneficiary",
        label="Ministry of Health",
        purpose="Rural clinics",
        now=clock.now(),
    )
    db.session.commit()

    view = returns.return_view(cast.amina, row.id, clock.now())
    assert db.session.get(Asset, view.confiscation.assets[0].asset_id).status == "returned"
    assert view.transferred == {"CHF": Decimal("480000.0000")}
    assert view.expenses_deducted == {"CHF": Decimal("20000.0000")}
    assert [each.label for each in view.compensations] == ["Port workers' pension fund"]
    assert [each.purpose for each in view.beneficiaries] == ["Rural clinics"]


def test_a_transfer_waits_for_a_final_confiscation(cast: Cast) -> None:
    story = open_story(cast)
    order = _confiscate(cast, story, _asset(cast, story), finality="under_appeal", final_on=None)
    row = _open(cast, story, order)
    with pytest.raises(Conflict):
        return_lines.add_line(
            cast.lea,
            row.id,
            kind="transfer",
            amount="10",
            currency="CHF",
            on=clock.now().date(),
            now=clock.now(),
        )


def test_another_requested_state_and_outsiders_never_reach_the_return(cast: Cast) -> None:
    story = open_story(cast)
    row = _open(cast, story, _confiscate(cast, story, _asset(cast, story)))
    for outsider in (cast.camille, cast.chen):
        with pytest.raises(NotFound):
            returns.return_view(outsider, row.id, clock.now())
        with pytest.raises(NotFound):
            return_lines.add_milestone(
                outsider, row.id, description="x", due_on=clock.now().date(), now=clock.now()
            )
    assert [each.id for each in returns.list_returns(cast.camille, story.case.id)] == []


def test_an_observer_reads_but_never_records(cast: Cast) -> None:
    story = open_story(cast)
    row = _open(cast, story, _confiscate(cast, story, _asset(cast, story)))
    team.invite_observer(cast.amina, story.che.id, cast.observer.id, clock.now())
    db.session.commit()
    assert returns.return_view(cast.observer, row.id, clock.now()).id == row.id
    with pytest.raises(PermissionDenied):
        return_lines.add_line(
            cast.observer,
            row.id,
            kind="expense",
            label="x",
            amount="1",
            currency="CHF",
            now=clock.now(),
        )


def test_a_milestone_is_a_deadline_of_both_sides_and_reminded_once(cast: Cast) -> None:
    story = open_story(cast)
    row = _open(cast, story, _confiscate(cast, story, _asset(cast, story)))
    due = clock.now().date() + timedelta(days=5)
    milestone = return_lines.add_milestone(
        cast.amina,
        row.id,
        description="First report on the use of the funds",
        due_on=due,
        now=clock.now(),
    )
    db.session.commit()

    for user in (cast.amina, cast.lea):
        found = [d for d in deadlines_for(user, clock.now()) if d.kind == RETURN_MILESTONE]
        assert [(d.object_id, d.due_on) for d in found] == [(milestone.id, due)]
    assert not [d for d in deadlines_for(cast.camille, clock.now()) if d.kind == RETURN_MILESTONE]

    sent = reminders.send_reminders(clock.now(), unread_interval=timedelta(days=1))
    mine = [each for each in sent if each.rule == reminders.RULE_MILESTONE]
    assert sorted(each.recipient for each in mine) == ["amina@civ.example", "lea@che.example"]
    again = reminders.send_reminders(clock.now(), unread_interval=timedelta(days=1))
    assert not [each for each in again if each.rule == reminders.RULE_MILESTONE]

    return_lines.complete_milestone(
        cast.lea, milestone.id, done_on=clock.now().date(), now=clock.now()
    )
    db.session.commit()
    assert not [d for d in deadlines_for(cast.lea, clock.now()) if d.kind == RETURN_MILESTONE]


def _returned_in_new_case(cast: Cast, reference: str, amount: str) -> None:
    story = open_story(cast, reference=reference)
    row = _open(cast, story, _confiscate(cast, story, _asset(cast, story)))
    return_lines.add_line(
        cast.lea,
        row.id,
        kind="transfer",
        amount=amount,
        currency="CHF",
        on=clock.now().date(),
        now=clock.now(),
    )
    db.session.commit()


def test_returned_amounts_by_currency_are_hidden_below_three_cases(cast: Cast) -> None:
    for number in range(2):
        _returned_in_new_case(cast, f"CIV-R-{number}", "1000")
    ((currency, count, total),) = statistics.network_statistics(
        cast.secretariat, clock.now()
    ).returned
    assert currency == "CHF"
    assert count.suppressed
    assert total.suppressed

    _returned_in_new_case(cast, "CIV-R-2", "500.50")
    ((currency, count, total),) = statistics.network_statistics(
        cast.secretariat, clock.now()
    ).returned
    assert (count.value, total.value) == (3, Decimal("2500.5000"))

    own = statistics.state_statistics(cast.amina, clock.now())
    assert [(row.currency, row.count, row.total) for row in own.returned] == [
        ("CHF", 3, Decimal("2500.5000"))
    ]
    assert statistics.state_statistics(cast.chen, clock.now()).returned == []
