"""The stories the tests tell, each written once.

- The case: Côte d'Ivoire (Aminata) asks Switzerland (Léa) and France (Camille).
- The freeze: in that case Switzerland freezes an account in Geneva; the reminder,
  calendar, figure and tracking tests follow it, each service called with an explicit
  ``now``.
- The outsiders: the whole case told once per person who must never see any of it;
  the permission matrices (tests/http/test_permission_matrix.py and
  tests/realtime/test_socket_matrix.py) then try every route and socket event on it.
  Every piece of case content carries the marker word ``Quillfeather``, so that a leak
  shows up wherever it hides; the disclosure, which a State shares with another State
  rather than with a case, carries ``Wrenhollow`` instead.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from flask import Flask

from network.asks import service as asks
from network.assistance import enquiries, requests
from network.assistance.models import AssistanceRequest
from network.auth.models import User
from network.auth.sessions import active_sessions, start_session
from network.auth.tokens import token_id
from network.cases import opening, references, tables, team
from network.cases.models import Case, Channel
from network.core import clock
from network.directory.authorities import create_authority
from network.directory.focal_points import create_focal_point
from network.directory.models import ObserverBody, State
from network.disclosures import service as disclosures
from network.extensions import db
from network.library.documents import create_document
from network.library.technical_assistance import record_entry
from network.messages import attachments, posting, reading
from network.messages.storage import DirectoryStore
from network.notifications import calendar, reminders
from network.notifications import service as notifications
from network.recovery import (
    assets,
    confiscations,
    consultations,
    endings,
    measures,
    return_lines,
    returns,
    subjects,
)
from network.recovery.models import Asset, ProvisionalMeasure
from tests.conftest import Cast, make_user, token_for

# --- the case --------------------------------------------------------------------------------

DISTINCTIVE = "Zebra-Quokka-Marmalade-7731"


@dataclass
class Story:
    case: Case
    che: Channel  # Aminata (CIV) and Léa (CHE)
    fra: Channel  # Aminata (CIV) and Camille (FRA)


def open_story(
    cast: Cast,
    summary: str = "Embezzled funds moved through Geneva and Paris.",
    title: str = "Port authority embezzlement",
    reference: str = "CIV-PNF-2024-17",
) -> Story:
    """Aminata opens a case toward Switzerland (with Léa) and France (with Camille)."""
    case = opening.open_case(
        cast.amina,
        title=title,
        summary=summary,
        reference=reference,
        requested_states=["CHE", "FRA"],
        counterparts=[cast.lea.id, cast.camille.id],
        now=clock.now(),
    )
    db.session.commit()
    channels = {c.requested_state: c for c in db.session.query(Channel).filter_by(case_id=case.id)}
    return Story(case=case, che=channels["CHE"], fra=channels["FRA"])


@dataclass
class TableStory:
    """Aminata (CIV) asks Switzerland (Léa), France (Camille) and China (Chen), then opens a
    multilateral channel with all three: Léa accepts, Camille declines, Chen has not answered."""

    case: Case
    bilateral: dict[str, Channel]
    table: Channel


def table_story(cast: Cast, *, answer: bool = True) -> TableStory:
    """The case with three requested States and its table; ``answer=False`` leaves all pending."""
    case = opening.open_case(
        cast.amina,
        title="Port authority embezzlement",
        summary="Embezzled funds moved through Geneva, Paris and Shanghai.",
        reference="CIV-PNF-2024-18",
        requested_states=["CHE", "FRA", "CHN"],
        counterparts=[cast.lea.id, cast.camille.id, cast.chen.id],
        now=clock.now(),
    )
    table = tables.open_table(cast.amina, case.id, ["CHE", "FRA", "CHN"], clock.now())
    if answer:
        tables.answer_table(cast.lea, table.id, True, clock.now())
        tables.answer_table(cast.camille, table.id, False, clock.now())
    db.session.commit()
    bilateral = {
        c.requested_state: c
        for c in db.session.query(Channel).filter_by(case_id=case.id, kind="bilateral")
    }
    return TableStory(case=case, bilateral=bilateral, table=table)


def removed_member(cast: Cast, story: Story) -> User:
    """Kofi (CIV practitioner) joins Aminata's team and is then taken off it."""
    kofi = make_user("kofi@civ.example", "Kofi Yeboah", "practitioner", "CIV")
    team.add_team_member(cast.amina, story.case.id, kofi.id, clock.now())
    team.remove_team_member(cast.amina, story.case.id, kofi.id, clock.now())
    db.session.commit()
    return kofi


# --- the freeze --------------------------------------------------------------------------------

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

CONTENTS = {
    "requesting_authority": "Pôle pénal économique et financier, Abidjan",
    "subject_and_nature": "Embezzlement of public funds by port officials",
    "summary_of_facts": "Funds diverted in 2021-2022 to accounts in Geneva.",
    "assistance_sought": "Freezing of account CH93 0076 2011 6238 5295 7",
    "persons_concerned": "K. Traoré, Ivorian national",
    "purpose": "Preserve the funds for confiscation",
}
# What each other kind asks beyond CONTENTS (55(3)(a), (b), (c); 44; 57), filled in full.
CONTENTS_FOR: dict[str, dict[str, str]] = {
    "mla": CONTENTS,
    "freezing": {**CONTENTS, "actions_requested": "Freeze the account as a whole"},
    "confiscation": {
        **CONTENTS,
        "property_description": "Account CH93 0076 2011 6238 5295 7, Geneva, CHF 1.2 million",
        "facts_for_domestic_order": "The funds are the proceeds of the embezzlement",
    },
    "recognition": {
        **CONTENTS,
        "order_copy": "Certified copy of the judgment of 3 March 2026, annex 1",
        "extent_of_execution": "The whole balance of the account",
        "third_party_notice": "The bank and the account holder were served on 5 March 2026",
        "order_is_final": "No appeal lies: the judgment is final since 4 April 2026",
    },
    "extradition": {
        "requesting_authority": CONTENTS["requesting_authority"],
        "person_sought": "K. Traoré, born 1970, living in Geneva",
        "offence_and_law": "Embezzlement of public funds, art. 110 of the Penal Code",
        "summary_of_facts": CONTENTS["summary_of_facts"],
        "warrant_or_judgment": "Arrest warrant of 2 February 2026, annex 1",
        "dual_criminality_statement": "Art. 138 and 314 of the Swiss Criminal Code",
    },
    "return": {
        "requesting_authority": CONTENTS["requesting_authority"],
        "confiscation_order": "Confiscation order of the Geneva court, final on 1 May 2026",
        "return_basis": "Embezzled public funds (57(3)(a))",
    },
}


@dataclass
class Freeze:
    story: Story
    asset: Asset
    measure: ProvisionalMeasure


def set_zone(code: str, zone: str) -> None:
    state = db.session.get(State, code)
    assert state is not None
    state.time_zone = zone
    db.session.commit()


def open_freeze(
    cast: Cast,
    *,
    effective_on: date = date(2026, 1, 5),
    expires_on: date = date(2026, 3, 31),
    now: datetime = START,
    reference: str = "CIV-PNF-2024-17",
) -> Freeze:
    """Aminata opens the case; Léa records the account and Switzerland's freezing order."""
    story = open_story(cast)
    if reference != "CIV-PNF-2024-17":
        from network.cases import references

        references.set_own_reference(cast.amina, story.case.id, reference, now)
    asset = assets.record_asset(
        cast.lea,
        story.case.id,
        kind="bank_account",
        location_state="CHE",
        estimated_value="2500000.00",
        currency="CHF",
        description="Account at a Geneva bank",
        now=now,
    )
    measure = measures.record_measure(
        cast.lea,
        story.case.id,
        kind="freezing",
        asset_ids=[asset.id],
        issuing_authority="Ministère public de la Confédération",
        issuing_state="CHE",
        legal_basis="54_2_b",
        effective_on=effective_on,
        expires_on=expires_on,
        now=now,
    )
    db.session.commit()
    return Freeze(story, asset, measure)


def sent_request(
    cast: Cast, story: Story, now: datetime, *, deadline_on: date | None = None, **values: object
) -> AssistanceRequest:
    """Aminata records a complete request (MLA unless told) to Switzerland; sent, then received."""
    kind = str(values.pop("kind", "mla"))
    request = requests.create_request(
        cast.amina,
        story.case.id,
        kind=kind,
        requested_state="CHE",
        legal_basis="uncac",
        legal_basis_text="UNCAC art. 46",
        transmission_channel="central_authority",
        contents=CONTENTS_FOR[kind],
        deadline_on=deadline_on,
        deadline_reason="Trial opens in April" if deadline_on else "",
        now=now,
        **values,  # type: ignore[arg-type]
    )
    requests.transition(cast.amina, request.id, to="sent", now=now)
    requests.transition(cast.lea, request.id, to="received", now=now)
    db.session.commit()
    return request


# --- the outsiders --------------------------------------------------------------------------------

CASE_MARK = "Quillfeather"
DISCLOSURE_MARK = "Wrenhollow"
# Who must not see the case; each is one story's outsider.
OUTSIDERS = (
    "practitioner of an uninvolved State",
    "national administrator of an uninvolved State",
    "uninvited observer",
    "network administrator",
    "removed member",
)
# A State's disclosure belongs to the State, not to a case: the removed member is still a
# practitioner of Côte d'Ivoire, which sent it, and reads it as such.
SEES = {"removed member": frozenset({"disclosure"})}


@dataclass
class Told:
    """The story's ids, by the name a URL parameter gives them, and its outsider."""

    story: Story
    member: User  # Aminata, who opened the case
    outsider: User
    role: str
    ids: dict[str, int | str] = field(default_factory=dict)

    @property
    def marks(self) -> tuple[str, ...]:
        """The marker words this outsider must never read."""
        if "disclosure" in SEES.get(self.role, frozenset()):
            return (CASE_MARK,)
        return (CASE_MARK, DISCLOSURE_MARK)


def _tell_case(cast: Cast, story: Story, now: datetime, folder: Path) -> dict[str, int]:
    """Talk, a file, a stage change and both sides' references in the Swiss channel."""
    channel = story.che.id
    references.set_own_reference(cast.lea, story.case.id, "CHE-Quillfeather-7302", now)
    upload = attachments.store_attachment(
        cast.amina,
        channel,
        filename="quillfeather-ledger.txt",
        stream=io.BytesIO(b"Quillfeather ledger: 40 transfers to Lugano"),
        declared_size=None,
        store=DirectoryStore(folder),
        max_bytes=1_000_000,
        now=now,
    )
    posting.post_message(
        cast.amina,
        channel,
        client_id="story-1",
        body="Quillfeather message from Abidjan: the notary confessed",
        attachment_ids=[upload.id],
        now=now,
    )
    posting.post_message(
        cast.lea,
        channel,
        client_id="story-2",
        body="Quillfeather reply from Bern: the account is located",
        now=now,
    )
    opening.change_stage(
        cast.amina, story.case.id, "formal_request", "Quillfeather goes formal", now
    )
    return {"case_id": story.case.id, "channel_id": channel, "attachment_id": upload.id}


def _tell_request(cast: Cast, story: Story, now: datetime) -> dict[str, int]:
    """An MLA request, sent and received, with an enquiry and a delay notice."""
    request = requests.create_request(
        cast.amina,
        story.case.id,
        kind="mla",
        requested_state="CHE",
        legal_basis="uncac",
        legal_basis_text="UNCAC art. 46 (Quillfeather)",
        transmission_channel="central_authority",
        reference="CIV-MLA-Quillfeather-9",
        deadline_on=(now + timedelta(days=40)).date(),
        deadline_reason="Quillfeather trial opens",
        contents={
            "requesting_authority": "Quillfeather prosecutor, Abidjan",
            "subject_and_nature": "Quillfeather embezzlement of port fees",
            "summary_of_facts": "Quillfeather funds moved to Lugano in 2022",
            "assistance_sought": "Quillfeather bank records",
            "persons_concerned": "Ignatius Quillfeather",
            "purpose": "Quillfeather confiscation",
        },
        now=now,
    )
    requests.transition(cast.amina, request.id, to="sent", now=now)
    requests.transition(cast.lea, request.id, to="received", now=now)
    requests.transition(cast.lea, request.id, to="in_execution", now=now)
    enquiry = enquiries.ask_status(cast.amina, request.id, "Quillfeather: any news?", now)
    enquiries.give_delay_notice(
        cast.lea, request.id, delay_days=20, reason="Quillfeather court backlog", now=now
    )
    return {"request_id": request.id, "enquiry_id": enquiry.id}


def _tell_recovery(cast: Cast, story: Story, now: datetime) -> dict[str, int]:
    """A subject, an account frozen (consulted, extended when asked), a villa returned."""
    subject = subjects.record_subject(
        cast.amina,
        story.case.id,
        kind="natural",
        names=["Ignatius Quillfeather"],
        transliterations=["Ignace Quillfeather"],
        roles=["pep"],
        identifiers={"passport": "QUILLFEATHER-557"},
        requested_state="CHE",
        now=now,
    )
    today = now.date()
    account, villa = (
        assets.record_asset(
            cast.lea,
            story.case.id,
            kind=kind,
            location_state="CHE",
            holder=subject.id,
            estimated_value="2500000.00",
            currency="CHF",
            description=f"Quillfeather {kind}",
            identifiers={"register": f"Quillfeather-{kind}"},
            third_party_interests="Quillfeather bank lien",
            now=now,
        )
        for kind in ("bank_account", "real_estate")
    )
    measure, seizure = (
        measures.record_measure(
            cast.lea,
            story.case.id,
            kind=kind,
            asset_ids=[asset.id],
            issuing_authority="Quillfeather tribunal of Geneva",
            issuing_state="CHE",
            legal_basis="54_2_b",
            effective_on=today,
            expires_on=today + timedelta(days=60),
            order_reference=f"ORD-Quillfeather-{kind}",
            now=now,
        )
        for kind, asset in (("freezing", account), ("seizure", villa))
    )
    consultation = consultations.record_consultation(
        cast.lea,
        measure.id,
        invited_on=today,
        deadline_on=today + timedelta(days=10),
        representations="Quillfeather representations",
        now=now,
    )
    asked = asks.create_ask(
        cast.amina,
        story.case.id,
        kind="extension",
        channel=story.che.id,
        due_on=today + timedelta(days=5),
        text="Quillfeather: please extend the freeze",
        measure=measure.id,
        now=now,
    )
    extension = endings.extend_measure(
        cast.lea,
        measure.id,
        new_expires_on=today + timedelta(days=90),
        note="Quillfeather extension",
        now=now,
    )
    asks.answer_ask(
        cast.lea,
        asked.id,
        outcome="granted",
        reason="Quillfeather: extended by 30 days",
        extension=extension.id,
        now=now,
    )
    endings.replace_with_confiscation(
        cast.lea, seizure.id, confiscation_reference="CONF-Quillfeather", now=now
    )
    returns.record_return(
        cast.lea,
        villa.id,
        basis="57_3_a",
        amount="1000000",
        currency="CHF",
        agreement_reference="RET-Quillfeather-5",
        now=now,
    )
    return {
        "subject_id": subject.id,
        "asset_id": account.id,
        "measure_id": measure.id,
        "consultation_id": consultation.id,
        "ask_id": asked.id,
        **_tell_return(cast, story, subject.id, now),
    }


def _tell_return(cast: Cast, story: Story, holder: int, now: datetime) -> dict[str, int]:
    """A vessel confiscated by a final order, and its return: terms, an expense, a milestone."""
    today = now.date()
    vessel = assets.record_asset(
        cast.lea, story.case.id, kind="vessel", location_state="CHE", holder=holder,
        description="Quillfeather vessel", now=now,
    )
    order = confiscations.record_confiscation(
        cast.lea, story.case.id, order_reference="CONF-Quillfeather-7", ordered_on=today,
        finality="final", final_on=today,
        assets=[{"asset": vessel.id, "amount": "300000", "currency": "CHF"}], now=now,
    )
    agreed = returns.open_return(
        cast.lea, story.case.id, confiscation=order.id, basis="57_3_a",
        arrangement="agreement", terms="Quillfeather terms", now=now,
    )
    line = return_lines.add_line(
        cast.lea, agreed.id, kind="expense", label="Quillfeather berth fees", amount="1000",
        currency="CHF", now=now,
    )
    milestone = return_lines.add_milestone(
        cast.amina, agreed.id, description="Quillfeather report", due_on=today + timedelta(days=9),
        now=now,
    )
    return {
        "confiscation_id": order.id,
        "return_id": agreed.id,
        "line_id": line.id,
        "milestone_id": milestone.id,
    }


def _tell_disclosure(cast: Cast, story: Story, now: datetime) -> int:
    """Côte d'Ivoire tells Switzerland of its own accord; Switzerland links the case."""
    sent = disclosures.send_disclosure(
        cast.amina,
        kind="spontaneous_56",
        to_state="CHE",
        summary="Wrenhollow: proceeds passed through a Zurich trust",
        subjects=[{"name": "Ottoline Wrenhollow", "role": "suspect"}],
        handling_note="Wrenhollow: do not contact the trustee",
        reference="DISC-Wrenhollow-3",
        now=now,
    )
    disclosures.follow_up(
        cast.lea, sent.id, case_id=story.case.id, note="Wrenhollow led here", now=now
    )
    return sent.id


def _tell_directory(cast: Cast, now: datetime) -> dict[str, int | str]:
    """The public part: an authority and a focal point of Côte d'Ivoire, an observer body."""
    authority = create_authority(
        None,
        "CIV",
        {"name": "Pôle pénal économique et financier", "kind": "prosecution"},
        now=now,
    )
    focal_point = create_focal_point(
        None, {"authority_id": authority.id, "name": "Awa Diallo"}, now=now
    )
    body = db.session.scalars(db.select(ObserverBody)).first()
    assert body is not None
    guide = create_document(
        cast.secretariat,
        {
            "kind": "guide",
            "versions": [{"language": "en", "title": "Guide", "dated_on": now.date()}],
        },
        now=now,
    )
    need = record_entry(cast.yao, {"direction": "need", "area": "training"}, now=now)
    return {
        "document_id": guide.id,
        "entry_id": need.id,
        "code": "CIV",
        "authority_id": authority.id,
        "focal_point_id": focal_point.id,
        "body_id": body.id,
        "user_id": cast.amina.id,
    }


def _tell_accounts(cast: Cast, story: Story, now: datetime) -> dict[str, int]:
    """Reminders of the freeze and the request reach the team; Aminata signs in, makes a token."""
    reminders.send_reminders(now + timedelta(days=85), unread_interval=timedelta(hours=4))
    notices, _total = notifications.notifications_for(cast.amina)
    start_session(
        cast.amina, now=now, absolute_hours=8, client_address=None, user_agent="story"
    )
    token = token_id(token_for(cast.amina))
    assert notices
    assert token is not None
    sessions = active_sessions(cast.amina, now=now)
    return {"notification_id": notices[0].id, "session_id": sessions[0].id, "token_id": token}


def tell_story(app: Flask, cast: Cast, role: str) -> Told:
    """Tell the whole story and name its outsider; everything is committed."""
    now = clock.now()
    story = open_story(
        cast,
        title="Operation Quillfeather",
        summary="Quillfeather summary: port fees routed through a Lugano trust",
        reference="CIV-Quillfeather-7301",
    )
    kofi = make_user("kofi@civ.example", "Kofi Yeboah", "practitioner", "CIV")
    team.add_team_member(cast.amina, story.case.id, kofi.id, now)
    ids: dict[str, int | str] = {}
    ids.update(_tell_case(cast, story, now, Path(app.config["ATTACHMENT_DIR"])))
    # Kofi reads the Swiss channel while on the team, and is taken off it when all is said.
    read = reading.messages_after(kofi, story.che.id, 0, 10)
    reading.mark_read(kofi, story.che.id, read[-1].seq, now)
    ids.update(_tell_request(cast, story, now))
    ids.update(_tell_recovery(cast, story, now))
    ids["disclosure_id"] = _tell_disclosure(cast, story, now)
    ids.update(_tell_directory(cast, now))
    ids.update(_tell_accounts(cast, story, now))
    team.remove_team_member(cast.amina, story.case.id, kofi.id, now)
    outsider = {
        "practitioner of an uninvolved State": cast.chen,
        "national administrator of an uninvolved State": cast.olga,
        "uninvited observer": cast.observer,
        "network administrator": cast.secretariat,
        "removed member": kofi,
    }[role]
    _feed, secret = calendar.create_feed(outsider, now)
    ids["secret"] = secret
    db.session.commit()
    return Told(story=story, member=cast.amina, outsider=outsider, role=role, ids=ids)
