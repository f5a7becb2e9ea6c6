"""`make i18n-check` passes on the repository and fails when a string is left untranslated."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog

from network import i18n_check


def test_every_catalog_is_complete_today():
    template = i18n_check.extract_template()
    for locale in i18n_check.TARGET_LOCALES:
        assert i18n_check.catalog_problems(template, locale) == []


def test_a_new_string_without_translation_is_reported_for_every_language():
    template = i18n_check.extract_template()
    template.add("A sentence nobody has translated yet.")
    for locale in i18n_check.TARGET_LOCALES:
        assert i18n_check.catalog_problems(template, locale) == [
            f"{locale}: missing 'A sentence nobody has translated yet.'"
        ]


def test_a_fuzzy_entry_is_reported(tmp_path: Path, monkeypatch):
    catalog_dir = tmp_path / "fr" / "LC_MESSAGES"
    catalog_dir.mkdir(parents=True)
    from babel.messages.pofile import write_po

    catalog = Catalog(locale="fr")
    catalog.add("Case", "Dossier", flags=["fuzzy"])
    with (catalog_dir / "messages.po").open("wb") as handle:
        write_po(handle, catalog)
    monkeypatch.setattr(i18n_check, "TRANSLATIONS", tmp_path)
    template = Catalog()
    template.add("Case")
    assert i18n_check.catalog_problems(template, "fr") == ["fr: fuzzy 'Case'"]


def test_a_template_literal_is_caught_and_a_translated_one_is_not(tmp_path: Path):
    page = tmp_path / "page.html"
    page.write_text(
        '<p>{{ _("Translated text") }}</p>\n<p>Forgotten words</p>\n'
        '<img alt="Untranslated picture" src="x.png">\n<p>ARNet</p>'
    )
    assert sorted(i18n_check.template_literals(page)) == [
        "Forgotten", "Untranslated", "picture", "words",
    ]
