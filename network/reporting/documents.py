"""A draft formal request as a Word document: its kind's headings filled from the case.

Each kind has its own headings (46(15); 55(3) with 46(15); 44; 57), written in a language
the requested State accepts; the drafter's text stays as written. The officer finishes it
in their word processor. It is built from the request's
sealed contents, the case's summary and subjects (of the same relationship),
and the requested State's country-profile checklist, so it is loaded only
through ``access_request`` (and so ``access_case``) and every download is audited.
"""

from __future__ import annotations

import io
import re
from datetime import datetime

from docx import Document
from docx.document import Document as DocxDocument
from docx.shared import Pt

from network.assistance.access import access_request
from network.assistance.contents import (
    MISSING_LABELS,
    items_for,
    missing_contents,
    profile_checklist_for,
)
from network.assistance.models import AssistanceRequest
from network.audit import service as audit
from network.auth.models import User
from network.cases import listing
from network.cases.references import case_reference
from network.core.i18n import N_, written_date, written_list
from network.directory.models import State
from network.directory.profiles import current_profile
from network.directory.un_names import LANGUAGES
from network.extensions import db
from network.notifications.render import locale_in_force, translated, written_in
from network.notifications.render import translate as _
from network.recovery import subjects
from network.schemas.vocabularies import (
    DISCLOSURE_SUBJECT_ROLES,
    REQUEST_LEGAL_BASES,
    TRANSMISSION_CHANNELS,
)

PLACEHOLDER_MARK = "[…]"
# Characters XML 1.0 cannot hold (controls other than tab and newline, lone surrogates): what a
# user typed may contain them, and Word's format would refuse the whole document.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def _state_name(code: str, locale: str) -> str:
    state = db.session.get(State, code)
    return f"{state.name(locale)} ({code})" if state is not None else code


# The headings of the 46(15) items in the draft; the other items are headed by their label.
HEADINGS: dict[str, str] = {
    "requesting_authority": N_("Requesting authority (art. 46(15)(a))"),
    "subject_and_nature": N_(
        "Subject and nature of the investigation or proceedings (art. 46(15)(b))"
    ),
    "summary_of_facts": N_("Summary of the relevant facts (art. 46(15)(c))"),
    "assistance_sought": N_("Assistance sought (art. 46(15)(d))"),
    "procedure": N_("Particular procedure to be followed (art. 46(15)(d))"),
    "persons_concerned": N_("Persons concerned (art. 46(15)(e))"),
    "purpose": N_("Purpose of the request (art. 46(15)(f))"),
    "dual_criminality_statement": N_("Dual criminality"),
}
TITLES: dict[str, str] = {
    "mla": N_("Request for mutual legal assistance"),
    "extradition": N_("Request for extradition"),
    "freezing": N_("Request for freezing or seizure"),
    "confiscation": N_("Request for confiscation"),
    "recognition": N_("Request for recognition and enforcement of a foreign order"),
    "return": N_("Request for the return of assets"),
}


def headings(kind: str) -> list[tuple[str, str, bool]]:
    """(content item, heading, required) of a kind, in the order of its article, translated."""
    return [
        (name, _(HEADINGS.get(name, label)), required)
        for name, (label, required) in items_for(kind).items()
    ]


def draft_language(request: AssistanceRequest, reader: str) -> str:
    """The language the draft is written in: one the requested State accepts, where we can.

    The request's own language when the requested State accepts it and the network writes
    it; else the first the State's profile lists that the network writes; else the
    request's language, or the reader's, when the State accepts none of the six.
    """
    profile = current_profile(request.requested_state)
    accepted = [code for code in (profile.languages if profile else []) if code in LANGUAGES]
    if accepted:
        return request.language if request.language in accepted else accepted[0]
    return request.language if request.language in LANGUAGES else reader


def _persons(actor: User, case_id: int, requested_state: str, locale: str) -> list[str]:
    """Subjects of the same relationship: names, transliterations, roles, nationality."""
    lines = []
    for subject in subjects.list_subjects(actor, case_id):
        if subject.requested_state != requested_state:
            continue
        names = " / ".join(subject.names)
        if subject.transliterations:
            names += " (" + written_list(subject.transliterations, locale) + ")"
        roles = written_list(
            [translated(DISCLOSURE_SUBJECT_ROLES.get(role, role)) for role in subject.roles], locale
        )
        facts = [each for each in (roles if subject.roles else "", subject.nationality) if each]
        lines.append(names + (" — " + ", ".join(facts) if facts else ""))
    return lines


def _paragraphs(document: DocxDocument, text: str) -> None:
    for block in _xml_text(text or "").split("\n"):
        document.add_paragraph(block)


def draft_request(actor: User, request_id: int, now: datetime) -> tuple[str, bytes]:
    """The file name and the .docx bytes of a draft of one formal request.

    The labels are in the language the requested State accepts (``draft_language``); what
    the drafter wrote stays as written.
    """
    request, _scope = access_request(actor, request_id)
    case = listing.case_view(actor, request.case_id)
    reference = case_reference(request.case_id, actor.state_code)
    locale = draft_language(request, locale_in_force())
    with written_in(locale):
        document = _document(actor, request, case.summary or "", reference, locale, now)
    buffer = io.BytesIO()
    document.save(buffer)
    audit.record(
        actor, "request.draft_downloaded", "request", request.id, {"language": locale}, at=now
    )
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", reference).strip("-") or str(request.case_id)
    return f"draft-{request.kind}-request-{safe}-{request.id}.docx", buffer.getvalue()


def _document(
    actor: User,
    request: AssistanceRequest,
    case_summary: str,
    reference: str,
    locale: str,
    now: datetime,
) -> DocxDocument:
    contents = request.contents
    document = Document()
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading(_(TITLES[request.kind]), level=0)
    document.add_paragraph(_("DRAFT — to be completed and checked before it is sent."))
    facts = document.add_table(rows=0, cols=2)
    facts.style = "Table Grid"
    rows = [
        (_("From (requesting State)"), _state_name(request.requesting_state, locale)),
        (_("To (requested State)"), _state_name(request.requested_state, locale)),
        (_("Case reference"), reference),
        (_("Request reference"), request.reference or PLACEHOLDER_MARK),
        (
            _("Legal basis"),
            f"{translated(REQUEST_LEGAL_BASES[request.legal_basis])} "
            f"{request.legal_basis_text}".strip(),
        ),
        (
            _("Channel of transmission"),
            translated(TRANSMISSION_CHANNELS[request.transmission_channel]),
        ),
        (_("Urgent"), _("Yes") if request.urgent else _("No")),
        (
            _("Deadline asked (art. 46(24))"),
            written_date(request.deadline_on, locale) if request.deadline_on else PLACEHOLDER_MARK,
        ),
        (_("Reason for the deadline"), contents.get("deadline_reason") or PLACEHOLDER_MARK),
        (_("Drafted on"), written_date(now.date(), locale)),
    ]
    if request.conviction_based is not None:
        rows.insert(
            5,
            (
                _("Foreign order"),
                _("Conviction-based (54(1)(a))")
                if request.conviction_based
                else _("Not conviction-based (54(1)(c))"),
            ),
        )
    for label, value in rows:
        cells = facts.add_row().cells
        cells[0].text = label
        cells[1].text = _xml_text(value)

    for name, heading, required in headings(request.kind):
        value = (contents.get(name) or "").strip()
        if name == "summary_of_facts" and not value:
            value = case_summary.strip()
        if name == "persons_concerned":
            document.add_heading(heading, level=1)
            persons = _persons(actor, request.case_id, request.requested_state, locale)
            if value:
                _paragraphs(document, value)
            for line in persons:
                document.add_paragraph(_xml_text(line), style="List Bullet")
            if not value and not persons:
                document.add_paragraph(PLACEHOLDER_MARK)
            continue
        if not value and not required:
            continue
        document.add_heading(heading, level=1)
        _paragraphs(document, value or PLACEHOLDER_MARK)

    document.add_heading(_("Requirements of the requested State (country profile)"), level=1)
    checklist = profile_checklist_for(request)
    if not checklist:
        document.add_paragraph(_("The requested State has no country profile yet."))
    for label, value in checklist:
        document.add_paragraph(f"☐ {_(label)}: {_(value)}", style="List Bullet")

    missing = missing_contents(request)
    if missing:
        document.add_heading(_("Still missing"), level=1)
        for code in missing:
            document.add_paragraph("☐ " + _(MISSING_LABELS[code]), style="List Bullet")
    return document
