"""``python -m network.i18n_check``: fails on a missing catalog entry or a template literal."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "network" / "translations"
TARGET_LOCALES = ("ar", "zh", "fr", "ru", "es")  # English is the source language
# Words that stay as they are in every language: the product's name and codes.
UNTRANSLATED_WORDS = {
    "ARNet",
    "H0",
    "H1",
    "H2",
    "H3",
    "UNCAC",
    "ISO",
    "IBAN",
    "vCard",
    "OpenAPI",
    "SHA",
}

_JINJA = re.compile(r"{#.*?#}|{%.*?%}|{{.*?}}", re.S)
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
_TEXT_ATTRIBUTE = re.compile(r'\b(?:aria-label|placeholder|title|alt)="([^"]*)"', re.I)
_TAG = re.compile(r"<[^>]+>", re.S)
_WORD = re.compile(r"[^\W\d_]{2,}")


def extract_template() -> Catalog:
    """Extract the current messages with the project's babel.cfg into a fresh template."""
    with tempfile.TemporaryDirectory() as scratch:
        pot = Path(scratch) / "messages.pot"
        subprocess.run(  # noqa: S603 - fixed arguments, our own venv's pybabel
            [
                str(Path(sys.executable).with_name("pybabel")),
                "-q",
                "extract",
                "-F",
                str(ROOT / "babel.cfg"),
                "-k",
                "N_",
                "-k",
                "_l",
                "-k",
                "lazy_pgettext:1c,2",
                "-k",
                "N_p:1c,2",
                "-o",
                str(pot),
                "network",
                "templates",
            ],
            cwd=ROOT,
            check=True,
        )
        with pot.open("rb") as handle:
            return read_po(handle)


def catalog_problems(template: Catalog, locale: str) -> list[str]:
    """Missing, empty and fuzzy entries of one locale's catalog."""
    path = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return [f"{locale}: no catalog at {path.relative_to(ROOT)}"]
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    problems = []
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id, message.context)
        if found is None:
            problems.append(f"{locale}: missing {message.id!r}")
        elif found.fuzzy:
            problems.append(f"{locale}: fuzzy {message.id!r}")
        else:
            strings = found.string if isinstance(found.string, tuple) else (found.string,)
            if not all(strings):
                problems.append(f"{locale}: untranslated {message.id!r}")
    return problems


def template_literals(path: Path) -> list[str]:
    """Visible words in a template that are not inside a translation call."""
    source = _SCRIPT.sub(" ", path.read_text())
    source = _JINJA.sub(" ", source)
    words: list[str] = []
    for value in _TEXT_ATTRIBUTE.findall(source):
        words.extend(_WORD.findall(value))
    text = _TAG.sub(" ", source)
    words.extend(_WORD.findall(text))
    return [word for word in words if word not in UNTRANSLATED_WORDS]


def main() -> int:
    problems: list[str] = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        literals = template_literals(path)
        if literals:
            shown = ", ".join(sorted(set(literals))[:8])
            problems.append(f"{path.relative_to(ROOT)}: untranslated literal text: {shown}")
    template = extract_template()
    for locale in TARGET_LOCALES:
        problems.extend(catalog_problems(template, locale))
    for problem in problems:
        print(problem)
    if problems:
        print(f"i18n-check: {len(problems)} problem(s)")
        return 1
    print(f"i18n-check: {len(template)} messages translated in {', '.join(TARGET_LOCALES)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
