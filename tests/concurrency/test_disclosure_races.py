"""Officers of the receiving State acting on one disclosure at once: one step, one case."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from network.cases.models import Case
from network.core import clock
from network.disclosures import service as disclosures
from network.disclosures.models import DisclosureEvent
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

pytestmark = pytest.mark.parametrize("database_url", ENGINES, indirect=True)

N = 8


def _sent(cast: Cast) -> int:
    """Côte d'Ivoire tells Switzerland of its own accord."""
    disclosure = disclosures.send_disclosure(
        cast.amina,
        kind="spontaneous_56",
        to_state="CHE",
        summary="Proceeds passed through a Zurich trust",
        now=clock.now(),
    )
    db.session.commit()
    return disclosure.id


def _steps(disclosure_id: int) -> list[str]:
    db.session.rollback()
    return list(
        db.session.scalars(
            select(DisclosureEvent.to_status)
            .where(DisclosureEvent.disclosure_id == disclosure_id)
            .order_by(DisclosureEvent.id)
        )
    )


def test_eight_acknowledgements_at_once_acknowledge_once(app: Flask, cast: Cast):
    disclosure_id = _sent(cast)
    officers = clients(cast.lea, N)

    answers = race(
        N,
        lambda i: officers[i].post(
            f"/disclosures/{disclosure_id}/acknowledge", json={"note": f"Seen by {i}"}
        ),
    )

    _winner, losers = one_winner(answers, 200)
    for loser in losers:
        assert loser.json["errors"]["current"] == ["acknowledged"]
        assert loser.json["errors"]["allowed"] == ["followed_up", "no_action"]
    assert _steps(disclosure_id) == ["sent", "acknowledged"]
    assert audited("disclosure.status_changed", disclosure_id) == 1
    assert_chain_holds()


def test_eight_officers_opening_a_case_from_one_disclosure_open_one(app: Flask, cast: Cast):
    disclosure_id = _sent(cast)
    officers = clients(cast.lea, N)

    answers = race(
        N, lambda i: officers[i].post(f"/disclosures/{disclosure_id}/open-case", json={})
    )

    winner, losers = one_winner(answers, 201)
    for loser in losers:
        assert loser.json["errors"] == {"current": ["followed_up"], "allowed": []}
    assert _steps(disclosure_id) == ["sent", "followed_up"]
    assert db.session.scalar(select(func.count(Case.id))) == 1
    assert winner.json["led_to_case"] is not None
    assert audited("disclosure.case_opened", disclosure_id) == 1
    assert_chain_holds()
