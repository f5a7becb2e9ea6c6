"""The cases REST API: members are served, everyone else gets the same 404 as for nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Cast
from tests.stories import Story, open_story, removed_member

MISSING = 987_654

# Every case-scoped route: (method, path with {case}, JSON body or None).
CASE_ROUTES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("get", "/cases/{case}", None),
    ("patch", "/cases/{case}", {"reference": "X-1"}),
    ("post", "/cases/{case}/team", {"user": 1}),
    ("delete", "/cases/{case}/team/1", None),
    ("post", "/cases/{case}/leave", None),
    ("get", "/cases/{case}/search?q=account", None),
    ("get", "/cases/{case}/history", None),
]


@pytest.fixture
def story(cast: Cast) -> Story:
    return open_story(cast)


def _call(client: Any, method: str, path: str, body: dict[str, Any] | None) -> Any:
    return (
        getattr(client, method)(path, json=body)
        if body is not None
        else getattr(client, method)(path)
    )


@pytest.mark.parametrize("who", ["chen", "olga", "observer", "removed", "secretariat"])
@pytest.mark.parametrize(("method", "path", "body"), CASE_ROUTES)
def test_outsiders_get_the_same_404_as_for_a_missing_case(
    cast: Cast,
    story: Story,
    api_as: Any,
    who: str,
    method: str,
    path: str,
    body: dict[str, Any] | None,
) -> None:
    outsider = removed_member(cast, story) if who == "removed" else getattr(cast, who)
    client = api_as(outsider)

    hidden = _call(client, method, path.format(case=story.case.id), body)
    missing = _call(client, method, path.format(case=MISSING), body)

    assert hidden.status_code == 404, hidden.text
    assert hidden.get_json() == missing.get_json()
    assert hidden.get_json()["reason"].endswith("not_found")
    assert "Port authority" not in hidden.text


@pytest.mark.parametrize("who", ["amina", "lea", "camille"])
def test_members_are_served_the_case(cast: Cast, story: Story, api_as: Any, who: str) -> None:
    answer = api_as(getattr(cast, who)).get(f"/cases/{story.case.id}")

    assert answer.status_code == 200, answer.text
    assert answer.get_json()["title"] == "Port authority embezzlement"


def test_an_invited_observer_is_served_the_case(cast: Cast, story: Story, api_as: Any) -> None:
    invited = api_as(cast.lea).post(
        f"/channels/{story.che.id}/observers", json={"user": cast.observer.id}
    )
    assert invited.status_code == 201, invited.text

    answer = api_as(cast.observer).get(f"/cases/{story.case.id}")

    assert answer.status_code == 200
    assert [c["requested_state"] for c in answer.get_json()["channels"]] == ["CHE"]


def test_opening_a_case_answers_the_case_as_its_opener_sees_it(cast: Cast, api_as: Any) -> None:
    answer = api_as(cast.amina).post(
        "/cases",
        json={
            "title": "Hospital procurement",
            "summary": "Kickbacks paid to offshore companies",
            "reference": "CIV-2025-3",
            "requested_states": ["che", "FRA"],
            "counterparts": [cast.lea.id],
        },
    )

    assert answer.status_code == 201, answer.text
    case = answer.get_json()
    assert case["requesting_state"] == "CIV"
    assert case["requested_states"] == ["CHE", "FRA"]
    assert case["stage"] == "informal_consultation"
    assert [c["requested_state"] for c in case["channels"]] == ["CHE", "FRA"]
    assert case["references"] == {"CIV": "CIV-2025-3"}
    assert case["unread"] == 0
    assert case["summary"] == "Kickbacks paid to offshore companies"
    assert [p["name"] for p in case["team"]] == ["Aminata Koné", "Léa Müller"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "T", "requested_states": ["CHE"], "counterparts": [4], "extra": 1}, "extra"),
        ({"requested_states": ["CHE"]}, "title"),
        ({"title": "T", "requested_states": []}, "requested_states"),
        ({"title": "T", "requested_states": ["CHN"], "counterparts": ["x"]}, "counterparts"),
        ({"title": "T", "requested_states": ["ZZZ"]}, "requested_states"),
    ],
)
def test_opening_a_case_with_bad_values_answers_422(
    cast: Cast, api_as: Any, body: dict[str, Any], field: str
) -> None:
    answer = api_as(cast.amina).post("/cases", json=body)

    assert answer.status_code == 422, answer.text
    assert field in answer.get_json()["errors"]


def test_counterparts_of_an_uninvolved_state_are_refused(cast: Cast, api_as: Any) -> None:
    answer = api_as(cast.amina).post(
        "/cases", json={"title": "T", "requested_states": ["CHE"], "counterparts": [cast.chen.id]}
    )

    assert answer.status_code == 422
    assert "counterparts" in answer.get_json()["errors"]


def test_the_case_list_is_paginated_with_unread_counts(
    cast: Cast, story: Story, api_as: Any
) -> None:
    open_story(cast)
    api_as(cast.lea).post(
        f"/channels/{story.che.id}/messages",
        json={"client_id": "l-1", "body": "Hello", "handling_code": "H0"},
    )

    first = api_as(cast.amina).get("/cases?per_page=1&page=2").get_json()
    assert first["total"] == 2
    assert first["page"] == 2
    [item] = first["items"]
    assert item["id"] == story.case.id
    assert item["unread"] == 1
    assert set(item) == {
        "id",
        "title",
        "requesting_state",
        "requested_states",
        "stage",
        "channels",
        "references",
        "unread",
        "opened_at",
        "integrity",
    }
    assert api_as(cast.chen).get("/cases").get_json() == {"items": [], "total": 0, "page": 1}


def test_team_routes_add_and_remove_a_colleague(cast: Cast, story: Story, api_as: Any) -> None:
    amina = api_as(cast.amina)

    added = amina.post(f"/cases/{story.case.id}/team", json={"user": cast.yao.id})
    assert added.status_code == 201, added.text
    assert "Yao Kouassi" in [p["name"] for p in added.get_json()["team"]]
    assert api_as(cast.yao).get(f"/cases/{story.case.id}").status_code == 200
    refused = amina.post(f"/cases/{story.case.id}/team", json={"user": cast.lea.id})
    assert refused.status_code == 422

    removed = amina.delete(f"/cases/{story.case.id}/team/{cast.yao.id}")
    assert removed.status_code == 204
    assert api_as(cast.yao).get(f"/cases/{story.case.id}").status_code == 404


def test_patch_sets_the_callers_reference_and_the_stage(
    cast: Cast, story: Story, api_as: Any
) -> None:
    lea = api_as(cast.lea).patch(f"/cases/{story.case.id}", json={"reference": "OFJ-88"})
    assert lea.status_code == 200, lea.text
    assert lea.get_json()["references"] == {"CIV": "CIV-PNF-2024-17", "CHE": "OFJ-88"}
    assert (
        api_as(cast.lea)
        .patch(f"/cases/{story.case.id}", json={"stage": "formal_request"})
        .status_code
        == 403
    )
    assert (
        api_as(cast.amina).patch(f"/cases/{story.case.id}", json={"stage": "nowhere"}).status_code
        == 422
    )
    assert api_as(cast.amina).patch(f"/cases/{story.case.id}", json={}).status_code == 422

    moved = api_as(cast.amina).patch(
        f"/cases/{story.case.id}", json={"stage": "formal_request", "reason": "Sent"}
    )
    assert moved.status_code == 200
    assert moved.get_json()["stage_history"][-1]["to"] == "formal_request"


def test_search_answers_only_the_callers_channels(cast: Cast, story: Story, api_as: Any) -> None:
    for client, channel, text in (
        (api_as(cast.amina), story.che, "Account at Banque Léman"),
        (api_as(cast.amina), story.fra, "Account at BNP"),
    ):
        client.post(
            f"/channels/{channel.id}/messages",
            json={"client_id": f"c-{channel.id}", "body": text, "handling_code": "H0"},
        )

    found = api_as(cast.lea).get(f"/cases/{story.case.id}/search?q=account").get_json()
    assert [m["body"] for m in found["items"]] == ["Account at Banque Léman"]
    assert api_as(cast.amina).get(f"/cases/{story.case.id}/search?q=").status_code == 422


def test_leaving_closes_the_case_to_the_leaver(cast: Cast, story: Story, api_as: Any) -> None:
    lea = api_as(cast.lea)

    assert lea.post(f"/cases/{story.case.id}/leave").status_code == 204
    assert lea.get(f"/cases/{story.case.id}").status_code == 404
    assert lea.get(f"/channels/{story.che.id}/messages").status_code == 404
