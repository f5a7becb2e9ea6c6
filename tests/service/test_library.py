"""The library's service: searched in every script, audited on every write, kept by its keepers."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from network.audit.models import AuditRecord
from network.core import clock
from network.core.errors import PermissionDenied
from network.directory.models import SearchTerm
from network.extensions import db
from network.library import documents, technical_assistance
from network.library.models import LibraryDocument
from tests.conftest import Cast

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)

DATED = date(2026, 11, 30)
TERM = {
    "ar": "مصادرة",
    "zh": "没收",
    "en": "Confiscation",
    "fr": "Confiscation",
    "ru": "Конфискация",
    "es": "Decomiso",
}


def _term(cast: Cast) -> LibraryDocument:
    return documents.create_document(
        cast.secretariat,
        {
            "kind": "glossary_term",
            "versions": [
                {"language": code, "title": name, "body": "", "dated_on": DATED}
                for code, name in TERM.items()
            ],
        },
        now=clock.now(),
    )


@pytest.mark.parametrize(
    ("query", "language"),
    [
        ("confiscation", "en"),
        ("Confiscatión", "en"),
        ("مصادرة", "ar"),
        ("المصادرة", "ar"),
        ("конфискация", "ru"),
        ("没收", "zh"),
        ("decomiso", "es"),
    ],
)
def test_a_glossary_term_is_found_in_each_language_with_the_version_matched(
    cast: Cast, query: str, language: str
) -> None:
    term = _term(cast)

    hits, total = documents.list_documents(cast.lea, q=query)

    assert total == 1
    assert hits[0].document.id == term.id
    assert hits[0].language == language


def test_a_chinese_query_finds_only_documents_written_with_its_characters(cast: Cast) -> None:
    _term(cast)

    assert documents.list_documents(cast.lea, q="没")[1] == 1
    assert documents.list_documents(cast.lea, q="梅")[1] == 0  # "mei" shares pinyin letters


def test_filters_narrow_the_search_by_kind_and_language(cast: Cast) -> None:
    _term(cast)

    assert documents.list_documents(cast.lea, q="confiscation", kind="glossary_term")[1] == 1
    assert documents.list_documents(cast.lea, q="confiscation", kind="guide")[1] == 0
    assert documents.list_documents(cast.lea, q="decomiso", language="es")[1] == 1


def test_every_write_is_audited_and_a_deleted_document_leaves_no_index_row(cast: Cast) -> None:
    term = _term(cast)
    documents.update_document(
        cast.secretariat,
        term.id,
        {"versions": [{"language": "en", "title": "Forfeiture", "dated_on": DATED}]},
        now=clock.now(),
    )
    documents.delete_document(cast.secretariat, term.id, now=clock.now())

    actions = db.session.scalars(
        select(AuditRecord.action).where(AuditRecord.target_type == "library_document")
    ).all()
    assert actions == [
        "library.document.published",
        "library.document.updated",
        "library.document.deleted",
    ]
    rows = db.session.scalars(select(SearchTerm).where(SearchTerm.entry_type == "library")).all()
    assert rows == []


def test_an_observer_reads_but_keeps_nothing(cast: Cast) -> None:
    term = _term(cast)

    assert documents.get_document(cast.observer, term.id).id == term.id
    with pytest.raises(PermissionDenied):
        documents.delete_document(cast.observer, term.id, now=clock.now())
    with pytest.raises(PermissionDenied):
        technical_assistance.record_entry(
            cast.observer, {"direction": "need", "area": "training"}, now=clock.now()
        )


def test_withdrawn_and_met_needs_are_not_counted(cast: Cast) -> None:
    entries = [
        technical_assistance.record_entry(
            user, {"direction": "need", "area": "training"}, now=clock.now()
        )
        for user in (cast.amina, cast.lea, cast.camille)
    ]
    counted = {row.area: row.needs for row in technical_assistance.network_figures(cast.chen)}
    technical_assistance.update_entry(
        cast.amina, entries[0].id, {"status": "withdrawn"}, now=clock.now()
    )
    after = {row.area: row.needs for row in technical_assistance.network_figures(cast.chen)}

    assert counted["training"] == 3
    assert after["training"] is None  # two States left: suppressed
