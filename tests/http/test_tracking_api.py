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
