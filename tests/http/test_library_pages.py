"""The library's pages: search in any script, language versions, keepers' forms, TA, who to ask."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from network.core import clock
from network.extensions import db
from network.library.documents import create_document
from network.library.models import LibraryDocument
from tests.conftest import Cast, csrf_from

GUIDE = {
    "kind": "guide",
    "versions": [
        {
            "language": "en",
            "title": "Confiscation guide",
            "body": "Ask early.",
            "dated_on": "2026-11-01",
        },
        {
            "language": "ar",
            "title": "دليل المصادرة",
            "body": "اطلب مبكرا.",
            "dated_on": "2026-11-02",
        },
    ],
}


def _guide(cast: Cast) -> LibraryDocument:
    values = {
        **GUIDE,
        "versions": [{**each, "dated_on": clock.now().date()} for each in GUIDE["versions"]],
    }
    document = create_document(cast.secretariat, values, now=clock.now())
    db.session.commit()
    return document


def test_an_arabic_search_leads_to_the_arabic_version_shown_right_to_left(
    cast: Cast, browser_as: Any
) -> None:
    document = _guide(cast)
    browser = browser_as(cast.lea)

    found = browser.get("/library", query_string={"q": "المصادرة"})
    shown = browser.get(f"/library/{document.id}", query_string={"lang": "ar"})

    assert found.status_code == 200
    assert f"/library/{document.id}?lang=ar" in found.text
    assert 'lang="ar" dir="rtl" id="library-version"' in shown.text
    assert "اطلب مبكرا." in shown.text
    assert "Ask early." not in shown.text
    assert (
        browser.get("/library", query_string={"q": "extradition"}).text.count('id="library-empty"')
        == 1
    )


def test_a_practitioner_reads_but_may_not_add_edit_or_delete(cast: Cast, browser_as: Any) -> None:
    document = _guide(cast)
    browser = browser_as(cast.lea)
    csrf = csrf_from(browser.get("/account").text)

    assert "/library/new" not in browser.get("/library").text
    assert browser.get("/library/new").status_code == 403
    assert browser.get(f"/library/{document.id}/edit").status_code == 403
    refused = browser.post(f"/library/{document.id}/delete", data={"csrf_token": csrf})
    assert refused.status_code == 403
    assert db.session.get(LibraryDocument, document.id) is not None


def test_the_secretariat_adds_a_document_in_two_languages_and_deletes_it(
    cast: Cast, browser_as: Any
) -> None:
    browser = browser_as(cast.secretariat)
    csrf = csrf_from(browser.get("/library/new").text)
    form = {
        "csrf_token": csrf,
        "kind": "form",
        "state": "",
        "versions-2.language": "en",
        "versions-2.title": "Request form for freezing",
        "versions-2.dated_on": "2026-11-30",
        "versions-3.language": "fr",
        "versions-3.title": "Formulaire de demande de gel",
        "versions-3.dated_on": "2026-11-30",
        "versions-4.language": "ru",
        "versions-4.title": "",
        "versions-4.dated_on": "2026-11-30",
    }

    saved = browser.post("/library/new", data=form)

    assert saved.status_code == 302, saved.text
    document = db.session.scalars(select(LibraryDocument)).one()
    assert [each.language for each in document.versions] == ["en", "fr"]
    page = browser.get(saved.headers["Location"])
    assert 'data-confirm="' in page.text
    deleted = browser.post(f"/library/{document.id}/delete", data={"csrf_token": csrf})
    assert deleted.status_code == 302
    db.session.expire_all()
    assert db.session.scalars(select(LibraryDocument)).all() == []


def test_a_form_without_any_version_is_shown_again_with_the_error(
    cast: Cast, browser_as: Any
) -> None:
    browser = browser_as(cast.secretariat)
    csrf = csrf_from(browser.get("/library/new").text)

    again = browser.post(
        "/library/new",
        data={
            "csrf_token": csrf,
            "kind": "guide",
            "versions-0.language": "ar",
            "versions-0.dated_on": "2026-11-30",
        },
    )

    assert again.status_code == 422
    assert 'id="versions-error"' in again.text


def test_the_glossary_lists_terms_in_the_six_languages(cast: Cast, browser_as: Any) -> None:
    names = ["مصادرة", "没收", "Confiscation", "Confiscation", "Конфискация", "Decomiso"]
    create_document(
        cast.secretariat,
        {
            "kind": "glossary_term",
            "versions": [
                {"language": code, "title": name, "dated_on": clock.now().date()}
                for code, name in zip(["ar", "zh", "en", "fr", "ru", "es"], names, strict=True)
            ],
        },
        now=clock.now(),
    )
    db.session.commit()

    page = browser_as(cast.lea).get("/library/glossary")

    assert page.status_code == 200
    assert all(name in page.text for name in names)


def test_the_technical_assistance_page_counts_and_takes_ones_own_entries(
    cast: Cast, browser_as: Any
) -> None:
    browser = browser_as(cast.amina)
    csrf = csrf_from(browser.get("/technical-assistance").text)

    saved = browser.post(
        "/technical-assistance",
        data={
            "csrf_token": csrf,
            "direction": "need",
            "area": "asset_tracing",
            "description": "Trusts",
        },
    )
    page = browser_as(cast.amina).get("/technical-assistance")
    outsider = browser_as(cast.lea).get("/technical-assistance")
    secretariat = browser_as(cast.secretariat).get("/technical-assistance")

    assert saved.status_code == 302
    assert "Trusts" in page.text
    assert "Trusts" not in outsider.text  # one State: counted, not shown, to others
    assert "Trusts" in secretariat.text
    assert 'id="ta-form"' not in secretariat.text


def test_who_to_ask_shows_a_clear_empty_state(cast: Cast, browser_as: Any) -> None:
    browser = browser_as(cast.lea)

    blank = browser.get("/directory/who-to-ask")
    empty = browser.get(
        "/directory/who-to-ask", query_string={"assistance": "confiscation", "asset_state": "FRA"}
    )
    wrong = browser.get("/directory/who-to-ask", query_string={"assistance": "tea"})

    assert blank.status_code == 200
    assert 'id="who-to-ask-proposal"' not in blank.text
    assert empty.status_code == 200
    assert "registered no authority" in empty.text
    assert wrong.status_code == 422


def test_the_directory_search_shows_library_documents_beside_its_results(
    cast: Cast, browser_as: Any
) -> None:
    document = _guide(cast)

    page = browser_as(cast.lea).get("/directory", query_string={"q": "confiscation"})

    assert page.status_code == 200
    assert 'id="directory-library"' in page.text
    assert f"/library/{document.id}?lang=en" in page.text


def test_a_states_page_leads_to_its_notes_in_the_library(cast: Cast, browser_as: Any) -> None:
    note = create_document(
        cast.yao,
        {
            "kind": "how_to_cooperate",
            "state": "CIV",
            "versions": [{"language": "fr", "title": "Coopérer", "dated_on": clock.now().date()}],
        },
        now=clock.now(),
    )
    _guide(cast)
    browser = browser_as(cast.lea)

    state_page = browser.get("/directory/states/CIV")
    listed = browser.get("/library", query_string={"kind": "how_to_cooperate", "state": "CIV"})

    assert "/library?kind=how_to_cooperate&amp;state=CIV" in state_page.text
    assert f"/library/{note.id}" in listed.text
    assert "Confiscation guide" not in listed.text
