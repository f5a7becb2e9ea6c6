"""The ``label`` and ``choices`` filters: a stored code in the reader's language.

The words themselves live once, marked but untranslated, in ``schemas/vocabularies.py``;
here they are translated at render time (with their context where they carry one), and
an unknown code falls back to the raw value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask import Flask
from flask_babel import LazyString

from network.core.i18n import InContext
from network.notifications.render import translated
from network.schemas import vocabularies as vocab

Words = Mapping[str, str | InContext]

VOCABULARIES: dict[str, Words] = {
    "request_kind": vocab.REQUEST_KINDS,
    "request_status": vocab.REQUEST_STATUSES,
    "request_legal_basis": vocab.REQUEST_LEGAL_BASES,
    "transmission_channel": vocab.TRANSMISSION_CHANNELS,
    "request_direction": vocab.REQUEST_DIRECTIONS,
    "refusal_ground": vocab.REFUSAL_GROUNDS,
    "recognition_step": vocab.RECOGNITION_STEPS,
    "request_document_kind": vocab.REQUEST_DOCUMENT_KINDS,
    "subject_kind": vocab.SUBJECT_KINDS,
    "subject_role": vocab.DISCLOSURE_SUBJECT_ROLES,
    "asset_kind": vocab.ASSET_KINDS,
    "holding_kind": vocab.HOLDING_KINDS,
    "match_kind": vocab.MATCH_KINDS,
    "asset_status": vocab.ASSET_STATUSES,
    "return_basis": vocab.RETURN_BASES,
    "confiscation_finality": vocab.CONFISCATION_FINALITY,
    "return_arrangement": vocab.RETURN_ARRANGEMENTS,
    "return_step": vocab.RETURN_STEPS,
    "return_line_kind": vocab.RETURN_LINE_KINDS,
    "measure_kind": vocab.MEASURE_KINDS,
    "measure_legal_basis": vocab.MEASURE_BASES,
    "enforcement": vocab.ENFORCEMENT,
    "measure_status": vocab.MEASURE_STATUSES,
    "measure_event": vocab.MEASURE_EVENTS,
    "measure_event_detail": vocab.MEASURE_EVENT_DETAILS,
    "consultation_decision": vocab.CONSULTATION_DECISIONS,
    "disclosure_kind": vocab.DISCLOSURE_KINDS,
    "disclosure_status": vocab.DISCLOSURE_STATUSES,
    "disclosure_direction": vocab.DISCLOSURE_DIRECTIONS,
    "case_stage": vocab.STAGES,
    "role": vocab.ROLES,
    "handling_code": vocab.HANDLING_CODES,
    "urgency": vocab.URGENCY_LABELS,
    "ask_kind": vocab.ASK_KINDS,
    "ask_outcome": vocab.ASK_OUTCOMES,
    "party_answer": vocab.PARTY_ANSWERS,
}


def lazily(words: Words) -> dict[str, LazyString]:
    """A vocabulary's words, translated when shown, for code that holds them outside a request."""
    return {code: LazyString(translated, word) for code, word in words.items()}


# The forms and pages that index these words directly (admin.py, case_forms.py, cases.py).
ROLE_LABELS = lazily(vocab.ROLES)
STAGE_LABELS = lazily(vocab.STAGES)
HANDLING_CODE_LABELS = lazily(vocab.HANDLING_CODES)


def label(value: object, vocabulary: str) -> str:
    """The reader's word for a stored code; the code itself when the vocabulary lacks it."""
    if value is None:
        return ""
    words = VOCABULARIES[vocabulary]  # an unknown vocabulary is a template bug: fail loudly
    word = words.get(str(value))
    return str(value) if word is None else translated(word)


def choices(values: Iterable[object], vocabulary: str) -> list[tuple[str, str]]:
    """(code, word) pairs of these codes, the options of a page form's select."""
    return [(str(value), label(value, vocabulary)) for value in values]


def register_labels(app: Flask) -> None:
    app.add_template_filter(label, "label")
    app.add_template_filter(choices, "choices")
