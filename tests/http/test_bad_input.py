"""Bad input answers a 4xx naming the problem (JSON under /api/v1, a page elsewhere), never 500."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from flask import Flask

from network.assistance import requests
from network.core import clock
from network.core.types import INT_MAX
from network.directory.models import ObserverBody
from network.extensions import db
from network.http.security import nests_deeper_than
from tests.conftest import Cast, csrf_from
from tests.stories import CONTENTS, open_freeze, open_story

TOO_BIG = 2**64  # beyond every database integer
# PostgreSQL's INTEGER is the narrower: 2**31 overflows it where SQLite still finds nothing.
BOTH_DATABASES = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


def error_body(response: Any) -> dict[str, Any]:
    body = response.get_json()
    assert set(body) == {"code", "reason", "message", "errors"}, body
    assert body["code"] == response.status_code
    assert body["message"]
    return body


def test_the_secretariat_adds_an_observer_body_over_the_api(cast: Cast, api_as: Any) -> None:
    response = api_as(cast.secretariat).post(
        "/directory/observer-bodies", json={"acronym": "GlobE", "name": "GlobE Network"}
    )
    assert response.status_code == 201, response.text
    assert response.get_json()["acronym"] == "GlobE"
    again = api_as(cast.secretariat).post(
        "/directory/observer-bodies", json={"acronym": "GlobE", "name": "Another"}
    )
    assert again.status_code == 422
    assert "acronym" in error_body(again)["errors"]


def test_the_secretariat_adds_an_observer_body_on_its_page(cast: Cast, browser_as: Any) -> None:
    browser = browser_as(cast.secretariat)
    page = browser.get("/directory/observer-bodies")
    response = browser.post(
        "/directory/observer-bodies",
        data={"acronym": "GlobE", "name": "GlobE Network", "csrf_token": csrf_from(page.text)},
    )
    assert response.status_code == 302, response.text
    assert db.session.query(ObserverBody).filter_by(acronym="GlobE").one().name == "GlobE Network"


def test_a_filtered_search_for_two_words_one_unmatched_answers(cast: Cast, api_as: Any) -> None:
    response = api_as(cast.amina).get("/search", query_string={"q": "paris fiux", "kind": "fiu"})
    assert response.status_code == 200, response.text
    assert response.get_json()["page"] == 1


@BOTH_DATABASES
@pytest.mark.parametrize(
    "path",
    [
        f"/cases/{TOO_BIG}",
        f"/channels/{TOO_BIG}/messages",
        f"/assets/{INT_MAX + 1}",
        f"/requests/{TOO_BIG}/draft.docx",
        f"/directory/authorities/{TOO_BIG}/vcard",
    ],
)
def test_an_id_beyond_the_database_range_is_not_found(
    cast: Cast, api_as: Any, path: str
) -> None:
    response = api_as(cast.amina).get(path)
    assert response.status_code == 404
    error_body(response)


@BOTH_DATABASES
@pytest.mark.parametrize(
    ("path", "field"),
    [
        (f"/focal-points?page={TOO_BIG}", "page"),
        (f"/notifications?page={INT_MAX + 1}", "page"),
        (f"/focal-points?authority_id={INT_MAX + 1}", "authority_id"),
        (f"/channels/1/messages?after_seq={TOO_BIG}", "after_seq"),
    ],
)
def test_a_number_beyond_the_database_range_in_a_query_is_422_naming_it(
    cast: Cast, api_as: Any, path: str, field: str
) -> None:
    open_story(cast)
    response = api_as(cast.amina).get(path)
    assert response.status_code == 422, response.text
    assert field in error_body(response)["errors"]


def test_a_number_beyond_the_database_range_in_a_body_is_422_naming_it(
    cast: Cast, api_as: Any
) -> None:
    story = open_story(cast)
    response = api_as(cast.amina).post(f"/cases/{story.case.id}/team", json={"user": TOO_BIG})
    assert response.status_code == 422, response.text
    assert "user" in error_body(response)["errors"]


@pytest.mark.parametrize(
    "path",
    [f"/cases/{TOO_BIG}", f"/cases?page={TOO_BIG}", f"/directory?q=a&page={TOO_BIG}"],
)
def test_pages_answer_big_numbers_with_a_page_never_a_500(
    cast: Cast, browser_as: Any, path: str
) -> None:
    open_story(cast)
    response = browser_as(cast.amina).get(path)
    assert response.status_code in {200, 404}
    assert response.mimetype == "text/html"


def test_a_tracking_form_with_a_number_beyond_the_range_answers_its_page(
    cast: Cast, browser_as: Any
) -> None:
    freeze = open_freeze(cast)
    browser = browser_as(cast.lea)
    page = browser.get(f"/cases/{freeze.story.case.id}/tracking")
    response = browser.post(
        f"/cases/{freeze.story.case.id}/tracking/measures",
        data={"csrf_token": csrf_from(page.text), "kind": "freezing", "assets": str(TOO_BIG)},
    )
    assert response.status_code == 422
    assert response.mimetype == "text/html"


def test_deeply_nested_json_is_a_400_that_says_so(cast: Cast, api_as: Any) -> None:
    body = "[" * 5000 + "]" * 5000
    response = api_as(cast.amina).post("/cases", data=body, content_type="application/json")
    assert response.status_code == 400
    assert "levels deep" in error_body(response)["message"]


def test_json_nested_within_the_bound_still_parses(cast: Cast, api_as: Any) -> None:
    nested: Any = "x"
    for _ in range(20):
        nested = [nested]
    response = api_as(cast.amina).post("/cases", json={"title": nested})
    assert response.status_code == 422
    assert "title" in error_body(response)["errors"]


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    assert not nests_deeper_than(b'{"a": "' + b"[" * 100 + b'\\"[["}', 2)
    assert nests_deeper_than(b'{"a": [[["x"]]]}', 3)
    assert not nests_deeper_than(b'{"a": [[["x"]]]}', 4)


def test_a_405_names_the_methods_allowed(cast: Cast, api_as: Any, browser_as: Any) -> None:
    api = api_as(cast.amina)
    response = api.client.open("/api/v1/cases/1", method="TRACE", headers=api.headers)
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "PATCH"}
    error_body(response)
    page = browser_as(cast.amina).open("/cases", method="TRACE")
    assert page.status_code == 405
    assert "GET" in page.headers["Allow"]


def test_money_is_a_decimal_string_in_the_answer_and_in_the_document(
    app: Flask, cast: Cast, api_as: Any
) -> None:
    freeze = open_freeze(cast)
    asset = api_as(cast.amina).get(f"/assets/{freeze.asset.id}").get_json()
    assert asset["estimated_value"] == "2500000.0000"
    assert Decimal(asset["estimated_value"]) == Decimal("2500000")
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    money = [
        schemas["Asset"]["properties"]["estimated_value"],
        schemas["Return"]["properties"]["amount"],
        schemas["Return"]["properties"]["net_amount"],
        schemas["Money"]["properties"]["total"],
    ]
    assert all(field["type"] == "string" and field["format"] == "decimal" for field in money)


def test_a_draft_of_a_request_typed_with_control_characters_downloads(
    cast: Cast, api_as: Any
) -> None:
    story = open_story(cast)
    request = requests.create_request(
        cast.amina,
        story.case.id,
        kind="mla",
        requested_state="CHE",
        legal_basis="uncac",
        legal_basis_text="UNCAC art. 46\x0b",
        transmission_channel="central_authority",
        contents={**CONTENTS, "purpose": "Preserve\x00 the funds\x1f"},
        now=clock.now(),
    )
    db.session.commit()
    response = api_as(cast.amina).get(f"/requests/{request.id}/draft.docx")
    assert response.status_code == 200
    assert response.data.startswith(b"PK")
