"""Requests right first time over REST and in the draft: the checklist, the 409, the language."""

from __future__ import annotations

import io

import pytest
from docx import Document

from network.core import clock
from network.directory.profiles import revise_profile
from network.extensions import db
from tests.conftest import Cast
from tests.stories import CONTENTS_FOR, open_story

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


def _new(api, case_id: int, kind: str, **values) -> dict:
    created = api.post(
        f"/cases/{case_id}/requests",
        json={
            "kind": kind,
            "requested_state": "CHE",
            "legal_basis": "uncac",
            "transmission_channel": "central_authority",
            **values,
        },
    )
    assert created.status_code == 201, created.json
    return created.json


def test_sending_an_incomplete_request_answers_409_request_incomplete(cast: Cast, api_as) -> None:
    story = open_story(cast)
    amina = api_as(cast.amina)
    request = _new(amina, story.case.id, "confiscation", contents=CONTENTS_FOR["mla"])
    assert [each["item"] for each in request["missing_items"]] == [
        "property_description",
        "facts_for_domestic_order",
    ]
    assert request["missing"] == ["property_description", "facts_for_domestic_order"]
    first = request["checklist"][0]
    assert first == {
        "item": "requesting_authority",
        "label": "The authority making the request (46(15)(a))",
        "source": "article",
        "required": True,
        "done": True,
    }
    assert set(request["contents"]) >= {"property_description", "facts_for_domestic_order"}
    assert "order_is_final" not in request["contents"]

    refused = amina.post(f"/requests/{request['id']}/transitions", json={"to": "sent"})
    assert refused.status_code == 409
    body = refused.get_json()
    assert set(body) == {"code", "reason", "message", "errors"}
    assert body["reason"] == "request_incomplete"
    assert body["errors"]["missing_items"] == ["property_description", "facts_for_domestic_order"]
    assert body["errors"]["current"] == ["draft"]
    assert amina.get(f"/requests/{request['id']}").json["status"] == "draft"

    patched = amina.patch(
        f"/requests/{request['id']}",
        json={"contents": CONTENTS_FOR["confiscation"]},
        headers={"If-Match": amina.get(f"/requests/{request['id']}").headers["ETag"]},
    )
    assert patched.status_code == 200, patched.json
    assert patched.json["missing_items"] == []
    sent = amina.post(f"/requests/{request['id']}/transitions", json={"to": "sent"})
    assert sent.status_code == 201, sent.json
    assert sent.json["status"] == "sent"


def test_the_checklist_merges_the_profile_and_speaks_the_callers_language(
    cast: Cast, api_as
) -> None:
    story = open_story(cast)
    revise_profile(None, "CHE", {"languages": ["fr"]}, now=clock.now())
    db.session.commit()
    cast.amina.locale = "fr"
    db.session.commit()
    request = _new(
        api_as(cast.amina), story.case.id, "mla", contents=CONTENTS_FOR["mla"], language="en"
    )
    (language,) = [each for each in request["checklist"] if each["source"] == "profile"]
    assert language["item"] == "profile.language"
    assert language["done"] is False
    assert request["missing"] == ["profile.language"]
    assert request["checklist"][0]["label"] == "Autorité dont émane la demande (46(15)(a))"


def test_an_item_the_kind_does_not_carry_is_refused(cast: Cast, api_as) -> None:
    story = open_story(cast)
    refused = api_as(cast.amina).post(
        f"/cases/{story.case.id}/requests",
        json={
            "kind": "return",
            "requested_state": "CHE",
            "legal_basis": "uncac",
            "transmission_channel": "central_authority",
            "contents": {"order_copy": "Judgment"},
        },
    )
    assert refused.status_code == 422
    assert refused.json["reason"] == "invalid_input"


@pytest.mark.parametrize(
    ("kind", "title", "heading"),
    [
        ("mla", "Demande d'entraide judiciaire", "46(15)(a)"),
        ("freezing", "Demande de gel ou de saisie", "55(3)(b)"),
        ("confiscation", "Demande de confiscation", "55(3)(a)"),
        (
            "recognition",
            "Demande de reconnaissance et d’exécution d’une décision étrangère",
            "55(3)(c)",
        ),
        ("extradition", "Demande d'extradition", "44"),
        ("return", "Demande de restitution d'avoirs", "57"),
    ],
)
def test_the_draft_is_written_per_kind_in_a_language_the_requested_state_accepts(
    cast: Cast, api_as, kind: str, title: str, heading: str
) -> None:
    story = open_story(cast)
    revise_profile(None, "CHE", {"languages": ["de", "fr"]}, now=clock.now())
    db.session.commit()
    extra = {"conviction_based": True} if kind == "recognition" else {}
    request = _new(
        api_as(cast.amina),
        story.case.id,
        kind,
        contents=CONTENTS_FOR[kind],
        language="en",
        **extra,
    )
    # Aminata reads in English; the draft is in French, the first language CHE accepts that
    # the network writes; what she typed stays as written.
    draft = api_as(cast.amina).get(
        f"/requests/{request['id']}/draft.docx", headers={"Accept-Language": "en"}
    )
    assert draft.status_code == 200
    document = Document(io.BytesIO(draft.data))
    assert document.paragraphs[0].text == title
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert any(heading in each for each in headings), headings
    texts = [p.text for p in document.paragraphs]
    assert CONTENTS_FOR[kind]["requesting_authority"] in texts
    rows = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert rows["Voie de transmission"] == "Autorité centrale"
