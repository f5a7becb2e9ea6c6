"""The tracking API over REST: requests, subjects, assets, measures, disclosures, permissions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from network.assistance.models import AssistanceRequest
from network.core import clock
from network.disclosures.models import Disclosure
from network.extensions import db
from network.recovery.models import Asset, MeasureExtension, ProvisionalMeasure
from tests.conftest import Cast
from tests.stories import Story, open_story

CONTENTS = {
    "requesting_authority": "PPEF Abidjan",
    "subject_and_nature": "Embezzlement",
    "summary_of_facts": "Funds moved to Geneva.",
    "assistance_sought": "Freeze account",
    "persons_concerned": "K. Traoré",
    "purpose": "Confiscation",
}


def _errors(response) -> dict:
    body = response.get_json()
    assert set(body) == {"code", "reason", "message", "errors"}, body
    assert body["code"] == response.status_code
    return body["errors"]


def _tracked_case(cast: Cast, api_as) -> tuple[Story, dict]:
    """A case with a request, a subject, an asset and a freezing order toward Switzerland."""
    story = open_story(cast)
    amina, lea = api_as(cast.amina), api_as(cast.lea)
    request = amina.post(
        f"/cases/{story.case.id}/requests",
        json={"kind": "freezing", "requested_state": "CHE", "legal_basis": "uncac",
              "transmission_channel": "central_authority",
              "contents": {**CONTENTS, "actions_requested": "Freeze the account as a whole"}},
    )
    assert request.status_code == 201, request.json
    subject = amina.post(
        f"/cases/{story.case.id}/subjects",
        json={"kind": "natural", "names": ["Kouadio Traoré"], "roles": ["pep"],
              "requested_state": "CHE"},
    )
    assert subject.status_code == 201, subject.json
    asset = amina.post(
        f"/cases/{story.case.id}/assets",
        json={"kind": "bank_account", "location_state": "CHE", "holder": subject.json["id"],
              "estimated_value": "1250000.50", "currency": "CHF",
              "identifiers": {"IBAN": "CH93 0076 2011 6238 5295 7"}},
    )
    assert asset.status_code == 201, asset.json
    today = clock.now().date()
    measure = lea.post(
        f"/cases/{story.case.id}/measures",
        json={"kind": "freezing", "assets": [asset.json["id"]], "issuing_state": "CHE",
              "issuing_authority": "MPC", "legal_basis": "54_2_b",
              "effective_on": today.isoformat(),
              "expires_on": (today + timedelta(days=30)).isoformat()},
    )
    assert measure.status_code == 201, measure.json
    return story, {
        "request": request.json["id"], "subject": subject.json["id"],
        "asset": asset.json["id"], "measure": measure.json["id"],
    }


def test_the_api_walks_a_case_from_consultation_to_return(cast: Cast, api_as) -> None:
    story, ids = _tracked_case(cast, api_as)
    amina, lea = api_as(cast.amina), api_as(cast.lea)
    request = ids["request"]

    shared = amina.post(f"/requests/{request}/share-for-comment")
    assert shared.status_code == 200
    assert shared.json["status"] == "shared_for_comment"
    messages = lea.get(f"/channels/{story.che.id}/messages?after_seq=0&limit=10").json
    assert "shared for comment" in messages["items"][0]["body"]
    for user, to in ((amina, "sent"), (lea, "received"), (lea, "in_execution"),
                     (lea, "executed")):
        moved = user.post(f"/requests/{request}/transitions", json={"to": to})
        assert moved.status_code == 201, moved.json
        assert moved.json["status"] == to
    detail = amina.get(f"/requests/{request}").json
    assert [step["to"] for step in detail["history"]] == [
        "draft", "shared_for_comment", "sent", "received", "in_execution", "executed",
    ]
    assert detail["direction"] == "outgoing"
    assert detail["allowed_steps"] == ["closed"]
    assert lea.get(f"/requests/{request}").json["direction"] == "incoming"

    measure = ids["measure"]
    assert lea.get(f"/measures/{measure}").json["status"] == "in_force"
    assert amina.get(f"/assets/{ids['asset']}").json["status"] == "frozen_or_seized"
    expiry = date.fromisoformat(lea.get(f"/measures/{measure}").json["current_expires_on"])
    for days in (60, 120):
        extended = lea.post(
            f"/measures/{measure}/extensions",
            json={"new_expires_on": (expiry + timedelta(days=days)).isoformat(),
                  "asked_by_state": "CIV"},
        )
        assert extended.status_code == 201, extended.json
        assert extended.json["status"] == "extended"
    assert amina.get(f"/measures/{measure}/extensions").json["total"] == 2
    replaced = lea.post(f"/measures/{measure}/replacement",
                        json={"confiscation_reference": "TPF-1"})
    assert replaced.json["status"] == "replaced"
    assert amina.get(f"/assets/{ids['asset']}").json["status"] == "confiscated"
    returned = lea.post(
        f"/assets/{ids['asset']}/returns",
        json={"basis": "57_3_a", "amount": "1200000.00", "currency": "CHF",
              "expenses_deducted": "15000"},
    )
    assert returned.status_code == 201, returned.json
    assert returned.json["status"] == "returned"
    assert returned.json["returns"][0]["net_amount"] == "1185000.0000"
    assert [step["to"] for step in returned.json["history"]] == [
        "identified", "frozen_or_seized", "confiscated", "returned",
    ]
    listed = amina.get(f"/cases/{story.case.id}/assets").json
    assert listed["total"] == 1
    assert listed["items"][0]["estimated_value"] == "1250000.5000"


def test_an_illegal_transition_answers_409_with_the_allowed_steps(cast: Cast, api_as) -> None:
    _story, ids = _tracked_case(cast, api_as)
    response = api_as(cast.amina).post(
        f"/requests/{ids['request']}/transitions", json={"to": "executed"}
    )
    assert response.status_code == 409
    assert response.json["reason"] == "transition_not_allowed"
    assert _errors(response)["allowed"] == ["shared_for_comment", "sent", "withdrawn"]
    assert db.session.get(AssistanceRequest, ids["request"]).status == "draft"


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("assets", {"kind": "vehicle", "location_state": "CHE", "estimated_value": "10",
                    "currency": "ABC"}, "currency"),
        ("assets", {"kind": "vehicle", "location_state": "CHE", "estimated_value": "-10",
                    "currency": "CHF"}, "estimated_value"),
        ("assets", {"kind": "vehicle", "location_state": "CHE", "estimated_value": 10.5,
                    "currency": "CHF"}, "estimated_value"),
        ("measures", {"kind": "freezing", "assets": [], "issuing_state": "CHE",
                      "issuing_authority": "MPC", "legal_basis": "54_2_b",
                      "effective_on": "2025-05-01", "expires_on": "2025-04-01"}, "expires_on"),
        ("requests", {"kind": "mla", "legal_basis": "uncac", "transmission_channel": "direct",
                      "requested_state": "CHE", "surprise": 1}, "surprise"),
    ],
    ids=["unknown-currency", "negative", "float", "expiry-before-effective", "unknown-field"],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(
    cast: Cast, api_as, path: str, body: dict, field: str
) -> None:
    story = open_story(cast)
    amina = api_as(cast.amina)
    if path == "measures":
        asset = amina.post(f"/cases/{story.case.id}/assets",
                           json={"kind": "vehicle", "location_state": "CHE"}).json
        body = {**body, "assets": [asset["id"]]}
    response = amina.post(f"/cases/{story.case.id}/{path}", json=body)
    assert response.status_code == 422, response.json
    assert field in _errors(response)
    assert db.session.scalar(select(func.count(ProvisionalMeasure.id))) == 0
    assert db.session.scalar(select(func.count(AssistanceRequest.id))) == 0
    if path == "assets":
        assert db.session.scalar(select(func.count(Asset.id))) == 0


def test_an_extension_that_shortens_is_refused(cast: Cast, api_as) -> None:
    _story, ids = _tracked_case(cast, api_as)
    lea = api_as(cast.lea)
    current = lea.get(f"/measures/{ids['measure']}").json["current_expires_on"]
    shorter = (date.fromisoformat(current) - timedelta(days=1)).isoformat()
    response = lea.post(f"/measures/{ids['measure']}/extensions",
                        json={"new_expires_on": shorter})
    assert response.status_code == 422
    assert "new_expires_on" in _errors(response)
    assert db.session.scalar(select(func.count(MeasureExtension.id))) == 0


def test_a_disclosure_to_ones_own_state_is_refused(cast: Cast, api_as) -> None:
    response = api_as(cast.lea).post(
        "/disclosures", json={"kind": "spontaneous_56", "to_state": "CHE", "summary": "x"}
    )
    assert response.status_code == 422
    assert "to_state" in _errors(response)
    assert db.session.scalar(select(func.count(Disclosure.id))) == 0


def test_disclosures_are_seen_by_both_states_and_open_a_case(cast: Cast, api_as) -> None:
    lea, amina = api_as(cast.lea), api_as(cast.amina)
    sent = lea.post("/disclosures", json={
        "kind": "notification_52_2_b", "to_state": "CIV", "summary": "PEP accounts flagged",
        "subjects": [{"name": "K. Traoré", "role": "pep"}], "handling_code": "H2",
    })
    assert sent.status_code == 201, sent.json
    disclosure = sent.json["id"]
    assert lea.get("/disclosures?box=sent").json["total"] == 1
    assert amina.get("/disclosures?box=received").json["items"][0]["direction"] == "received"
    for outsider in (cast.chen, cast.observer, cast.secretariat, cast.camille):
        assert api_as(outsider).get(f"/disclosures/{disclosure}").status_code == 404
        assert api_as(outsider).get("/disclosures").json["total"] == 0
    assert lea.post(f"/disclosures/{disclosure}/acknowledge", json={}).status_code == 403
    opened = amina.post(f"/disclosures/{disclosure}/open-case", json={})
    assert opened.status_code == 201, opened.json
    case_id = opened.json["led_to_case"]
    assert opened.json["status"] == "followed_up"
    assert lea.get(f"/cases/{case_id}").json["requesting_state"] == "CIV"


CASE_ROUTES = [
    ("get", "/cases/{case}/requests"),
    ("post", "/cases/{case}/requests"),
    ("get", "/requests/{request}"),
    ("patch", "/requests/{request}"),
    ("post", "/requests/{request}/transitions"),
    ("post", "/requests/{request}/share-for-comment"),
    ("post", "/requests/{request}/enquiries"),
    ("post", "/requests/{request}/delay-notices"),
    ("get", "/cases/{case}/subjects"),
    ("post", "/cases/{case}/subjects"),
    ("get", "/subjects/{subject}"),
    ("get", "/cases/{case}/assets"),
    ("post", "/cases/{case}/assets"),
    ("get", "/assets/{asset}"),
    ("patch", "/assets/{asset}"),
    ("post", "/assets/{asset}/status"),
    ("post", "/assets/{asset}/returns"),
    ("get", "/cases/{case}/measures"),
    ("post", "/cases/{case}/measures"),
    ("get", "/measures/{measure}"),
    ("patch", "/measures/{measure}"),
    ("get", "/measures/{measure}/extensions"),
    ("post", "/measures/{measure}/extensions"),
    ("post", "/measures/{measure}/lifting"),
    ("post", "/measures/{measure}/replacement"),
    ("post", "/measures/{measure}/consultations"),
]
VALID_BODIES = {
    "/cases/{case}/requests": {"kind": "mla", "legal_basis": "uncac",
                               "transmission_channel": "direct", "requested_state": "CHE"},
    "/requests/{request}": {"reference": "X"},
    "/requests/{request}/transitions": {"to": "sent"},
    "/requests/{request}/enquiries": {"question": "News?"},
    "/requests/{request}/delay-notices": {"delay_days": 5, "reason": "Busy"},
    "/cases/{case}/subjects": {"kind": "legal", "names": ["X SA"], "requested_state": "CHE"},
    "/cases/{case}/assets": {"kind": "other", "location_state": "CHE"},
    "/assets/{asset}": {"description": "x"},
    "/assets/{asset}/status": {"to": "released"},
    "/assets/{asset}/returns": {"basis": "57_3_a", "amount": "1", "currency": "CHF"},
    "/cases/{case}/measures": {"kind": "seizure", "assets": [1], "issuing_state": "CHE",
                               "issuing_authority": "X", "legal_basis": "domestic"},
    "/measures/{measure}": {"next_review_on": "2030-01-01"},
    "/measures/{measure}/extensions": {"new_expires_on": "2030-01-01"},
    "/measures/{measure}/lifting": {"reason": "x"},
    "/measures/{measure}/replacement": {},
    "/measures/{measure}/consultations": {"invited_on": "2030-01-01", "deadline_on": "2030-01-02"},
}


@pytest.mark.parametrize("who", ["chen", "observer", "secretariat"])
def test_outsiders_get_404_on_every_case_scoped_tracking_route(
    cast: Cast, api_as, who: str
) -> None:
    story, ids = _tracked_case(cast, api_as)
    outsider = api_as(getattr(cast, who))
    for method, template in CASE_ROUTES:
        path = template.format(case=story.case.id, **ids)
        kwargs = {"json": VALID_BODIES.get(template, {})} if method != "get" else {}
        response = getattr(outsider, method)(path, **kwargs)
        assert response.status_code == 404, (who, method, path, response.json)
        _errors(response)


def test_camille_of_france_does_not_see_what_was_recorded_with_switzerland(
    cast: Cast, api_as
) -> None:
    story, ids = _tracked_case(cast, api_as)
    camille = api_as(cast.camille)
    assert camille.get(f"/cases/{story.case.id}/requests").json["total"] == 0
    assert camille.get(f"/cases/{story.case.id}/assets").json["total"] == 0
    assert camille.get(f"/measures/{ids['measure']}").status_code == 404
    assert camille.get(f"/subjects/{ids['subject']}").status_code == 404


def test_a_notification_in_detail_lists_what_its_institutions_reported(cast: Cast, api_as) -> None:
    lea, amina = api_as(cast.lea), api_as(cast.amina)
    sent = lea.post("/disclosures", json={
        "kind": "notification_52_2_b", "to_state": "CIV", "summary": "PEP accounts flagged",
        "notification": {
            "notified_on": "2026-03-02", "scope": "Current accounts", "period_start": "2024-01-01",
            "period_end": "2025-12-31",
            "persons": [{"name": "K. Traoré", "born_on": "1961-05-04", "identifier": "CI-0042"}],
            "accounts": [{"number": "CH93 0076 2011 6238 5295 7"}],
        },
    })
    assert sent.status_code == 201, sent.json
    notification = sent.json["notification"]
    assert notification["accounts"] == [
        {"number": "CH9300762011623852957", "iban": True, "institution": ""}
    ]
    assert notification["persons"][0]["born_on"] == "1961-05-04"
    assert notification["results"] == []
    assert notification["may_record"] is True
    disclosure = sent.json["id"]

    reported = lea.post(f"/disclosures/{disclosure}/results", json={
        "reported_on": "2026-03-20", "institution": "Banque du Léman",
        "summary": "Two accounts found", "accounts_found": 2,
    })
    assert reported.status_code == 201, reported.json
    seen = amina.get(f"/disclosures/{disclosure}").json["notification"]
    assert seen["may_record"] is False
    assert [(r["institution"], r["accounts_found"]) for r in seen["results"]] == [
        ("Banque du Léman", 2)
    ]
    assert amina.post(f"/disclosures/{disclosure}/results", json={
        "reported_on": "2026-03-20", "institution": "UBS"
    }).status_code == 403
    assert amina.put(f"/disclosures/{disclosure}/notification", json={}).status_code == 403
    for outsider in (cast.chen, cast.camille):
        api = api_as(outsider)
        assert api.post(f"/disclosures/{disclosure}/results", json={
            "reported_on": "2026-03-20", "institution": "UBS"
        }).status_code == 404
        assert api.put(f"/disclosures/{disclosure}/notification", json={}).status_code == 404

    described = lea.put(f"/disclosures/{disclosure}/notification", json={
        "notified_on": "2026-03-03", "accounts": [{"number": "0044-778", "institution": "BCEAO"}],
    })
    assert described.status_code == 200, described.json
    assert described.json["notification"]["accounts"][0]["iban"] is False
    assert described.json["notification"]["persons"] == []
    assert len(described.json["notification"]["results"]) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"accounts": [{"number": "CH94 0076 2011 6238 5295 7"}]}, "accounts"),
        ({"accounts": [{"number": "0044-778"}]}, "accounts"),
        ({"period_start": "2026-01-01", "period_end": "2025-01-01"}, "period_end"),
        ({"notified_on": "yesterday"}, "notified_on"),
        ({"persons": [{"identifier": "CI-1"}]}, "persons"),
    ],
)
def test_notification_details_that_break_a_rule_are_422_naming_the_field(
    cast: Cast, api_as, body: dict, field: str
) -> None:
    response = api_as(cast.lea).post("/disclosures", json={
        "kind": "notification_52_2_b", "to_state": "CIV", "summary": "x", "notification": body,
    })
    assert response.status_code == 422
    errors = _errors(response)
    # A schema's refusal nests the field under "notification"; a rule's names it with a dot.
    assert f"notification.{field}" in errors or field in errors.get("notification", {}), errors
    assert db.session.scalar(select(func.count(Disclosure.id))) == 0


def test_results_are_refused_clearly_when_wrong(cast: Cast, api_as) -> None:
    lea = api_as(cast.lea)
    spontaneous = lea.post(
        "/disclosures", json={"kind": "spontaneous_56", "to_state": "CIV", "summary": "x"}
    ).json["id"]
    result = {"reported_on": "2026-03-20", "institution": "UBS"}
    assert lea.post(f"/disclosures/{spontaneous}/results", json=result).status_code == 409
    assert lea.put(f"/disclosures/{spontaneous}/notification", json={}).status_code == 409
    with_notice = lea.post("/disclosures", json={
        "kind": "spontaneous_56", "to_state": "CIV", "summary": "x", "notification": {},
    })
    assert with_notice.status_code == 422
    assert "notification" in _errors(with_notice)
    notification = lea.post("/disclosures", json={
        "kind": "notification_52_2_b", "to_state": "CIV", "summary": "x",
        "notification": {"notified_on": "2026-03-02"},
    }).json["id"]
    early = lea.post(
        f"/disclosures/{notification}/results", json={**result, "reported_on": "2026-03-01"}
    )
    assert early.status_code == 422
    assert "reported_on" in _errors(early)
    for bad in (
        {"accounts_found": -1}, {"accounts_found": "2"}, {"institution": ""}, {"reported_on": None}
    ):
        refused = lea.post(f"/disclosures/{notification}/results", json={**result, **bad})
        assert refused.status_code == 422, (bad, refused.json)
        assert set(bad) <= set(_errors(refused))
    assert lea.get(f"/disclosures/{notification}").json["notification"]["results"] == []


def test_notification_details_are_edited_from_its_etag_and_a_stale_one_writes_nothing(
    cast: Cast, api_as
) -> None:
    lea = api_as(cast.lea)
    sent = lea.post("/disclosures", json={
        "kind": "notification_52_2_b", "to_state": "CIV", "summary": "x",
    }).json["id"]
    opened = lea.get(f"/disclosures/{sent}").headers["ETag"]
    first = lea.put(
        f"/disclosures/{sent}/notification", json={"scope": "Savings accounts"},
        headers={"If-Match": opened},
    )
    assert first.status_code == 200, first.json
    assert first.headers["ETag"] != opened
    stale = lea.put(
        f"/disclosures/{sent}/notification", json={"scope": "Wire transfers"},
        headers={"If-Match": opened},
    )
    assert stale.status_code == 412
    assert stale.json["reason"] == "stale_edit"
    assert stale.json["errors"]["changed_by"] == [cast.lea.name]
    assert lea.get(f"/disclosures/{sent}").json["notification"]["scope"] == "Savings accounts"
