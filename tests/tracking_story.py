"""A tracking story for the reminder, calendar and figure tests: a freeze in Switzerland.

Côte d'Ivoire (Aminata) asks Switzerland (Léa) and France (Camille); Switzerland
freezes an account in Geneva. Every service is called with an explicit ``now``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from network.assistance import requests
from network.assistance.models import AssistanceRequest
from network.directory.models import State
from network.extensions import db
from network.recovery import assets, measures
from network.recovery.models import Asset, ProvisionalMeasure
from tests.conftest import Cast
from tests.stories import Story, open_story

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

CONTENTS = {
    "requesting_authority": "Pôle pénal économique et financier, Abidjan",
    "subject_and_nature": "Embezzlement of public funds by port officials",
    "summary_of_facts": "Funds diverted in 2021-2022 to accounts in Geneva.",
    "assistance_sought": "Freezing of account CH93 0076 2011 6238 5295 7",
    "persons_concerned": "K. Traoré, Ivorian national",
    "purpose": "Preserve the funds for confiscation",
}


@dataclass
class Freeze:
    story: Story
    asset: Asset
    measure: ProvisionalMeasure


def set_zone(code: str, zone: str) -> None:
    state = db.session.get(State, code)
    assert state is not None
    state.time_zone = zone
    db.session.commit()


def open_freeze(
    cast: Cast,
    *,
    effective_on: date = date(2026, 1, 5),
    expires_on: date = date(2026, 3, 31),
    now: datetime = START,
    reference: str = "CIV-PNF-2024-17",
) -> Freeze:
    """Aminata opens the case; Léa records the account and Switzerland's freezing order."""
    story = open_story(cast)
    if reference != "CIV-PNF-2024-17":
        from network.cases import service as cases

        cases.set_own_reference(cast.amina, story.case.id, reference, now)
    asset = assets.record_asset(
        cast.lea,
        story.case.id,
        kind="bank_account",
        location_state="CHE",
        estimated_value="2500000.00",
        currency="CHF",
        description="Account at a Geneva bank",
        now=now,
    )
    measure = measures.record_measure(
        cast.lea,
        story.case.id,
        kind="freezing",
        asset_ids=[asset.id],
        issuing_authority="Ministère public de la Confédération",
        issuing_state="CHE",
        legal_basis="54_2_b",
        effective_on=effective_on,
        expires_on=expires_on,
        now=now,
    )
    db.session.commit()
    return Freeze(story, asset, measure)


def sent_request(
    cast: Cast, story: Story, now: datetime, *, deadline_on: date | None = None, **values: object
) -> AssistanceRequest:
    """Aminata records an MLA request to Switzerland and sends it; Léa marks it received."""
    request = requests.create_request(
        cast.amina,
        story.case.id,
        kind=str(values.pop("kind", "mla")),
        requested_state="CHE",
        legal_basis="uncac",
        legal_basis_text="UNCAC art. 46",
        transmission_channel="central_authority",
        contents=CONTENTS,
        deadline_on=deadline_on,
        deadline_reason="Trial opens in April" if deadline_on else "",
        now=now,
        **values,  # type: ignore[arg-type]
    )
    requests.transition(cast.amina, request.id, to="sent", now=now)
    requests.transition(cast.lea, request.id, to="received", now=now)
    db.session.commit()
    return request
