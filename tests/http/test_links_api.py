"""What links to what over REST and on the case's links page: holders, the tree, matches."""

from __future__ import annotations

import pytest

from network.cases import opening
from network.core import clock
from network.extensions import db
from network.recovery import subjects
from tests.conftest import Cast, csrf_from
from tests.stories import Story, open_story


def _case(cast: Cast, api_as) -> tuple[Story, dict[str, int]]:
    """A company holding a Geneva account, whose beneficial owner is a PEP's brother."""
    story = open_story(cast)
    amina = api_as(cast.amina)

    def subject(name: str, kind: str = "natural", roles: list[str] | None = None) -> int:
        made = amina.post(
            f"/cases/{story.case.id}/subjects",
            json={"kind": kind, "names": [name], "roles": roles or [], "requested_state": "CHE"},
        )
        assert made.status_code == 201, made.json
        return made.json["id"]

    ids = {
        "pep": subject("Minister Kouadio Traoré", roles=["pep"]),
        "brother": subject("Yao Traoré", roles=["pep_family"]),
        "company": subject("Lagune Holdings SA", kind="legal"),
    }
    asset = amina.post(
        f"/cases/{story.case.id}/assets",
        json={"kind": "bank_account", "location_state": "CHE", "holder": ids["company"],
              "identifiers": {"IBAN": "CH93 0076 2011 6238 5295 7"}},
    )
    assert asset.status_code == 201, asset.json
    ids["asset"] = asset.json["id"]
    return story, ids


def test_a_holding_is_recorded_shown_in_the_tree_and_removed(cast: Cast, api_as) -> None:
    story, ids = _case(cast, api_as)
    lea, amina = api_as(cast.lea), api_as(cast.amina)

    linked = lea.post(
        f"/assets/{ids['asset']}/holders",
        json={"subject": ids["brother"], "kind": "family_member", "via": ids["pep"]},
    )
    assert linked.status_code == 201, linked.json
    assert linked.json["kind"] == "family_member"
    assert linked.json["via"] == ids["pep"]

    tree = amina.get(f"/cases/{story.case.id}/links")
    assert tree.status_code == 200, tree.json
    by_id = {each["id"]: each for each in tree.json["subjects"]}
    [held] = by_id[ids["brother"]]["assets"]
    assert (held["id"], held["holding"], held["via_name"]) == (
        ids["asset"], "family_member", "Minister Kouadio Traoré",
    )
    assert [each["holding"] for each in by_id[ids["company"]]["assets"]] == ["direct"]
    assert by_id[ids["pep"]]["assets"] == []
    assert tree.json["unheld_assets"] == []

    removed = amina.delete(f"/assets/{ids['asset']}/holders/{ids['brother']}")
    assert removed.status_code == 204
    again = amina.delete(f"/assets/{ids['asset']}/holders/{ids['brother']}")
    assert again.status_code == 404
    assert again.json["reason"] == "holding_not_found"


def test_a_holding_through_the_wrong_intermediary_is_refused_with_a_message(
    cast: Cast, api_as
) -> None:
    _story, ids = _case(cast, api_as)
    refused = api_as(cast.lea).post(
        f"/assets/{ids['asset']}/holders",
        json={"subject": ids["brother"], "kind": "beneficial_owner", "via": ids["pep"]},
    )
    assert refused.status_code == 422
    assert "via" in refused.json["errors"]
    unknown = api_as(cast.lea).post(
        f"/assets/{ids['asset']}/holders", json={"subject": ids["brother"], "kind": "cousin"}
    )
    assert unknown.status_code == 422
    assert "kind" in unknown.json["errors"]


@pytest.mark.parametrize("outsider", ["chen", "camille", "secretariat"])
def test_an_outsider_gets_not_found_for_the_tree_and_the_holders(
    cast: Cast, api_as, outsider: str
) -> None:
    story, ids = _case(cast, api_as)
    client = api_as(getattr(cast, outsider))
    if outsider != "camille":  # Camille sits in the case, on the French branch only
        assert client.get(f"/cases/{story.case.id}/links").status_code == 404
    else:
        assert client.get(f"/cases/{story.case.id}/links").json["subjects"] == []
    posted = client.post(
        f"/assets/{ids['asset']}/holders", json={"subject": ids["brother"], "kind": "direct"}
    )
    assert posted.status_code == 404
    deleted = client.delete(f"/assets/{ids['asset']}/holders/{ids['company']}")
    assert deleted.status_code == 404


def test_another_case_of_the_readers_state_is_pointed_out_and_no_other(
    cast: Cast, api_as
) -> None:
    story, ids = _case(cast, api_as)
    mine = opening.open_case(
        cast.amina, title="Second", summary="", reference="", requested_states=["CHE"],
        counterparts=[cast.lea.id], now=clock.now(),
    )
    theirs = opening.open_case(
        cast.chen, title="Elsewhere", summary="", reference="", requested_states=["RUS"],
        counterparts=[cast.olga.id], now=clock.now(),
    )
    db.session.commit()
    for actor, case_id, state in ((cast.amina, mine.id, "CHE"), (cast.chen, theirs.id, "RUS")):
        subjects.record_subject(
            actor, case_id, kind="legal", names=["LAGUNE holdings s.a."],
            requested_state=state, now=clock.now(),
        )
    db.session.commit()

    tree = api_as(cast.amina).get(f"/cases/{story.case.id}/links").json
    company = next(each for each in tree["subjects"] if each["id"] == ids["company"])
    assert company["matches"] == [{"case": mine.id, "on": ["name"], "may_open": True}]
    # China's case holds the same name: never pointed out to Côte d'Ivoire, nor the reverse.
    assert all(each["case"] != theirs.id for subject in tree["subjects"]
               for each in subject["matches"])
    chinese = api_as(cast.chen).get(f"/cases/{theirs.id}/links").json
    assert chinese["subjects"][0]["matches"] == []


# --- the page -------------------------------------------------------------------------------------


def test_the_links_page_shows_the_tree_and_adds_a_holding_by_name(
    cast: Cast, api_as, browser_as
) -> None:
    story, ids = _case(cast, api_as)
    browser = browser_as(cast.lea)
    page = browser.get(f"/cases/{story.case.id}/tracking/links")
    assert page.status_code == 200
    assert "Lagune Holdings SA" in page.text
    assert "<details" in page.text
    # The form names subjects and assets by name, never asks for an id.
    assert f'<option value="{ids["brother"]}">Yao Traoré' in page.text

    added = browser.post(
        f"/cases/{story.case.id}/tracking/links",
        data={"csrf_token": csrf_from(page.text), "asset": str(ids["asset"]),
              "subject": str(ids["brother"]), "kind": "family_member", "via": str(ids["pep"])},
    )
    assert added.status_code == 302, added.text
    shown = browser.get(f"/cases/{story.case.id}/tracking/links").text
    assert "Family member of a politically exposed person" in shown

    refused = browser.post(
        f"/cases/{story.case.id}/tracking/links",
        data={"csrf_token": csrf_from(page.text), "asset": str(ids["asset"]),
              "subject": str(ids["brother"]), "kind": "beneficial_owner",
              "via": str(ids["pep"])},
    )
    assert refused.status_code == 422
    assert "Choose a legal person (the company)." in refused.text


def test_the_links_page_of_an_empty_case_says_so(cast: Cast, browser_as) -> None:
    story = open_story(cast)
    page = browser_as(cast.amina).get(f"/cases/{story.case.id}/tracking/links")
    assert page.status_code == 200
    assert "No subject or asset recorded yet." in page.text


def test_an_outsider_cannot_open_the_links_page(cast: Cast, browser_as) -> None:
    story = open_story(cast)
    assert browser_as(cast.chen).get(f"/cases/{story.case.id}/tracking/links").status_code == 404
