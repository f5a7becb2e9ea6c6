"""Words for the codes the services store, and the ``label`` filter that shows them to people.

Each vocabulary maps a stored value to its English label; the filter translates it
into the reader's language and falls back to the raw value for an unknown code.
Labels are ``lazy_gettext`` strings here, with a context where one English word needs
another grammatical form in other languages (statuses, directions), or ``N_`` strings
borrowed from the domain (refusal grounds, urgency, directory channels): each word once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask import Flask
from flask_babel import LazyString, gettext, lazy_pgettext
from flask_babel import lazy_gettext as _l

from network.schemas.vocabularies import (
    AUTHORITY_CHANNELS,
    REFUSAL_GROUNDS,
    URGENCY_LABELS,
    RequestStatus,
    Role,
    Stage,
)

# --- requests (network/assistance) -----------------------------------------------------------

REQUEST_KINDS = {
    "mla": _l("Mutual legal assistance"),
    "extradition": _l("Extradition"),
    "freezing": _l("Freezing"),
    "confiscation": _l("Confiscation"),
    "return": _l("Return of assets"),
}
REQUEST_STATUSES = {
    RequestStatus.DRAFT.value: lazy_pgettext("request status", "Draft"),
    RequestStatus.SHARED_FOR_COMMENT.value: lazy_pgettext("request status", "Shared for comment"),
    RequestStatus.SENT.value: lazy_pgettext("request status", "Sent"),
    RequestStatus.RECEIVED.value: lazy_pgettext("request status", "Received"),
    RequestStatus.MORE_INFORMATION_REQUESTED.value: lazy_pgettext(
        "request status", "More information requested"
    ),
    RequestStatus.INFORMATION_PROVIDED.value: lazy_pgettext(
        "request status", "Information provided"
    ),
    RequestStatus.IN_EXECUTION.value: lazy_pgettext("request status", "In execution"),
    RequestStatus.PARTLY_EXECUTED.value: lazy_pgettext("request status", "Partly executed"),
    RequestStatus.EXECUTED.value: lazy_pgettext("request status", "Executed"),
    RequestStatus.REFUSED.value: lazy_pgettext("request status", "Refused"),
    RequestStatus.POSTPONED.value: lazy_pgettext("request status", "Postponed"),
    RequestStatus.WITHDRAWN.value: lazy_pgettext("request status", "Withdrawn"),
    RequestStatus.CLOSED.value: lazy_pgettext("request status", "Closed"),
}
REQUEST_LEGAL_BASES = {
    "uncac": _l("UNCAC"),
    "treaty": _l("Treaty"),
    "reciprocity": _l("Reciprocity"),
}
TRANSMISSION_CHANNELS = {
    "central_authority": AUTHORITY_CHANNELS["central_authority"],
    "diplomatic": AUTHORITY_CHANNELS["diplomatic"],
    "interpol": _l("INTERPOL"),
    "direct": AUTHORITY_CHANNELS["direct"],
}
REQUEST_DIRECTIONS = {
    "outgoing": lazy_pgettext("request direction", "Outgoing"),
    "incoming": lazy_pgettext("request direction", "Incoming"),
}

# --- subjects, assets and orders (network/recovery) ------------------------------------------

SUBJECT_KINDS = {"natural": _l("Natural person"), "legal": _l("Legal person")}
SUBJECT_ROLES = {
    "suspect": _l("Suspect"),
    "beneficial_owner": _l("Beneficial owner"),
    "nominee": _l("Nominee"),
    "pep": _l("Politically exposed person"),
    "pep_family": _l("Family member of a politically exposed person"),
    "pep_associate": _l("Close associate of a politically exposed person"),
    "account_holder": _l("Account holder"),
    "other": lazy_pgettext("subject role", "Other"),
}
ASSET_KINDS = {
    "bank_account": _l("Bank account"),
    "real_estate": _l("Real estate"),
    "vehicle": _l("Vehicle"),
    "vessel": _l("Vessel"),
    "aircraft": _l("Aircraft"),
    "company_shares": _l("Company shares"),
    "virtual_asset": _l("Virtual asset"),
    "other": lazy_pgettext("asset kind", "Other"),
}
ASSET_STATUSES = {
    "identified": lazy_pgettext("asset status", "Identified"),
    "frozen_or_seized": lazy_pgettext("asset status", "Frozen or seized"),
    "confiscated": lazy_pgettext("asset status", "Confiscated"),
    "returned": lazy_pgettext("asset status", "Returned"),
    "released": lazy_pgettext("asset status", "Released"),
}
RETURN_BASES = {
    "57_3_a": _l("57(3)(a): embezzled public funds"),
    "57_3_b": _l("57(3)(b): proceeds of another offence, prior ownership established"),
    "57_3_c": _l("57(3)(c): any other case"),
}
MEASURE_KINDS = {"freezing": _l("Freezing"), "seizure": _l("Seizure")}
MEASURE_LEGAL_BASES = {
    "54_2_a": _l("54(2)(a): a foreign freezing or seizure order"),
    "54_2_b": _l("54(2)(b): a request giving reasonable grounds"),
    "54_2_c": _l("54(2)(c): preservation for confiscation"),
    "domestic": _l("Domestic law"),
}
ENFORCEMENT = {
    "indirect": _l("Indirect (domestic order)"),
    "direct": _l("Direct (foreign order)"),
}
MEASURE_STATUSES = {
    "requested": lazy_pgettext("order status", "Requested"),
    "in_force": lazy_pgettext("order status", "In force"),
    "extended": lazy_pgettext("order status", "Extended"),
    "lapsed": lazy_pgettext("order status", "Lapsed"),
    "lifted": lazy_pgettext("order status", "Lifted"),
    "replaced": lazy_pgettext("order status", "Replaced by confiscation"),
}
MEASURE_EVENTS = {
    "recorded": _l("Order recorded"),
    "updated": _l("Order updated"),
    "extended": _l("Order extended"),
    "consultation": _l("Consultation recorded"),
    "consultation_updated": _l("Consultation updated"),
    "lifted": _l("Order lifted"),
    "replaced": _l("Replaced by confiscation"),
}
# The keys of a history line's details, in the words of the measure page's own fields.
MEASURE_EVENT_DETAILS = {
    "effective_on": _l("Effective on"),
    "expires_on": _l("Expires on"),
    "next_review_on": _l("Next review hearing"),
    "longest_duration_days": _l("Longest permitted duration (days)"),
    "from": _l("From"),
    "to": _l("To"),
    "asked_by": _l("Asked by"),
    "confiscated_on": _l("Confiscated on"),
    "deadline_on": _l("Deadline for representations"),
    "decision": _l("Decision"),
}
CONSULTATION_DECISIONS = {
    "pending": _l("Pending"),
    "keep": _l("Keep the order"),
    "lift": _l("Lift the order"),
}

# --- disclosures (network/disclosures) -------------------------------------------------------

DISCLOSURE_KINDS = {
    "spontaneous_56": _l("Spontaneous disclosure (art. 56)"),
    "notification_52_2_b": _l("Notification (art. 52(2)(b))"),
    "notification_request": _l("Request for notification"),
}
DISCLOSURE_STATUSES = {
    "sent": lazy_pgettext("disclosure status", "Sent"),
    "acknowledged": lazy_pgettext("disclosure status", "Acknowledged"),
    "followed_up": lazy_pgettext("disclosure status", "Followed up"),
    "no_action": lazy_pgettext("disclosure status", "No action"),
}
DISCLOSURE_DIRECTIONS = {
    "sent": lazy_pgettext("disclosure direction", "Sent"),
    "received": lazy_pgettext("disclosure direction", "Received"),
}

# --- cases, people, messages -----------------------------------------------------------------

STAGE_LABELS = {
    Stage.INFORMAL_CONSULTATION.value: _l("Informal consultation"),
    Stage.FORMAL_REQUEST.value: _l("Formal request"),
    Stage.PROVISIONAL_MEASURES.value: _l("Provisional measures"),
    Stage.CONFISCATION.value: _l("Confiscation"),
    Stage.RETURN.value: _l("Return"),
    Stage.CLOSED.value: _l("Closed"),
}
ROLE_LABELS: dict[str, object] = {
    Role.PRACTITIONER.value: _l("Practitioner"),
    Role.NATIONAL_ADMIN.value: _l("National administrator"),
    Role.OBSERVER.value: _l("Observer"),
    Role.NETWORK_ADMIN.value: _l("Network administrator"),
}
HANDLING_CODE_LABELS = {
    "H0": _l("H0 — use for the purpose of the case"),
    "H1": _l("H1 — not for judicial proceedings without the sender's consent"),
    "H2": _l("H2 — not to be passed beyond the receiving authority without consent"),
    "H3": _l("H3 — other restriction, stated in the message"),
}

VOCABULARIES: dict[str, Mapping[str, object]] = {
    "request_kind": REQUEST_KINDS,
    "request_status": REQUEST_STATUSES,
    "request_legal_basis": REQUEST_LEGAL_BASES,
    "transmission_channel": TRANSMISSION_CHANNELS,
    "request_direction": REQUEST_DIRECTIONS,
    "refusal_ground": REFUSAL_GROUNDS,
    "subject_kind": SUBJECT_KINDS,
    "subject_role": SUBJECT_ROLES,
    "asset_kind": ASSET_KINDS,
    "asset_status": ASSET_STATUSES,
    "return_basis": RETURN_BASES,
    "measure_kind": MEASURE_KINDS,
    "measure_legal_basis": MEASURE_LEGAL_BASES,
    "enforcement": ENFORCEMENT,
    "measure_status": MEASURE_STATUSES,
    "measure_event": MEASURE_EVENTS,
    "measure_event_detail": MEASURE_EVENT_DETAILS,
    "consultation_decision": CONSULTATION_DECISIONS,
    "disclosure_kind": DISCLOSURE_KINDS,
    "disclosure_status": DISCLOSURE_STATUSES,
    "disclosure_direction": DISCLOSURE_DIRECTIONS,
    "case_stage": STAGE_LABELS,
    "role": ROLE_LABELS,
    "handling_code": HANDLING_CODE_LABELS,
    "urgency": URGENCY_LABELS,
}


def label(value: object, vocabulary: str) -> str:
    """The reader's word for a stored code; the code itself when the vocabulary lacks it."""
    if value is None:
        return ""
    words = VOCABULARIES[vocabulary]  # an unknown vocabulary is a template bug: fail loudly
    word = words.get(str(value))
    if word is None:
        return str(value)
    return str(word) if isinstance(word, LazyString) else gettext(str(word))


def choices(values: Iterable[object], vocabulary: str) -> list[tuple[str, str]]:
    """(code, word) pairs of these codes, the options of a page form's select."""
    return [(str(value), label(value, vocabulary)) for value in values]


def register_labels(app: Flask) -> None:
    app.add_template_filter(label, "label")
    app.add_template_filter(choices, "choices")
