"""The directory over REST: search, States, authorities, focal points, exchange, permissions."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from network.directory.models import Authority
from network.extensions import db

if TYPE_CHECKING:
    from tests.directory_fixtures import SmallDirectory

pytest_plugins = ["tests.directory_fixtures"]


def test_search_finds_cote_divoire_first_in_three_scripts(small_directory: SmallDirectory, api_as):
    api = api_as(small_directory.cast.lea)
    for query in ("cote divoire", "Кот-д'Ивуар", "科特迪瓦"):
        body = api.get("/search", query_string={"q": query}).json
        first = body["items"][0]
        assert (first["type"], first["id"], first["state"]) == ("state", "CIV", "CIV"), query
        assert body["page"] == 1
        assert body["total"] >= 1


def test_search_answers_paginated_items_with_ranges_and_no_html(
    small_directory: SmallDirectory, api_as
):
    body = (
        api_as(small_directory.cast.lea)
        .get("/search", query_string={"q": "Aminata", "per_page": 1})
        .json
    )
    item = body["items"][0]
    assert item["type"] == "focal_point"
    assert item["label"] == "Aminata Koné"
    assert "highlighted" not in item
    assert not any("<" in str(value) for value in item.values())
    assert item["highlights"] == [[0, 7]]
    assert item["url"] == f"/directory/focal-points/{small_directory.civ_person.id}"


def test_search_filters_are_checked(small_directory: SmallDirectory, api_as):
    response = api_as(small_directory.cast.lea).get("/search", query_string={"region": "mars"})
    assert response.status_code == 422
    assert "region" in response.json["errors"]


def test_states_and_profiles_are_readable_by_everyone_signed_in(small_directory, api_as, client):
    api = api_as(small_directory.cast.observer)
    state = api.get("/states/CIV").json
    assert state["names"]["ru"] == "Кот-д’Ивуар"
    assert state["region"] == "african"
    assert api.get("/states", query_string={"region": "weog", "per_page": 5}).json["total"] == 29
    assert api.get("/states/XXX").status_code == 404
    assert api.get("/states/CIV/profile").status_code == 404
    assert client.get("/api/v1/states").status_code == 401


def test_a_national_administrator_edits_their_own_state_over_the_api(small_directory, api_as):
    yao = api_as(small_directory.cast.yao)
    created = yao.post(
        "/authorities",
        json={
            "state": "CIV",
            "kind": "fiu",
            "name": "Cellule de renseignement financier",
            "languages": ["fra"],
            "phone_24_7": "+225 27 20 00 00 00",
            "time_zone": "Africa/Abidjan",
            "networks": [{"network": "egmont", "status": "member"}],
        },
    )
    assert created.status_code == 201, created.json
    assert created.json["languages"] == ["fr"]
    assert created.json["stale"] is False
    changed = yao.patch(f"/authorities/{created.json['id']}", json={"office_days": "1234"})
    assert changed.status_code == 200
    assert changed.json["office_days"] == "1234"
    profile = yao.post("/states/CIV/profile", json={"dual_criminality": "no", "note": "first"})
    assert profile.status_code == 201
    assert profile.json["version"] == 1
    assert {"label": "Dual criminality", "value": "Not required"} in profile.json["checklist"]


def test_a_national_administrator_of_state_a_gets_403_editing_state_b(small_directory, api_as):
    olga = api_as(small_directory.cast.olga)
    civ = small_directory.civ_mla.id
    assert olga.patch(f"/authorities/{civ}", json={"name": "Taken over"}).status_code == 403
    assert (
        olga.patch(
            f"/focal-points/{small_directory.civ_person.id}", json={"title": "x"}
        ).status_code
        == 403
    )
    assert olga.post("/states/CIV/profile", json={"note": "x"}).status_code == 403
    assert olga.post(f"/directory/authorities/{civ}/confirm").status_code == 403
    assert (
        olga.post("/authorities", json={"state": "CIV", "kind": "fiu", "name": "X"}).status_code
        == 403
    )
    assert db.session.get(Authority, civ).name == "Autorité centrale d'entraide"


def test_practitioners_and_network_admins_do_not_edit_entries(small_directory, api_as):
    civ = small_directory.civ_mla.id
    assert (
        api_as(small_directory.cast.amina)
        .patch(f"/authorities/{civ}", json={"name": "x"})
        .status_code
        == 403
    )
    secretariat = api_as(small_directory.cast.secretariat)
    assert secretariat.patch(f"/authorities/{civ}", json={"name": "x"}).status_code == 403
    changed = secretariat.patch("/states/CIV", json={"uncac_status": "party", "region": "african"})
    assert changed.status_code == 200
    assert changed.json["is_demo_data"] is False
    assert (
        api_as(small_directory.cast.yao).patch("/states/CIV", json={"region": "weog"}).status_code
        == 403
    )


def test_bad_input_is_refused_with_the_field_named(small_directory, api_as):
    yao = api_as(small_directory.cast.yao)
    civ = small_directory.civ_mla.id
    for body, field in [
        ({"email": "nope"}, "email"),
        ({"phone": "call me"}, "phone"),
        ({"time_zone": "Africa/Atlantis"}, "time_zone"),
        ({"languages": ["zz"]}, "languages"),
        ({"name": "x" * 301}, "name"),
        ({"colour": "red"}, "colour"),
    ]:
        response = yao.patch(f"/authorities/{civ}", json=body)
        assert response.status_code == 422, body
        assert field in response.json["errors"], response.json
    unknown_state = yao.post("/authorities", json={"state": "ZZZ", "kind": "fiu", "name": "X"})
    assert unknown_state.status_code == 422
    assert "state" in unknown_state.json["errors"]


def test_focal_points_link_to_users_of_their_own_state_only(small_directory, api_as):
    yao = api_as(small_directory.cast.yao)
    person = small_directory.civ_person.id
    assert (
        yao.patch(
            f"/focal-points/{person}", json={"user_id": small_directory.cast.olga.id}
        ).status_code
        == 422
    )
    linked = yao.patch(f"/focal-points/{person}", json={"user_id": small_directory.cast.yao.id})
    assert linked.status_code == 200
    assert linked.json["user_id"] == small_directory.cast.yao.id


def test_vcards_download(small_directory, api_as):
    api = api_as(small_directory.cast.lea)
    card = api.get(f"/directory/focal-points/{small_directory.rus_person.id}/vcard")
    assert card.status_code == 200
    assert card.mimetype == "text/vcard"
    assert "FN:Дмитрий Волков" in card.text
    assert "BEGIN:VCARD" in card.text
    card = api.get(f"/directory/authorities/{small_directory.civ_mla.id}/vcard")
    assert "EMAIL;TYPE=work:mla@civ.example" in card.text


def test_export_and_import_over_the_api(small_directory, api_as):
    secretariat = api_as(small_directory.cast.secretariat)
    document = json.loads(secretariat.get("/directory/export").text)
    assert document["format"] == "arnet-directory"
    csv_text = secretariat.get(
        "/directory/export", query_string={"format": "csv", "kind": "authorities"}
    ).text
    assert csv_text.startswith("key,state,kind,name")
    again = secretariat.post("/directory/import", json=document)
    assert again.status_code == 200
    assert again.json["imported"]["authorities"] == 3
    bad = secretariat.post(
        "/directory/import",
        query_string={"format": "csv", "kind": "authorities"},
        data="key,state\nx,CIV\n",
        content_type="text/csv",
    )
    assert bad.status_code == 422
    assert "header: kind" in bad.json["errors"]
    olga = api_as(small_directory.cast.olga)
    refused = olga.post("/directory/import", json=document)
    assert refused.status_code == 422
    assert any("state" in key for key in refused.json["errors"])
    assert (
        api_as(small_directory.cast.lea).post("/directory/import", json=document).status_code == 403
    )


def test_openapi_describes_the_directory(app, client):
    spec = client.get("/api/v1/openapi.json").json
    for path in (
        "/api/v1/search",
        "/api/v1/states/{code}/profile",
        "/api/v1/authorities/{authority_id}",
        "/api/v1/focal-points/{focal_point_id}",
        "/api/v1/directory/import",
    ):
        assert path in spec["paths"], path
