"""The demo case: Côte d'Ivoire asks Switzerland and France about a former official's accounts.

Told through the services alone, with dates counted back from ``now`` so that the
freezing order always lapses within two weeks of the day the demo is loaded. Every
name, account and amount is fictional. The story is told once: a second run finds
Côte d'Ivoire's reference for the case and adds nothing.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from network.assistance import requests
from network.auth.accounts import find_user_by_email
from network.auth.models import User
from network.cases import opening, references
from network.cases.access import bilateral_channels
from network.disclosures import service as disclosures
from network.messages import attachments, posting, reading
from network.messages.storage import AttachmentStore
from network.notifications import reminders
from network.recovery import assets, endings, measures, subjects

CASE_REFERENCE = "DEMO-CIV-PPEF-2026-001"
SWISS_REFERENCE = "DEMO-CHE-MPC-2026-17"
# How long before ``now`` the case was opened, and how far off the frozen account's order lapses.
OPENED_DAYS_AGO = 200
LAPSES_IN_DAYS = 10
FREEZE_DAYS = 90
# When the unread-message notices count a member as away.
UNREAD_INTERVAL = timedelta(hours=4)

LEDGER = (
    "DEMO DATA - FICTIONAL\n"
    "Transfers from the (fictional) Port Development Fund, 2021-2022\n"
    "2021-03-02  XOF 410 000 000  to account DEMO-CH-0001, Geneva\n"
    "2021-09-15  XOF 275 000 000  to account DEMO-CH-0001, Geneva\n"
    "2022-01-20  EUR 380 000      to account DEMO-FR-0002, Paris\n"
)
STATEMENT = (
    "date,description,amount_chf\n"
    "2021-03-04,Incoming transfer (fictional),625000.00\n"
    "2021-09-17,Incoming transfer (fictional),418000.00\n"
    "2022-05-30,Outgoing transfer to a (fictional) trust,-150000.00\n"
)
CONTENTS = {
    "requesting_authority": "Pôle pénal économique et financier, Abidjan (demo)",
    "subject_and_nature": "Embezzlement of public funds by a former port director (fictional)",
    "summary_of_facts": "Fees of the fictional Port Development Fund diverted in 2021-2022 "
    "to an account in Geneva.",
    "assistance_sought": "Bank records of account DEMO-CH-0001 and its freezing",
    "persons_concerned": "Adama Exemple, former port director (fictional person)",
    "purpose": "Preserve the funds for confiscation and return",
}
# What the Swiss profile asks that the draft shared for comment did not yet say.
COMPLETED_AFTER_COMMENT = {
    "summary_of_facts": CONTENTS["summary_of_facts"].rstrip(".")
    + ", by transfers on 3 March 2021 and 14 June 2022 (fictional); the freezing should cover "
    "the account as a whole.",
    "dual_criminality_statement": "Embezzlement of public funds is punishable in Switzerland "
    "as misappropriation and unfaithful performance of public duties (demo)",
    "translation_statement": "Request and annexes in French, certified translation (demo)",
}


# A day of the story, counted from the case's opening, as a moment.
Day = Callable[[int], datetime]


@dataclass
class Files:
    """Where attachments are stored, and how large one may be."""

    store: AttachmentStore
    max_bytes: int


@dataclass
class Cast:
    """The demo accounts the story needs."""

    amina: User  # Côte d'Ivoire, requesting
    lea: User  # Switzerland, requested
    camille: User  # France, requested


def _cast() -> Cast | None:
    amina, lea, camille = (
        find_user_by_email(email)
        for email in ("aminata.kone@civ.demo", "lea.muller@che.demo", "camille.laurent@fra.demo")
    )
    if amina is None or lea is None or camille is None:
        return None
    return Cast(amina, lea, camille)


def tell(now: datetime, *, store: AttachmentStore, max_bytes: int) -> list[str]:
    """Tell the demo case once; what it did, in lines for the console."""
    if references.case_with_reference("CIV", CASE_REFERENCE) is not None:
        return [f"Demo case {CASE_REFERENCE} already there"]
    cast = _cast()
    if cast is None:
        return ["Demo case not told: the demo users are missing"]

    def day(offset: int) -> datetime:
        return now - timedelta(days=OPENED_DAYS_AGO - offset)

    case_id = _open(cast, day(0))
    bilateral = bilateral_channels(case_id)
    channels = {each.requested_state: each.id for each in bilateral if each.requested_state}
    _talk(cast, channels, day, Files(store, max_bytes))
    _request(cast, case_id, channels["CHE"], day, now)
    _freeze(cast, case_id, day, now)
    _disclose(cast, day)
    _recent_talk(cast, channels, now)
    made = reminders.send_reminders(now, unread_interval=UNREAD_INTERVAL)
    return [f"Demo case {CASE_REFERENCE} told; notices made: {len(made)}"]


def _open(cast: Cast, at: datetime) -> int:
    """Aminata opens the case toward Switzerland (Léa) and France (Camille)."""
    case = opening.open_case(
        cast.amina,
        title="Port Development Fund (demo, fictional)",
        summary="A former port director (fictional) is thought to hold the diverted fees "
        "in accounts in Geneva and Paris.",
        reference=CASE_REFERENCE,
        requested_states=["CHE", "FRA"],
        counterparts=[cast.lea.id, cast.camille.id],
        now=at,
    )
    references.set_own_reference(cast.lea, case.id, SWISS_REFERENCE, at)
    return case.id


def _say(author: User, channel_id: int, key: str, body: str, at: datetime, *files: int) -> int:
    """Post a message; its author has read the channel up to it."""
    message, _new = posting.post_message(
        author, channel_id, client_id=f"demo-{key}", body=body, attachment_ids=files, now=at
    )
    reading.mark_read(author, channel_id, message.seq, at)
    return message.seq


def _file(author: User, channel_id: int, name: str, text: str, at: datetime, files: Files) -> int:
    upload = attachments.store_attachment(
        author,
        channel_id,
        filename=name,
        stream=io.BytesIO(text.encode()),
        declared_size=None,
        store=files.store,
        max_bytes=files.max_bytes,
        now=at,
    )
    return upload.id


def _talk(cast: Cast, channels: dict[str, int], day: Day, files: Files) -> None:
    """The informal exchange before any request: a ledger each way, questions, answers."""
    che, fra = channels["CHE"], channels["FRA"]
    ledger = _file(cast.amina, che, "demo-transfers-2021-2022.txt", LEDGER, day(0), files)
    _say(
        cast.amina, che, "che-1",
        "Bonjour Léa, before we draft a formal request: could the account DEMO-CH-0001 "
        "in Geneva still hold the transfers listed here? (Demo case, all fictional.)",
        day(0), ledger,
    )  # fmt: skip
    statement = _file(cast.lea, che, "demo-statement-DEMO-CH-0001.csv", STATEMENT, day(2), files)
    _say(
        cast.lea, che, "che-2",
        "The account exists and received the first two transfers; an extract is attached. "
        "To freeze it we need a formal request under UNCAC article 46.",
        day(2), statement,
    )  # fmt: skip
    _say(
        cast.amina, fra, "fra-1",
        "Bonjour Camille, does account DEMO-FR-0002 in Paris ring a bell? "
        "It received EUR 380 000 in January 2022 (fictional).",
        day(1),
    )  # fmt: skip
    seq = _say(
        cast.camille, fra, "fra-2",
        "We are checking with the bank; I will come back to you within the month.",
        day(6),
    )  # fmt: skip
    reading.mark_read(cast.amina, fra, seq, day(7))


def _request(cast: Cast, case_id: int, channel: int, day: Day, now: datetime) -> None:
    """A draft shared for comment, completed after the comments, then sent and put in execution.

    The demo Swiss profile asks for a treaty, dual criminality and certified translations:
    the draft shared lacks the last two, which Aminata adds before she may send it.
    """
    request = requests.create_request(
        cast.amina,
        case_id,
        kind="mla",
        requested_state="CHE",
        legal_basis="treaty",
        legal_basis_text="Bilateral MLA treaty (fictional), with UNCAC art. 46 and 54(2)(b)",
        transmission_channel="central_authority",
        reference="DEMO-CIV-MLA-2026-004",
        language="fr",
        deadline_on=(now + timedelta(days=45)).date(),
        deadline_reason="The (fictional) trial opens in Abidjan",
        contents=CONTENTS,
        now=day(10),
    )
    requests.share_draft_for_comment(cast.amina, request.id, day(10))
    seq = _say(
        cast.lea, channel, "che-3",
        "Thank you for the draft. Please add the dates of the transfers and say that the "
        "freezing should cover the account as a whole.",
        day(12),
    )  # fmt: skip
    reading.mark_read(cast.amina, channel, seq, day(13))
    requests.update_request(cast.amina, request.id, {"contents": COMPLETED_AFTER_COMMENT}, day(15))
    requests.transition(cast.amina, request.id, to="sent", now=day(20))
    requests.transition(cast.lea, request.id, to="received", now=day(22))
    requests.transition(cast.lea, request.id, to="in_execution", now=day(25))


def _freeze(cast: Cast, case_id: int, day: Day, now: datetime) -> None:
    """Switzerland freezes the account for 90 days and extends once; it lapses in 10 days."""
    lapses_on = now.date() + timedelta(days=LAPSES_IN_DAYS)
    first_expiry = lapses_on - timedelta(days=FREEZE_DAYS)
    effective_on = first_expiry - timedelta(days=FREEZE_DAYS)
    frozen_at = datetime.combine(effective_on, now.timetz())
    holder = subjects.record_subject(
        cast.amina,
        case_id,
        kind="natural",
        names=["Adama Exemple"],
        roles=["pep"],
        nationality="CIV",
        requested_state="CHE",
        now=day(11),
    )
    account = assets.record_asset(
        cast.lea,
        case_id,
        kind="bank_account",
        location_state="CHE",
        holder=holder.id,
        estimated_value="1043000.00",
        currency="CHF",
        description="Account DEMO-CH-0001 at a (fictional) Geneva bank",
        now=frozen_at,
    )
    measure = measures.record_measure(
        cast.lea,
        case_id,
        kind="freezing",
        asset_ids=[account.id],
        issuing_authority="Office of the Attorney General of Switzerland (demo)",
        issuing_state="CHE",
        legal_basis="54_2_b",
        effective_on=effective_on,
        expires_on=first_expiry,
        order_reference="DEMO-MPC-ORD-0017",
        now=frozen_at,
    )
    endings.extend_measure(
        cast.lea,
        measure.id,
        new_expires_on=lapses_on,
        asked_by_state="CIV",
        note="Extended once at Côte d'Ivoire's request, pending the (fictional) trial.",
        now=datetime.combine(first_expiry - timedelta(days=5), now.timetz()),
    )


def _disclose(cast: Cast, day: Day) -> None:
    """Switzerland tells Côte d'Ivoire of its own accord (article 56); Aminata acknowledges."""
    sent = disclosures.send_disclosure(
        cast.lea,
        kind="spontaneous_56",
        to_state="CIV",
        summary="A (fictional) Zurich trust received CHF 150 000 from account DEMO-CH-0001 "
        "in May 2022; its beneficiary may be a relative of the former port director.",
        subjects=[{"name": "Fiducie Exemple SA (fictional)", "role": "other"}],
        handling_code="H1",
        reference="DEMO-CHE-DISC-2026-3",
        now=day(140),
    )
    disclosures.acknowledge(
        cast.amina, sent.id, "Received with thanks; we will ask about the trust.", now=day(142)
    )


def _recent_talk(cast: Cast, channels: dict[str, int], now: datetime) -> None:
    """Messages of the last days that Aminata has not read yet."""
    _say(
        cast.lea, channels["CHE"], "che-4",
        f"Reminder: our freezing order lapses in {LAPSES_IN_DAYS} days. If you need it kept, "
        "please send the request for a second extension this week.",
        now - timedelta(days=2),
    )  # fmt: skip
    _say(
        cast.camille, channels["FRA"], "fra-3",
        "The Paris bank has answered: account DEMO-FR-0002 was closed in 2023; the records "
        "follow by the formal channel.",
        now - timedelta(hours=20),
    )  # fmt: skip
