"""The tracking pages: a case's requests, assets and orders, and the disclosures pages."""

from __future__ import annotations

from datetime import timedelta

from network.assistance import requests
from network.assistance.models import AssistanceRequest
from network.core import clock
from network.extensions import db
from network.recovery import assets, measures
from tests.conftest import Cast, csrf_from
from tests.stories import Story, open_story


def _request_to_switzerland(cast: Cast) -> tuple[Story, AssistanceRequest]:
    """Aminata's case, and her MLA request to Switzerland through the central authority."""
    story = open_story(cast)
    request = requests.create_request(
        cast.amina,
        story.case.id,
        kind="mla",
        requested_state="CHE",
        legal_basis="uncac",
        transmission_channel="central_authority",
        now=clock.now(),
    )
    db.session.commit()
    return story, request


def test_a_request_page_offers_the_sides_next_steps_and_records_a_transition(
    cast: Cast, browser_as
) -> None:
    story, request = _request_to_switzerland(cast)
    amina = browser_as(cast.amina)
    overview = amina.get(f"/cases/{story.case.id}/tracking")
    assert overview.status_code == 200
    assert f"/requests/{request.id}" in overview.text
    page = amina.get(f"/requests/{request.id}")
    assert page.status_code == 200
    assert "Share the draft for comment" in page.text
    assert "Move to Sent" in page.text
    assert "46(15)(f)" in page.text  # the purpose is missing
    assert "<script>" not in page.text.replace("<script src", "")

    moved = amina.post(
        f"/requests/{request.id}/transition",
        data={"to": "sent", "reason": "By courier", "csrf_token": csrf_from(page.text)},
    )
    assert moved.status_code == 302
    after = amina.get(f"/requests/{request.id}")
    assert "By courier" in after.text
    assert "Move to Withdrawn" in after.text
    lea_page = browser_as(cast.lea).get(f"/requests/{request.id}")
    assert "Move to Received" in lea_page.text


def test_an_illegal_step_through_the_page_shows_the_refusal(cast: Cast, browser_as) -> None:
    _story, request = _request_to_switzerland(cast)
    amina = browser_as(cast.amina)
    page = amina.get(f"/requests/{request.id}")
    refused = amina.post(
        f"/requests/{request.id}/transition",
        data={"to": "executed", "csrf_token": csrf_from(page.text)},
    )
    assert refused.status_code == 409
    assert "cannot move to executed" in refused.text


def test_a_measure_page_shows_expiry_in_the_issuing_states_terms(cast: Cast, browser_as) -> None:
    story = open_story(cast)
    asset = assets.record_asset(
        cast.amina, story.case.id, kind="vessel", location_state="CHE", now=clock.now()
    )
    today = clock.now().date()
    measure = measures.record_measure(
        cast.lea,
        story.case.id,
        kind="seizure",
        asset_ids=[asset.id],
        issuing_authority="MPC",
        issuing_state="CHE",
        legal_basis="domestic",
        effective_on=today,
        expires_on=today + timedelta(days=10),
        now=clock.now(),
    )
    db.session.commit()
    lea = browser_as(cast.lea)
    page = lea.get(f"/measures/{measure.id}")
    assert page.status_code == 200
    assert f"end of {today + timedelta(days=10)}, UTC" in page.text
    # The history speaks in words, not in the stored event codes and detail keys.
    assert "<td>Order recorded</td>" in page.text
    assert f"Effective on: {today}; Expires on: {today + timedelta(days=10)}" in page.text
    assert "expires_on:" not in page.text
    shorter = lea.post(
        f"/measures/{measure.id}/extensions",
        data={"new_expires_on": str(today), "csrf_token": csrf_from(page.text)},
    )
    assert shorter.status_code == 422
    assert "must lengthen the order" in shorter.text
    assert lea.get(f"/assets/{asset.id}").status_code == 200


def test_outsiders_get_404_on_tracking_pages(cast: Cast, browser_as) -> None:
    story, request = _request_to_switzerland(cast)
    for outsider in (cast.chen, cast.secretariat):
        browser = browser_as(outsider)
        assert browser.get(f"/cases/{story.case.id}/tracking").status_code == 404
        assert browser.get(f"/requests/{request.id}").status_code == 404


def test_disclosures_are_sent_and_listed_from_the_pages(cast: Cast, browser_as) -> None:
    lea = browser_as(cast.lea)
    listing = lea.get("/disclosures")
    assert listing.status_code == 200
    assert 'href="/disclosures"' in listing.text  # the navigation link
    own = lea.post(
        "/disclosures",
        data={
            "kind": "spontaneous_56",
            "to_state": "CHE",
            "summary": "x",
            "csrf_token": csrf_from(listing.text),
        },
    )
    assert own.status_code == 422
    assert "not to your own" in own.text
    sent = lea.post(
        "/disclosures",
        data={
            "kind": "spontaneous_56",
            "to_state": "CIV",
            "summary": "Transfers via Zurich",
            "subjects": "K. Traoré; pep",
            "csrf_token": csrf_from(listing.text),
        },
    )
    assert sent.status_code == 302
    amina = browser_as(cast.amina)
    received = amina.get("/disclosures?box=received")
    assert "<td>Spontaneous disclosure (art. 56)</td>" in received.text
    assert "<td>H0 — use for the purpose of the case</td>" in received.text
    detail = amina.get(sent.headers["Location"])
    assert "Transfers via Zurich" in detail.text
    assert "Open a case from this disclosure" in detail.text
