"""The tracking pages: a case's requests, assets and orders, and the disclosures pages."""

from __future__ import annotations

import re
from datetime import timedelta

from babel.dates import format_date

from network.assistance import requests
from network.assistance.models import AssistanceRequest
from network.core import clock
from network.directory.profiles import revise_profile
from network.disclosures import service as disclosures
from network.extensions import db
from network.recovery import assets, measures
from tests.conftest import Cast, csrf_from
from tests.stories import CONTENTS, Story, open_story


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

    refused = amina.post(
        f"/requests/{request.id}/transition",
        data={"to": "sent", "reason": "By courier", "csrf_token": csrf_from(page.text)},
    )
    assert refused.status_code == 409  # the page again with the missing items, not a 500
    assert "required items are missing" in refused.text
    assert "cannot be marked sent before these items are given" in refused.text
    assert "46(15)(f)" in refused.text
    assert f"/requests/{request.id}/draft.docx" in refused.text

    saved = amina.post(
        f"/requests/{request.id}/contents",
        data={
            **{f"contents.{name}": text for name, text in CONTENTS.items()},
            "version": re.search(r'name="version" value="(\d+)"', page.text).group(1),
            "csrf_token": csrf_from(page.text),
        },
    )
    assert saved.status_code == 302, saved.text
    complete = amina.get(f"/requests/{request.id}")
    assert "cannot be marked sent" not in complete.text
    moved = amina.post(
        f"/requests/{request.id}/transition",
        data={"to": "sent", "reason": "By courier", "csrf_token": csrf_from(complete.text)},
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
    lapse = format_date(today + timedelta(days=10), "medium", "en")  # as the page writes it
    assert f"end of {lapse}, UTC" in page.text
    # The history speaks in words, not in the stored event codes and detail keys.
    assert "<td>Order recorded</td>" in page.text
    effective = format_date(today, "medium", "en")
    assert f"Effective on: {effective}; Expires on: {lapse}" in page.text
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
            "subjects-0.name": "K. Traoré",
            "subjects-0.role": "pep",
            "subjects-1.name": "",  # a blank row is left out
            "subjects-1.role": "",
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


def test_request_forms_load_with_the_apis_schemas_and_show_errors_beside_fields(
    cast: Cast, browser_as
) -> None:
    _story, request = _request_to_switzerland(cast)
    amina = browser_as(cast.amina)
    page = amina.get(f"/requests/{request.id}")
    saved = amina.post(
        f"/requests/{request.id}/contents",
        data={"contents.purpose": "To trace the funds", "csrf_token": csrf_from(page.text)},
    )
    assert saved.status_code == 302
    edited = amina.get(f"/requests/{request.id}")
    assert ">To trace the funds</textarea>" in edited.text
    too_long = amina.post(
        f"/requests/{request.id}/contents",
        data={"language": "x" * 9, "csrf_token": csrf_from(edited.text)},
    )
    assert too_long.status_code == 422
    assert 'id="f-language-error"' in too_long.text
    assert 'value="xxxxxxxxx"' in too_long.text
    unknown = amina.post(
        f"/requests/{request.id}/contents",
        data={"language": "xx", "csrf_token": csrf_from(edited.text)},
    )
    assert unknown.status_code == 422
    assert "Not an ISO 639-1 language code." in unknown.text
    empty = amina.post(
        f"/requests/{request.id}/enquiries", data={"csrf_token": csrf_from(edited.text)}
    )
    assert empty.status_code == 422
    assert 'id="f-question-error"' in empty.text


def test_a_request_recorded_from_the_case_page_opens_its_page(cast: Cast, browser_as) -> None:
    story = open_story(cast)
    amina = browser_as(cast.amina)
    overview = amina.get(f"/cases/{story.case.id}/tracking")
    form = {
        "kind": "mla",
        "requested_state": "CHE",
        "legal_basis": "uncac",
        "transmission_channel": "central_authority",
        "csrf_token": csrf_from(overview.text),
    }
    bad = amina.post(
        f"/cases/{story.case.id}/tracking/requests", data={**form, "deadline_on": "soon"}
    )
    assert bad.status_code == 422
    assert 'id="f-deadline_on-error"' in bad.text
    assert "<details open>" in bad.text
    recorded = amina.post(f"/cases/{story.case.id}/tracking/requests", data={**form, "urgent": "y"})
    assert recorded.status_code == 302
    assert "/requests/" in recorded.headers["Location"]
    assert amina.get(recorded.headers["Location"]).status_code == 200


def test_a_disclosure_form_with_a_bad_subject_row_shows_the_rows_typed_and_why(
    cast: Cast, browser_as
) -> None:
    lea = browser_as(cast.lea)
    listing = lea.get("/disclosures")
    assert 'name="subjects-0.name"' in listing.text
    assert 'name="subjects-1.role"' in listing.text
    refused = lea.post(
        "/disclosures",
        data={
            "kind": "spontaneous_56",
            "to_state": "CIV",
            "summary": "Transfers via Zurich",
            "subjects-0.name": "K. Traoré",
            "subjects-0.role": "pep",
            "subjects-1.role": "account_holder",  # a role without a name
            "csrf_token": csrf_from(listing.text),
        },
    )
    assert refused.status_code == 422
    assert 'name="subjects-0.name" type="text" dir="auto" value="K. Traoré"' in refused.text
    assert 'id="f-subjects-1-name-error"' in refused.text
    assert 'id="f-subjects-0-name-error"' not in refused.text
    assert '<option value="account_holder" selected>' in refused.text
    assert "<details open>" in refused.text


def test_subjects_assets_and_orders_are_recorded_from_the_case_page(cast: Cast, browser_as) -> None:
    story = open_story(cast)
    amina = browser_as(cast.amina)
    overview = amina.get(f"/cases/{story.case.id}/tracking")
    token = csrf_from(overview.text)
    subject = {
        "kind": "natural",
        "names": "K. Traoré\nKarim Traoré",
        "roles": ["pep", "suspect"],
        "requested_state": "CHE",
        "csrf_token": token,
    }
    refused = amina.post(
        f"/cases/{story.case.id}/tracking/subjects",
        data={**subject, "identifiers": "Passport without a colon"},
    )
    assert refused.status_code == 422
    assert 'id="f-subject-identifiers-error"' in refused.text
    assert ">Passport without a colon</textarea>" in refused.text
    assert ">K. Traoré\nKarim Traoré</textarea>" in refused.text
    assert 'value="pep" checked' in refused.text
    recorded = amina.post(
        f"/cases/{story.case.id}/tracking/subjects",
        data={**subject, "identifiers": "Passport: CI123\nIBAN: CH93 0000"},
    )
    assert recorded.status_code == 302
    page = amina.get(f"/cases/{story.case.id}/tracking")
    assert "K. Traoré / Karim Traoré" in page.text
    asset = amina.post(
        f"/cases/{story.case.id}/tracking/assets",
        data={
            "kind": "bank_account",
            "location_state": "CHE",
            "estimated_value": "2500000.00",
            "currency": "CHF",
            "csrf_token": token,
        },
    )
    assert asset.status_code == 302
    page = amina.get(f"/cases/{story.case.id}/tracking")
    asset_id = page.text.split('href="/assets/')[1].split('"')[0]
    order = {
        "kind": "freezing",
        "assets": asset_id,
        "issuing_authority": "MPC",
        "issuing_state": "CHE",
        "legal_basis": "54_2_a",
        "longest_duration_days": "many",
        "csrf_token": token,
    }
    bad = amina.post(f"/cases/{story.case.id}/tracking/measures", data=order)
    assert bad.status_code == 422
    assert 'id="f-longest_duration_days-error"' in bad.text
    assert f'value="{asset_id}" checked' in bad.text
    made = amina.post(
        f"/cases/{story.case.id}/tracking/measures",
        data={**order, "longest_duration_days": "365"},
    )
    assert made.status_code == 302
    assert "/measures/" in amina.get(f"/cases/{story.case.id}/tracking").text


def test_an_extension_form_opened_before_another_extension_is_refused_not_stacked(
    cast: Cast, browser_as
) -> None:
    story = open_story(cast)
    asset = assets.record_asset(
        cast.lea, story.case.id, kind="vessel", location_state="CHE", now=clock.now()
    )
    today = clock.now().date()
    expiry = today + timedelta(days=10)
    measure = measures.record_measure(
        cast.lea,
        story.case.id,
        kind="seizure",
        asset_ids=[asset.id],
        issuing_authority="MPC",
        issuing_state="CHE",
        legal_basis="domestic",
        effective_on=today,
        expires_on=expiry,
        now=clock.now(),
    )
    db.session.commit()
    first, second = browser_as(cast.lea), browser_as(cast.lea)
    pages = [first.get(f"/measures/{measure.id}").text, second.get(f"/measures/{measure.id}").text]
    seen = f'name="previous_expires_on" value="{expiry.isoformat()}"'
    assert all(seen in page for page in pages)

    def extend(browser, page: str, days: int):  # as each officer submits the form they opened
        return browser.post(
            f"/measures/{measure.id}/extensions",
            data={
                "previous_expires_on": expiry.isoformat(),
                "new_expires_on": str(expiry + timedelta(days=days)),
                "csrf_token": csrf_from(page),
            },
        )

    assert extend(first, pages[0], 30).status_code == 302
    stale = extend(second, pages[1], 60)

    assert stale.status_code == 409
    assert f"now expires on {expiry + timedelta(days=30)}" in stale.text
    assert len(measures.measure_view(cast.lea, measure.id, clock.now()).extensions) == 1


def test_an_orders_request_is_chosen_from_the_case_requests_to_the_same_state(
    cast: Cast, browser_as
) -> None:
    story, to_switzerland = _request_to_switzerland(cast)
    to_france = requests.create_request(
        cast.amina, story.case.id, kind="mla", requested_state="FRA", legal_basis="uncac",
        transmission_channel="central_authority", now=clock.now(),
    )
    asset = assets.record_asset(
        cast.amina, story.case.id, kind="vessel", location_state="CHE", now=clock.now()
    )
    db.session.commit()
    amina = browser_as(cast.amina)
    overview = amina.get(f"/cases/{story.case.id}/tracking")
    assert 'id="f-measure-request"' in overview.text
    assert f'<option value="{to_france.id}">#{to_france.id} · ' in overview.text
    order = {
        "kind": "freezing",
        "assets": str(asset.id),
        "issuing_authority": "MPC",
        "issuing_state": "CHE",
        "legal_basis": "54_2_a",
        "csrf_token": csrf_from(overview.text),
    }

    refused = amina.post(
        f"/cases/{story.case.id}/tracking/measures", data={**order, "request": to_france.id}
    )
    assert refused.status_code == 422
    assert 'id="f-measure-request-error"' in refused.text
    assert "Choose a request of this case to the same State." in refused.text
    assert measures.list_measures(cast.amina, story.case.id) == []

    made = amina.post(
        f"/cases/{story.case.id}/tracking/measures", data={**order, "request": to_switzerland.id}
    )
    assert made.status_code == 302
    (recorded,) = measures.list_measures(cast.amina, story.case.id)
    assert recorded.request_id == to_switzerland.id
    page = amina.get(f"/measures/{recorded.id}")
    assert f'href="/requests/{to_switzerland.id}"' in page.text


def test_a_follow_up_is_chosen_from_the_readers_own_cases_and_requests_by_title(
    cast: Cast, browser_as
) -> None:
    story, request = _request_to_switzerland(cast)
    sent = disclosures.send_disclosure(
        cast.lea, kind="spontaneous_56", to_state="CIV", summary="Transfers", now=clock.now()
    )
    db.session.commit()
    amina = browser_as(cast.amina)
    page = amina.get(f"/disclosures/{sent.id}")
    title = story.case.title
    assert f'<option value="{story.case.id}">{title} · ' in page.text
    assert f'<option value="{request.id}">#{request.id} · ' in page.text
    assert 'type="number"' not in page.text

    followed = amina.post(
        f"/disclosures/{sent.id}/status",
        data={"to": "followed_up", "request": request.id, "csrf_token": csrf_from(page.text)},
    )

    assert followed.status_code == 302
    db.session.rollback()  # read what the request committed
    view = disclosures.disclosure_view(cast.amina, sent.id, clock.now())
    assert (view.led_to_case_id, view.led_to_request_id) == (story.case.id, request.id)


def _notification_page(cast: Cast, browser_as) -> tuple[object, str, str]:
    """Léa's browser on a notification she sent to Côte d'Ivoire, with no details yet."""
    lea = browser_as(cast.lea)
    listing = lea.get("/disclosures")
    sent = lea.post(
        "/disclosures",
        data={
            "kind": "notification_52_2_b",
            "to_state": "CIV",
            "summary": "PEP accounts flagged",
            "csrf_token": csrf_from(listing.text),
        },
    )
    assert sent.status_code == 302
    url = sent.headers["Location"]
    return lea, url, csrf_from(lea.get(url).text)


def test_a_notification_page_records_its_details_and_results(cast: Cast, browser_as) -> None:
    lea, url, token = _notification_page(cast, browser_as)
    page = lea.get(url)
    assert "No results reported yet." in page.text
    assert "No account recorded yet." in page.text
    described = lea.post(
        f"{url}/notification",
        data={
            "notified_on": "2026-03-02",
            "scope": "Current accounts",
            "period_start": "2024-01-01",
            "period_end": "2025-12-31",
            "persons-0.name": "K. Traoré",
            "persons-0.born_on": "1961-05-04",
            "persons-0.identifier": "CI-0042",
            "persons-1.name": "Awa Traoré",
            "persons-2.name": "",
            "accounts-0.number": "CH93 0076 2011 6238 5295 7",
            "accounts-1.number": "0044-778",
            "accounts-1.institution": "Banque du Léman",
            "csrf_token": token,
        },
    )
    assert described.status_code == 302, described.text
    reported = lea.post(
        f"{url}/results",
        data={
            "reported_on": "2026-03-20",
            "institution": "Banque du Léman",
            "accounts_found": "2",
            "summary": "Two accounts found",
            "csrf_token": token,
        },
    )
    assert reported.status_code == 302
    amina = browser_as(cast.amina).get(url)
    assert "CH9300762011623852957" in amina.text
    assert "Banque du Léman" in amina.text
    assert "Two accounts found" in amina.text
    assert "No results reported yet." not in amina.text
    assert "Record a result reported back" not in amina.text  # only the notifying State records
    again = lea.get(url)
    assert 'name="persons-0.born_on" type="date" dir="auto" value="1961-05-04"' in again.text
    assert 'name="persons-1.name" type="text" dir="auto" value="Awa Traoré"' in again.text


def test_a_notification_form_with_a_bad_iban_or_period_says_why_beside_the_field(
    cast: Cast, browser_as
) -> None:
    lea, url, token = _notification_page(cast, browser_as)
    bad_iban = lea.post(
        f"{url}/notification",
        data={"accounts-0.number": "CH94 0076 2011 6238 5295 7", "csrf_token": token},
    )
    assert bad_iban.status_code == 422
    assert 'id="f-accounts-error"' in bad_iban.text
    assert "is not a valid IBAN" in bad_iban.text
    assert 'value="CH94 0076 2011 6238 5295 7"' in bad_iban.text
    backwards = lea.post(
        f"{url}/notification",
        data={"period_start": "2026-01-01", "period_end": "2025-01-01", "csrf_token": token},
    )
    assert backwards.status_code == 422
    assert 'id="f-period_end-error"' in backwards.text
    no_date = lea.post(f"{url}/results", data={"institution": "UBS", "csrf_token": token})
    assert no_date.status_code == 422
    assert 'id="f-reported_on-error"' in no_date.text
    for outsider in (cast.chen, cast.secretariat):
        browser = browser_as(outsider)
        token = csrf_from(browser.get("/account").text)
        answer = browser.post(f"{url}/results", data={"institution": "x", "csrf_token": token})
        assert answer.status_code == 404


def test_a_notification_form_opened_before_a_change_is_refused_and_shown_again(
    cast: Cast, browser_as
) -> None:
    lea, url, token = _notification_page(cast, browser_as)
    version = re.search(r'name="version" value="(\d+)"', lea.get(url).text).group(1)
    saved = lea.post(
        f"{url}/notification", data={"scope": "Savings", "version": version, "csrf_token": token}
    )
    assert saved.status_code == 302
    refused = lea.post(
        f"{url}/notification", data={"scope": "Wire", "version": version, "csrf_token": token}
    )
    assert refused.status_code == 412
    assert "since you opened it." in refused.text
    assert "Wire</textarea>" in refused.text


def test_a_request_page_shows_its_kinds_items_and_the_profiles_checklist(
    cast: Cast, browser_as
) -> None:
    story = open_story(cast)
    revise_profile(None, "CHE", {"languages": ["fr"]}, now=clock.now())
    request = requests.create_request(
        cast.amina,
        story.case.id,
        kind="recognition",
        requested_state="CHE",
        legal_basis="uncac",
        transmission_channel="central_authority",
        conviction_based=True,
        contents=CONTENTS,
        now=clock.now(),
    )
    db.session.commit()
    page = browser_as(cast.amina).get(f"/requests/{request.id}")
    assert page.status_code == 200
    assert 'name="contents.order_is_final"' in page.text  # the kind's own items to fill
    assert 'name="contents.person_sought"' not in page.text  # not an extradition's
    assert "A statement that the order is final (55(3)(c))" in page.text
    assert "A language the requested State accepts requests in" in page.text
    assert "<td>The Convention</td>" in page.text
    assert "s profile</td>" in page.text
    assert "cannot be marked sent before these items are given" in page.text
