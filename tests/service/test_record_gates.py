"""A case's records refuse whoever may not see the case in the words they use when absent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from network.asks import service as asks
from network.assistance import access
from network.core import clock
from network.core.errors import NotFound
from network.recovery import assets, measures, subjects
from tests.conftest import Cast
from tests.stories import open_freeze, sent_request

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)

NOWHERE = 987_654
GATES: dict[str, Callable[[Any, int], object]] = {
    "request": access.access_request,
    "subject": subjects.access_subject,
    "asset": assets.access_asset,
    "measure": measures.access_measure,
    "ask": asks.access_ask,
}


@pytest.mark.parametrize("who", ["chen", "olga", "observer", "secretariat"])
def test_another_states_records_are_refused_as_if_they_did_not_exist(cast: Cast, who: str) -> None:
    freeze = open_freeze(cast)
    subject = subjects.record_subject(
        cast.amina, freeze.story.case.id, kind="natural", names=["K. Traoré"],
        requested_state="CHE", now=clock.now(),
    )
    ids = {
        "request": sent_request(cast, freeze.story, clock.now()).id,
        "subject": subject.id,
        "asset": freeze.asset.id,
        "measure": freeze.measure.id,
        "ask": asks.create_ask(
            cast.lea, freeze.story.case.id, kind="call", channel=freeze.story.che.id,
            due_on=clock.now().date(), text="A call?", now=clock.now(),
        ).id,
    }
    outsider = getattr(cast, who)

    for record, gate in GATES.items():
        with pytest.raises(NotFound) as hidden:
            gate(outsider, ids[record])
        with pytest.raises(NotFound) as absent:
            gate(outsider, NOWHERE)

        assert hidden.value.message == absent.value.message == f"No such {record}."
