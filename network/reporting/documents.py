"""A draft formal request as a Word document: the 46(15) headings filled from the case.

The officer finishes it in their word processor. It is built from the request's
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
from network.assistance.contents import MISSING_LABELS, missing_contents, profile_checklist_for
from network.audit import service as audit
from network.auth.models import User
from network.cases import listing
from network.cases.references import case_reference
from network.core.i18n import written_date, written_list
from network.directory.models import State
from network.extensions import db
from network.notifications.render import locale_in_force, translated
from network.notifications.render import translate as _
from network.recovery import subjects
from network.schemas.vocabularies import DISCLOSURE_SUBJECT_ROLES

PLACEHOLDER_MARK = "[…]"
# Characters XML 1.0 cannot hold (controls other than tab and newline, lone surrogates): what a
# user typed may contain them, and Word's format would refuse the whole document.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def _state_name(code: str, locale: str) -> str:
    state = db.session.get(State, code)
    return f"{state.name(locale)} ({code})" if state is not None else code


def headings() -> list[tuple[str, str]]:
    """(content field, heading) in the order of article 46(15)."""
    return [
        ("requesting_authority", _("Requesting authority (art. 46(15)(a))")),
        (
            "subject_and_nature",
            _("Subject and nature of the investigation or proceedings (art. 46(15)(b))"),
        ),
        ("summary_of_facts", _("Summary of the relevant facts (art. 46(15)(c))")),
        ("assistance_sought", _("Assistance sought (art. 46(15)(d))")),
        ("procedure", _("Particular procedure to be followed (art. 46(15)(d))")),
        ("persons_concerned", _("Persons concerned (art. 46(15)(e))")),
        ("purpose", _("Purpose of the request (art. 46(15)(f))")),
    ]


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
    """The file name and the .docx bytes of a draft of one formal request."""
    request, _scope = access_request(actor, request_id)
    locale = locale_in_force()
    contents = request.contents
    case = listing.case_view(actor, request.case_id)
    reference = case_reference(request.case_id, actor.state_code)
    kinds = {
        "mla": _("Request for mutual legal assistance"),
        "extradition": _("Request for extradition"),
        "freezing": _("Request for freezing or seizure"),
        "confiscation": _("Request for confiscation"),
        "recognition": _("Request for recognition and enforcement of a foreign order"),
        "return": _("Request for the return of assets"),
    }

    document = Document()
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading(kinds.get(request.kind, request.kind), level=0)
    document.add_paragraph(_("DRAFT — to be completed and checked before it is sent."))
    facts = document.add_table(rows=0, cols=2)
    facts.style = "Table Grid"
    for label, value in (
        (_("From (requesting State)"), _state_name(request.requesting_state, locale)),
        (_("To (requested State)"), _state_name(request.requested_state, locale)),
        (_("Case reference"), reference),
        (_("Request reference"), request.reference or PLACEHOLDER_MARK),
        (_("Legal basis"), f"{request.legal_basis} {request.legal_basis_text}".strip()),
        (_("Channel of transmission"), request.transmission_channel),
        (_("Urgent"), _("Yes") if request.urgent else _("No")),
        (
            _("Deadline asked (art. 46(24))"),
            written_date(request.deadline_on, locale) if request.deadline_on else PLACEHOLDER_MARK,
        ),
        (_("Reason for the deadline"), contents.get("deadline_reason") or PLACEHOLDER_MARK),
        (_("Drafted on"), written_date(now.date(), locale)),
    ):
        cells = facts.add_row().cells
        cells[0].text = label
        cells[1].text = _xml_text(value)

    for name, heading in headings():
        document.add_heading(heading, level=1)
        value = (contents.get(name) or "").strip()
        if name == "summary_of_facts" and not value:
            value = (case.summary or "").strip()
        if name == "persons_concerned":
            persons = _persons(actor, request.case_id, request.requested_state, locale)
            if value:
                _paragraphs(document, value)
            for line in persons:
                document.add_paragraph(_xml_text(line), style="List Bullet")
            if not value and not persons:
                document.add_paragraph(PLACEHOLDER_MARK)
            continue
        _paragraphs(document, value or PLACEHOLDER_MARK)

    if contents.get("dual_criminality_statement"):
        document.add_heading(_("Dual criminality"), level=1)
        _paragraphs(document, contents["dual_criminality_statement"])

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

    buffer = io.BytesIO()
    document.save(buffer)
    audit.record(actor, "request.draft_downloaded", "request", request.id, at=now)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", reference).strip("-") or str(request.case_id)
    return f"draft-{request.kind}-request-{safe}-{request.id}.docx", buffer.getvalue()
