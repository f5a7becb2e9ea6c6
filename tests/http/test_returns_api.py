"""Confiscation and return over REST: the order, then the return with its arrangement, lines and
milestones; the other relationship and outsiders get the same 404 as for nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from network.core import clock
from network.extensions import db
from network.recovery import assets
from tests.conftest import Cast
from tests.stories import Story, open_story

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


def _days(n: int) -> str:
    return (clock.now().date() + timedelta(days=n)).isoformat()


def _vessel(cast: Cast, story: Story) -> int:
    asset = assets.record_asset(
        cast.lea, story.case.id, kind="vessel", location_state="CHE", now=clock.now()
    )
    db.session.commit()
    return asset.id


def _order(api, story: Story, asset: int, **overrides) -> dict:
    body = {
        "order_reference": "TPF SK.2025.31",
        "ordered_on": _days(-20),
        "finality": "final",
        "final_on": _days(-1),
        "assets": [{"asset": asset, "amount": "750000.00", "currency": "CHF"}],
        **overrides,
    }
    answer = api.post(f"/cases/{story.case.id}/confiscations", json=body)
    assert answer.status_code == 201, answer.json
    return answer.json


def test_both_sides_follow_a_return_from_the_order_to_the_last_milestone(
    cast: Cast, api_as
) -> None:
    story = open_story(cast)
    lea, amina = api_as(cast.lea), api_as(cast.amina)
    order = _order(lea, story, _vessel(cast, story))
    assert order["totals"] == [{"currency": "CHF", "amount": "750000.0000"}]

    opened = lea.post(
        f"/cases/{story.case.id}/returns",
        json={
            "confiscation": order["id"],
            "basis": "57_3_a",
            "arrangement": "arrangement",
            "terms": "Transfer to the treasury; yearly audit shared with CHE",
        },
    )
    assert opened.status_code == 201, opened.json
    ret = opened.json["id"]
    assert opened.json["next_step"] == "draft_shared"
    for step in ("draft_shared", "terms_agreed", "signed"):
        answer = amina.post(f"/returns/{ret}/steps", json={"step": step, "on": _days(0)})
        assert answer.status_code == 200, answer.json
    lines = [
        {
            "kind": "expense",
            "label": "Berth and insurance",
            "amount": "12500.50",
            "currency": "CHF",
        },
        {"kind": "transfer", "amount": "700000", "currency": "CHF", "on": _days(0)},
        {"kind": "beneficiary", "label": "Ministry of Health", "purpose": "Rural clinics"},
        {"kind": "compensation", "label": "Port pension fund", "amount": "900", "currency": "EUR"},
    ]
    for body in lines:
        answer = lea.post(f"/returns/{ret}/lines", json=body)
        assert answer.status_code == 201, answer.json
    milestone = amina.post(
        f"/returns/{ret}/milestones", json={"description": "Audit report", "due_on": _days(10)}
    )
    assert milestone.status_code == 201

    seen = amina.get(f"/cases/{story.case.id}/returns")
    assert seen.status_code == 200
    (item,) = seen.json["items"]
    assert item["signed_on"] == _days(0)
    assert item["transferred"] == [{"currency": "CHF", "amount": "700000.0000"}]
    assert item["expenses_deducted"] == [{"currency": "CHF", "amount": "12500.5000"}]
    assert item["beneficiaries"][0]["purpose"] == "Rural clinics"
    assert item["compensations"][0]["currency"] == "EUR"
    assert item["milestones"][0]["description"] == "Audit report"
    deadlines = lea.get("/deadlines").json["items"]
    assert [each["kind"] for each in deadlines if each["kind"] == "return_milestone"] == [
        "return_milestone"
    ]

    done = lea.post(
        f"/return-milestones/{item['milestones'][0]['id']}/done", json={"done_on": _days(0)}
    )
    assert done.status_code == 200
    assert done.json["milestones"][0]["done_on"] == _days(0)
    removed = lea.delete(f"/return-lines/{item['expenses'][0]['id']}")
    assert removed.status_code == 200
    assert removed.json["expenses"] == []


def test_clear_refusals_for_bad_amounts_currencies_and_totals(cast: Cast, api_as) -> None:
    story = open_story(cast)
    lea = api_as(cast.lea)
    order = _order(lea, story, _vessel(cast, story))
    ret = lea.post(
        f"/cases/{story.case.id}/returns",
        json={"confiscation": order["id"], "basis": "57_3_c", "arrangement": "case_by_case"},
    ).json["id"]
    for body, field in (
        ({"kind": "expense", "label": "x", "amount": "-1", "currency": "CHF"}, "amount"),
        ({"kind": "expense", "label": "x", "amount": "0", "currency": "CHF"}, "amount"),
        ({"kind": "expense", "label": "x", "amount": "5", "currency": "ABC"}, "currency"),
        ({"kind": "transfer", "amount": "5", "currency": "CHF"}, "on"),
        ({"kind": "transfer", "amount": "750000.01", "currency": "CHF", "on": _days(0)}, "amount"),
        ({"kind": "expense", "amount": "5", "currency": "CHF"}, "label"),
        ({"kind": "beneficiary", "label": "Ministry"}, "purpose"),
    ):
        answer = lea.post(f"/returns/{ret}/lines", json=body)
        assert answer.status_code == 422, (body, answer.json)
        assert field in answer.json["errors"], (body, answer.json)
        assert answer.json["message"]
    out_of_order = lea.post(f"/returns/{ret}/steps", json={"step": "signed", "on": _days(0)})
    assert out_of_order.status_code == 409
    assert out_of_order.json["errors"]["allowed"] == ["draft_shared"]


def test_the_other_requested_state_and_outsiders_get_404(cast: Cast, api_as) -> None:
    story = open_story(cast)
    lea = api_as(cast.lea)
    order = _order(lea, story, _vessel(cast, story))
    ret = lea.post(
        f"/cases/{story.case.id}/returns",
        json={"confiscation": order["id"], "basis": "57_3_a", "arrangement": "agreement"},
    ).json["id"]
    for outsider in (cast.camille, cast.chen, cast.secretariat):
        client = api_as(outsider)
        assert client.get(f"/returns/{ret}").status_code == 404
        assert client.get(f"/confiscations/{order['id']}").status_code == 404
        answer = client.post(
            f"/returns/{ret}/milestones", json={"description": "x", "due_on": _days(3)}
        )
        assert answer.status_code == 404
    assert api_as(cast.camille).get(f"/cases/{story.case.id}/returns").json["items"] == []


def test_the_terms_and_line_labels_are_sealed_at_rest(cast: Cast, api_as) -> None:
    story = open_story(cast)
    lea = api_as(cast.lea)
    order = _order(lea, story, _vessel(cast, story))
    ret = lea.post(
        f"/cases/{story.case.id}/returns",
        json={
            "confiscation": order["id"],
            "basis": "57_3_a",
            "arrangement": "agreement",
            "terms": "Plumtree terms",
        },
    ).json["id"]
    lea.post(
        f"/returns/{ret}/lines",
        json={
            "kind": "compensation",
            "label": "Plumtree victims",
            "amount": "5",
            "currency": "CHF",
        },
    )
    for table in ("case_returns", "return_lines", "confiscations"):
        rows = db.session.execute(text(f"SELECT * FROM {table}")).all()  # noqa: S608
        assert "Plumtree" not in repr(rows)
        assert "TPF SK" not in repr(rows)


def test_the_network_figures_hide_returned_amounts_resting_on_fewer_than_three_cases(
    cast: Cast, api_as, browser_as
) -> None:
    story = open_story(cast)
    lea = api_as(cast.lea)
    order = _order(lea, story, _vessel(cast, story))
    ret = lea.post(
        f"/cases/{story.case.id}/returns",
        json={"confiscation": order["id"], "basis": "57_3_a", "arrangement": "agreement"},
    ).json["id"]
    lea.post(
        f"/returns/{ret}/lines",
        json={"kind": "transfer", "amount": "1000", "currency": "CHF", "on": _days(0)},
    )
    figures = api_as(cast.secretariat).get("/statistics/network")
    assert figures.json["returned"] == [
        {
            "currency": "CHF",
            "count": {"value": None, "suppressed": True},
            "total": {"value": None, "suppressed": True},
        }
    ]
    page = browser_as(cast.secretariat).get("/statistics").text
    assert "Amounts returned by currency (art. 57)" in page
    assert "1000" not in page
    own = api_as(cast.amina).get("/statistics").json["returned"]
    assert [(row["currency"], row["total"]) for row in own] == [("CHF", "1000.0000")]
