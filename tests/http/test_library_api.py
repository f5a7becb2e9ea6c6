"""The library, technical assistance and "who do I ask" over REST, as their keepers and readers."""

from __future__ import annotations

from typing import Any

import pytest

from network.core import clock
from network.directory import authorities, focal_points
from network.extensions import db
from network.library.documents import create_document
from tests.conftest import Cast

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)

TODAY = "2026-11-30"
GUIDE = {
    "kind": "guide",
    "versions": [
        {
            "language": "en",
            "title": "Guide to non-conviction-based confiscation",
            "summary": "How to ask for confiscation without a conviction.",
            "body": "A requesting State first checks whether the requested State enforces "
            "foreign orders of confiscation made without a criminal conviction.",
            "dated_on": TODAY,
        },
        {
            "language": "ar",
            "title": "دليل المصادرة دون الاستناد إلى إدانة",
            "summary": "كيف تطلب المصادرة دون إدانة.",
            "body": "تتحقق الدولة الطالبة أولا من أن الدولة متلقية الطلب "
            "تنفذ أوامر المصادرة الأجنبية.",
            "dated_on": TODAY,
        },
    ],
}


def _publish(api: Any, **values: Any) -> Any:
    return api.post("/library", json={**GUIDE, **values})


def test_the_secretariat_publishes_and_everyone_finds_it_in_english_and_arabic(
    cast: Cast, api_as: Any
) -> None:
    published = _publish(api_as(cast.secretariat))
    assert published.status_code == 201, published.json
    lea = api_as(cast.lea)

    english = lea.get("/library", query_string={"q": "confiscation"}).json
    arabic = lea.get("/library", query_string={"q": "مصادرة"}).json
    accented = lea.get("/library", query_string={"q": "CONFISCATION conviction"}).json

    assert [each["id"] for each in english["items"]] == [published.json["id"]]
    assert english["items"][0]["matched_language"] == "en"
    assert [each["id"] for each in arabic["items"]] == [published.json["id"]]
    assert arabic["items"][0]["matched_language"] == "ar"
    assert arabic["items"][0]["title"] == "دليل المصادرة دون الاستناد إلى إدانة"
    assert accented["total"] == 1
    assert lea.get("/library", query_string={"q": "extradition"}).json["total"] == 0
    assert (
        lea.get("/library", query_string={"q": "confiscation", "kind": "form"}).json["total"] == 0
    )
    shown = lea.get(f"/library/{published.json['id']}").json
    assert [each["language"] for each in shown["versions"]] == ["ar", "en"]
    assert shown["may_edit"] is False


def test_a_practitioner_may_not_publish_and_is_told_who_keeps_the_library(
    cast: Cast, api_as: Any
) -> None:
    refused = _publish(api_as(cast.lea))

    assert refused.status_code == 403
    assert "network administrator keeps the library" in refused.json["message"]


def test_a_national_administrator_keeps_only_their_own_states_notes(
    cast: Cast, api_as: Any
) -> None:
    yao = api_as(cast.yao)
    note = {
        "kind": "how_to_cooperate",
        "versions": [
            {"language": "fr", "title": "Coopérer avec la Côte d'Ivoire", "dated_on": TODAY}
        ],
    }

    own = yao.post("/library", json={**note, "state": "CIV"})
    other = yao.post("/library", json={**note, "state": "CHE"})
    guide = _publish(yao)
    stateless = yao.post("/library", json=note)

    assert own.status_code == 201, own.json
    assert own.json["may_edit"] is True
    assert (other.status_code, guide.status_code) == (403, 403)
    assert stateless.status_code == 403
    found = api_as(cast.lea).get("/library", query_string={"q": "cote divoire"}).json
    assert [each["id"] for each in found["items"]] == [own.json["id"]]


def test_a_keeper_edits_and_deletes_and_the_index_follows(cast: Cast, api_as: Any) -> None:
    admin = api_as(cast.secretariat)
    document = _publish(admin).json
    stale = f'"{document["version"]}"'

    changed = admin.patch(
        f"/library/{document['id']}",
        json={
            "versions": [{"language": "en", "title": "Guide to asset tracing", "dated_on": TODAY}]
        },
        headers={"If-Match": stale},
    )
    again = admin.patch(
        f"/library/{document['id']}", json={"kind": "form"}, headers={"If-Match": stale}
    )

    assert changed.status_code == 200, changed.json
    assert again.status_code == 412
    assert admin.get("/library", query_string={"q": "confiscation"}).json["total"] == 0
    assert admin.get("/library", query_string={"q": "tracing"}).json["total"] == 1
    assert api_as(cast.lea).delete(f"/library/{document['id']}").status_code == 403
    assert admin.delete(f"/library/{document['id']}").status_code == 204
    assert admin.get(f"/library/{document['id']}").status_code == 404
    assert admin.get("/library", query_string={"q": "tracing"}).json["total"] == 0


def test_a_document_needs_a_version_and_each_language_once(cast: Cast, api_as: Any) -> None:
    admin = api_as(cast.secretariat)
    version = GUIDE["versions"][0]

    empty = _publish(admin, versions=[])
    twice = _publish(admin, versions=[version, version])
    homeless = _publish(admin, kind="how_to_cooperate")

    assert empty.status_code == 422
    assert twice.status_code == 422
    assert "versions" in twice.json["errors"]
    assert homeless.status_code == 422
    assert "state" in homeless.json["errors"]


def test_the_list_pages_without_a_query(cast: Cast, api_as: Any) -> None:
    admin = api_as(cast.secretariat)
    for number in range(3):
        _publish(admin, versions=[{**GUIDE["versions"][0], "title": f"Guide {number}"}])

    first = admin.get("/library", query_string={"per_page": 2}).json
    second = admin.get("/library", query_string={"per_page": 2, "page": 2}).json

    assert (first["total"], len(first["items"]), len(second["items"])) == (3, 2, 1)


def test_technical_assistance_is_counted_across_the_network_and_shown_by_state_to_the_secretariat(
    cast: Cast, api_as: Any
) -> None:
    for user in (cast.amina, cast.lea, cast.camille):
        answer = api_as(user).post(
            "/technical-assistance", json={"direction": "need", "area": "asset_tracing"}
        )
        assert answer.status_code == 201, answer.json
    api_as(cast.yao).post("/technical-assistance", json={"direction": "offer", "area": "training"})

    seen = api_as(cast.chen).get("/technical-assistance").json
    figures = {each["area"]: each for each in seen["figures"]}
    by_state = api_as(cast.secretariat).get("/technical-assistance").json

    assert figures["asset_tracing"]["needs"] == 3
    assert figures["training"]["offers"] is None  # one State: suppressed
    assert figures["legislative_drafting"]["needs"] == 0
    assert seen["items"] == []  # China recorded nothing, and sees no other State's
    assert sorted(each["state"] for each in by_state["items"]) == ["CHE", "CIV", "CIV", "FRA"]
    refused = api_as(cast.lea).get("/technical-assistance", query_string={"state": "CIV"})
    assert refused.status_code == 403


def test_a_state_changes_only_its_own_needs(cast: Cast, api_as: Any) -> None:
    need = (
        api_as(cast.amina)
        .post("/technical-assistance", json={"direction": "need", "area": "training"})
        .json
    )

    met = api_as(cast.yao).patch(f"/technical-assistance/{need['id']}", json={"status": "met"})
    foreign = api_as(cast.lea).patch(f"/technical-assistance/{need['id']}", json={"status": "met"})
    observer = api_as(cast.observer).post(
        "/technical-assistance", json={"direction": "need", "area": "training"}
    )

    assert (met.status_code, met.json["status"]) == (200, "met")
    assert foreign.status_code == 404
    assert observer.status_code == 403


def test_who_to_ask_proposes_the_central_authority_and_its_focal_points(
    cast: Cast, api_as: Any
) -> None:
    now = clock.now()
    authority = authorities.create_authority(
        cast.yao,
        "CIV",
        {"kind": "mla_central_authority", "name": "Direction des affaires pénales"},
        now=now,
    )
    police = authorities.create_authority(
        cast.yao, "CIV", {"kind": "police", "name": "Police"}, now=now
    )
    person = focal_points.create_focal_point(
        cast.yao,
        {"authority_id": authority.id, "name": "Awa Traoré", "expertise": ["mla"]},
        now=now,
    )
    note = create_document(
        cast.yao,
        {
            "kind": "how_to_cooperate",
            "state": "CIV",
            "versions": [{"language": "fr", "title": "Coopérer", "dated_on": now.date()}],
        },
        now=now,
    )
    db.session.commit()
    lea = api_as(cast.lea)

    proposal = lea.get(
        "/directory/who-to-ask", query_string={"assistance": "mla", "asset_state": "CIV"}
    )
    none = lea.get(
        "/directory/who-to-ask", query_string={"assistance": "mla", "asset_state": "CHE"}
    ).json
    wrong = lea.get(
        "/directory/who-to-ask", query_string={"assistance": "tea", "asset_state": "CIV"}
    )

    assert proposal.status_code == 200, proposal.json
    assert [each["id"] for each in proposal.json["authorities"]] == [authority.id]
    assert police.id not in [each["id"] for each in proposal.json["authorities"]]
    assert [each["id"] for each in proposal.json["focal_points"]] == [person.id]
    assert (none["authorities"], none["focal_points"]) == ([], [])
    assert [each["id"] for each in proposal.json["cooperation_notes"]] == [note.id]
    assert wrong.status_code == 422
    unknown = lea.get(
        "/directory/who-to-ask", query_string={"assistance": "mla", "asset_state": "XYZ"}
    )
    assert unknown.status_code == 422
    assert "asset_state" in unknown.json["errors"]
