"""Sharing subjects and assets into a multilateral channel: explicit, by the owner side only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from network.core import clock
from network.extensions import db
from network.recovery import assets, subjects
from tests.conftest import Cast, csrf_from
from tests.stories import TableStory, table_story

MISSING = 987_654


@dataclass
class Told:
    story: TableStory
    subject: int  # recorded by Aminata (CIV) with Switzerland
    asset: int  # recorded by Léa (CHE)
    french_subject: int  # recorded by Aminata with France, never shared


@pytest.fixture
def told(cast: Cast) -> Told:
    story = table_story(cast)
    now = clock.now()
    subject = subjects.record_subject(
        cast.amina,
        story.case.id,
        kind="natural",
        names=["Ignatius Quillfeather"],
        requested_state="CHE",
        now=now,
    )
    french = subjects.record_subject(
        cast.amina,
        story.case.id,
        kind="natural",
        names=["Bilateral Wrenhollow"],
        requested_state="FRA",
        now=now,
    )
    asset = assets.record_asset(
        cast.lea,
        story.case.id,
        kind="bank_account",
        location_state="CHE",
        description="Quillfeather account",
        now=now,
    )
    db.session.commit()
    return Told(story, subject.id, asset.id, french.id)


def _shares(client: Any, table: int) -> Any:
    return client.get(f"/channels/{table}/shares")


def test_nothing_bilateral_is_at_the_table_until_shared(cast: Cast, told: Told, api_as: Any):
    answer = _shares(api_as(cast.lea), told.story.table.id)

    assert answer.status_code == 200, answer.text
    assert answer.get_json()["items"] == []


def test_the_owner_side_shares_and_the_accepted_state_reads_it(
    cast: Cast, told: Told, api_as: Any
) -> None:
    table = told.story.table.id
    amina, lea = api_as(cast.amina), api_as(cast.lea)

    shared = amina.post(f"/channels/{table}/shares", json={"subject": told.subject})
    also = lea.post(f"/channels/{table}/shares", json={"asset": told.asset})
    again = amina.post(f"/channels/{table}/shares", json={"subject": told.subject})

    assert shared.status_code == 201, shared.text
    assert also.status_code == 201, also.text
    assert again.status_code == 409
    items = _shares(lea, table).get_json()["items"]
    assert items[0]["subject"]["names"] == ["Ignatius Quillfeather"]
    assert items[0]["asset"] is None
    assert items[1]["asset"]["description"] == "Quillfeather account"
    assert "Wrenhollow" not in _shares(lea, table).text


def test_only_the_owner_side_shares_or_withdraws(cast: Cast, told: Told, api_as: Any) -> None:
    table = told.story.table.id
    amina, lea = api_as(cast.amina), api_as(cast.lea)

    refused = lea.post(f"/channels/{table}/shares", json={"subject": told.subject})
    assert refused.status_code == 403
    assert (
        amina.post(f"/channels/{table}/shares", json={"subject": told.subject}).status_code == 201
    )
    assert lea.delete(f"/channels/{table}/shares/subjects/{told.subject}").status_code == 403

    withdrawn = amina.delete(f"/channels/{table}/shares/subjects/{told.subject}")
    twice = amina.delete(f"/channels/{table}/shares/subjects/{told.subject}")

    assert withdrawn.status_code == 204
    assert twice.status_code == 404
    assert _shares(lea, table).get_json()["items"] == []


def test_a_bilateral_channel_holds_no_shares(cast: Cast, told: Told, api_as: Any) -> None:
    che = told.story.bilateral["CHE"].id

    answer = api_as(cast.amina).post(f"/channels/{che}/shares", json={"subject": told.subject})

    assert answer.status_code == 409


def test_name_exactly_one_record(cast: Cast, told: Told, api_as: Any) -> None:
    table = told.story.table.id
    amina = api_as(cast.amina)

    assert amina.post(f"/channels/{table}/shares", json={}).status_code == 422
    both = {"subject": told.subject, "asset": told.asset}
    assert amina.post(f"/channels/{table}/shares", json=both).status_code == 422


@pytest.mark.parametrize("who", ["camille", "chen", "olga"])
def test_a_declined_pending_or_uninvolved_state_reads_no_share(
    cast: Cast, told: Told, api_as: Any, who: str
) -> None:
    table = told.story.table.id
    api_as(cast.amina).post(f"/channels/{table}/shares", json={"subject": told.subject})
    client = api_as(getattr(cast, who))

    hidden, missing = _shares(client, table), _shares(client, MISSING)
    shared = client.post(f"/channels/{table}/shares", json={"subject": told.french_subject})

    assert hidden.status_code == 404
    assert hidden.get_json() == missing.get_json()
    assert "Quillfeather" not in hidden.text
    assert shared.status_code == 404


# --- pages -----------------------------------------------------------------------------------


def test_the_owner_side_shares_and_withdraws_from_the_page(
    cast: Cast, told: Told, browser_as: Any
) -> None:
    case, table = told.story.case.id, told.story.table.id
    amina, lea = browser_as(cast.amina), browser_as(cast.lea)
    page = amina.get(f"/cases/{case}?channel={table}")
    assert f'value="subject:{told.subject}"' in page.text
    assert f'value="asset:{told.asset}"' not in page.text  # Léa's side recorded it
    token = csrf_from(page.text)

    shared = amina.post(
        f"/cases/{case}/channels/{table}/shares",
        data={"csrf_token": token, "share-record": f"subject:{told.subject}"},
    )
    seen = lea.get(f"/cases/{case}?channel={table}")
    withdrawn = amina.post(
        f"/cases/{case}/channels/{table}/shares/withdraw",
        data={"csrf_token": token, "share-record": f"subject:{told.subject}"},
    )
    gone = lea.get(f"/cases/{case}?channel={table}")

    assert shared.status_code == 303
    assert "Ignatius Quillfeather" in seen.text
    assert withdrawn.status_code == 303
    assert "Ignatius Quillfeather" not in gone.text
    assert "Wrenhollow" not in seen.text


@pytest.mark.parametrize("who", ["camille", "chen"])
def test_a_declined_or_pending_state_cannot_share_from_the_page(
    cast: Cast, told: Told, browser_as: Any, who: str
) -> None:
    browser = browser_as(getattr(cast, who))
    token = csrf_from(browser.get(f"/cases/{told.story.case.id}").text)

    answer = browser.post(
        f"/cases/{told.story.case.id}/channels/{told.story.table.id}/shares",
        data={"csrf_token": token, "share-record": f"subject:{told.french_subject}"},
    )

    assert answer.status_code == 404
