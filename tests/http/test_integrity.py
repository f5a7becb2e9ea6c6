"""One damaged sealed record is shown as such while everything else is served; verify-integrity
names it. A bit is flipped in the stored ciphertext, as a failing disk or a careless edit would."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select, update

from network.assistance import enquiries
from network.assistance.models import (
    AssistanceRequest,
    DelayNotice,
    RequestTransition,
    StatusEnquiry,
)
from network.cases.models import Case, StageChange
from network.disclosures import institutions
from network.disclosures import service as disclosures
from network.disclosures.models import Disclosure, DisclosureEvent, NotificationResult
from network.extensions import db, socketio
from network.messages import attachments, posting
from network.messages.models import Attachment, Message
from network.messages.storage import DirectoryStore
from network.recovery import consultations, subjects
from network.recovery.models import (
    Asset,
    AssetStatusChange,
    Consultation,
    ProvisionalMeasure,
    Subject,
)
from tests.conftest import Cast, token_for
from tests.stories import START, open_freeze, sent_request

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)

ENTRY_FAILED = "This entry failed its integrity check."
MESSAGE_FAILED = "This message failed its integrity check."
NAME_FAILED = "This file name failed its integrity check."


@dataclass
class Recorded:
    """One row in every sealed table, in a case Côte d'Ivoire opened toward Switzerland."""

    case_id: int
    channel_id: int
    request_id: int
    asset_id: int
    measure_id: int
    disclosure_id: int
    notification_id: int
    attachment: Attachment


def _record_everything(cast: Cast, folder: Path) -> Recorded:
    freeze = open_freeze(cast)
    case_id, channel = freeze.story.case.id, freeze.story.che
    request = sent_request(cast, freeze.story, START)
    enquiry = enquiries.ask_status(cast.amina, request.id, "Any news on the freeze?", START)
    enquiries.answer_enquiry(cast.lea, enquiry.id, "Executed last week.", START)
    enquiries.give_delay_notice(
        cast.lea, request.id, delay_days=10, reason="The court is on recess.", now=START
    )
    subjects.record_subject(
        cast.amina, case_id, kind="natural", names=["K. Traoré"], requested_state="CHE",
        now=START,
    )
    consultations.record_consultation(
        cast.lea, freeze.measure.id, invited_on=date(2026, 1, 6), deadline_on=date(2026, 1, 20),
        representations="The owner objects.", now=START,
    )
    attached = attachments.store_attachment(
        cast.amina, channel.id, filename="statement.pdf", stream=io.BytesIO(b"%PDF-1.7 bank"),
        declared_size=None, store=DirectoryStore(folder), max_bytes=10_000, now=START,
    )
    posting.post_message(
        cast.amina, channel.id, client_id="m-1", body="The statement is attached.",
        attachment_ids=[attached.id], now=START,
    )
    disclosure = disclosures.send_disclosure(
        cast.amina, kind="spontaneous_56", to_state="CHE", summary="Funds moved to Geneva.",
        subjects=[{"name": "K. Traoré", "role": "suspect"}], now=START,
    )
    disclosures.acknowledge(cast.lea, disclosure.id, "Received with thanks.", now=START)
    notification = disclosures.send_disclosure(
        cast.amina, kind="notification_52_2_b", to_state="CHE", summary="PEP accounts flagged.",
        now=START,
    )
    institutions.record_result(
        cast.amina, notification.id, reported_on=date(2026, 1, 12), institution="SIB",
        summary="One account found.", accounts_found=1, now=START,
    )
    db.session.commit()
    attachment = db.session.get(Attachment, attached.id)
    assert attachment is not None
    return Recorded(
        case_id=case_id,
        channel_id=channel.id,
        request_id=request.id,
        asset_id=freeze.asset.id,
        measure_id=freeze.measure.id,
        disclosure_id=disclosure.id,
        notification_id=notification.id,
        attachment=attachment,
    )


def _flip(model: Any, row_id: int, column: str) -> None:
    """Flip the lowest bit of the stored value's last byte (inside the authentication tag)."""
    stored = bytes(db.session.scalar(select(getattr(model, column)).where(model.id == row_id)))
    damaged = stored[:-1] + bytes([stored[-1] ^ 0x01])
    db.session.execute(update(model).where(model.id == row_id).values({column: damaged}))
    db.session.commit()


def _first(model: Any, *where: Any) -> int:
    return int(db.session.scalar(select(model.id).where(*where).order_by(model.id).limit(1)))


@pytest.fixture
def folder(app: Flask) -> Path:
    return Path(app.config["ATTACHMENT_DIR"])


@pytest.fixture
def recorded(cast: Cast, folder: Path) -> Recorded:
    return _record_everything(cast, folder)


# --- one message ------------------------------------------------------------------------------


def test_one_flipped_bit_in_a_message_flags_it_and_serves_the_rest_of_the_history(
    app: Flask, cast: Cast, recorded: Recorded, api_as: Any, browser_as: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    channel_id = recorded.channel_id
    for number, body in enumerate(("Genuine second", "Genuine third"), start=2):
        posting.post_message(cast.lea, channel_id, client_id=f"l-{number}", body=body, now=START)
    db.session.commit()
    damaged = _first(Message, Message.channel_id == channel_id, Message.seq == 2)
    _flip(Message, damaged, "body_sealed")
    expected = [
        (1, "The statement is attached.", "ok"),
        (2, None, "failed"),
        (3, "Genuine third", "ok"),
    ]

    with caplog.at_level(logging.WARNING, logger="network.integrity"):
        listed = api_as(cast.lea).get(f"/channels/{channel_id}/messages?after_seq=0")
        joiner = socketio.test_client(app, auth={"token": token_for(cast.lea)})
        joined = joiner.emit("join", {"channel": channel_id, "after_seq": 0}, callback=True)
        joiner.disconnect()
        found = api_as(cast.amina).get(f"/cases/{recorded.case_id}/search?q=genuine")
        page = browser_as(cast.lea).get(f"/cases/{recorded.case_id}?channel={channel_id}")

    assert listed.status_code == 200, listed.text
    assert [(m["seq"], m["body"], m["integrity"]) for m in listed.get_json()["items"]] == expected
    assert [(m["seq"], m["body"], m["integrity"]) for m in joined["messages"]] == expected
    assert found.status_code == 200, found.text
    assert sorted((m["seq"], m["body"], m["integrity"]) for m in found.get_json()["items"]) == [
        (2, None, "failed"),
        (3, "Genuine third", "ok"),
    ]
    assert page.status_code == 200
    assert MESSAGE_FAILED in page.text
    assert "Genuine third" in page.text
    logged = [r.getMessage() for r in caplog.records if r.name == "network.integrity"]
    assert logged
    assert all(f"table=messages id={damaged} field=body" in line for line in logged)
    assert not any("Genuine" in line for line in logged)
    # Read four times, one integrity outage: its line once, for the operator to act on.
    began = [r.getMessage() for r in caplog.records if r.name == "network.outages"]
    assert began == [
        "outage began: integrity (a sealed value in messages failed its check; "
        "run verify-integrity)"
    ]


# --- every other sealed field a list or page shows -------------------------------------------


@dataclass(frozen=True)
class Damage:
    """A sealed column to damage, the API answer that shows it, and the page that shows it."""

    model: Any
    column: str
    row: Callable[[Recorded], Any]
    api: Callable[[Recorded], str]
    flagged: Callable[[Any], Any]
    page: Callable[[Recorded], str]
    notice: str = ENTRY_FAILED

    def row_id(self, recorded: Recorded) -> int:
        chosen = self.row(recorded)
        return chosen if isinstance(chosen, int) else _first(self.model, chosen)


def _items(answer: Any) -> Any:
    return answer["items"][0]


DAMAGES = {
    "case title": Damage(
        Case, "title_sealed", lambda r: r.case_id, lambda r: "/cases", _items,
        lambda r: "/cases",
    ),
    "stage reason": Damage(
        StageChange, "reason_sealed", lambda r: StageChange.case_id == r.case_id,
        lambda r: f"/cases/{r.case_id}", lambda a: a["stage_history"][0],
        lambda r: f"/cases/{r.case_id}",
    ),
    "attachment name": Damage(
        Attachment, "name_sealed", lambda r: r.attachment.id,
        lambda r: f"/channels/{r.channel_id}/messages", lambda a: _items(a)["attachments"][0],
        lambda r: f"/cases/{r.case_id}?channel={r.channel_id}", NAME_FAILED,
    ),
    "request contents": Damage(
        AssistanceRequest, "contents_sealed", lambda r: r.request_id,
        lambda r: f"/requests/{r.request_id}", lambda a: a, lambda r: f"/requests/{r.request_id}",
    ),
    "request transition": Damage(
        RequestTransition, "reason_sealed", lambda r: RequestTransition.request_id == r.request_id,
        lambda r: f"/requests/{r.request_id}", lambda a: a["history"][0],
        lambda r: f"/requests/{r.request_id}",
    ),
    "status enquiry": Damage(
        StatusEnquiry, "answer_sealed", lambda r: StatusEnquiry.request_id == r.request_id,
        lambda r: f"/requests/{r.request_id}", lambda a: a["enquiries"][0],
        lambda r: f"/requests/{r.request_id}",
    ),
    "delay notice": Damage(
        DelayNotice, "reason_sealed", lambda r: DelayNotice.request_id == r.request_id,
        lambda r: f"/requests/{r.request_id}", lambda a: a["delay_notices"][0],
        lambda r: f"/requests/{r.request_id}",
    ),
    "subject": Damage(
        Subject, "identity_sealed", lambda r: Subject.case_id == r.case_id,
        lambda r: f"/cases/{r.case_id}/subjects", _items, lambda r: f"/cases/{r.case_id}/tracking",
    ),
    "asset": Damage(
        Asset, "details_sealed", lambda r: r.asset_id, lambda r: f"/cases/{r.case_id}/assets",
        _items, lambda r: f"/assets/{r.asset_id}",
    ),
    "asset step": Damage(
        AssetStatusChange, "reason_sealed", lambda r: AssetStatusChange.asset_id == r.asset_id,
        lambda r: f"/assets/{r.asset_id}", lambda a: a["history"][0],
        lambda r: f"/assets/{r.asset_id}",
    ),
    "issuing authority": Damage(
        ProvisionalMeasure, "issuing_authority_sealed", lambda r: r.measure_id,
        lambda r: f"/cases/{r.case_id}/measures", _items, lambda r: f"/measures/{r.measure_id}",
    ),
    "consultation": Damage(
        Consultation, "representations_sealed", lambda r: Consultation.measure_id == r.measure_id,
        lambda r: f"/measures/{r.measure_id}", lambda a: a["consultations"][0],
        lambda r: f"/measures/{r.measure_id}",
    ),
    "disclosure": Damage(
        Disclosure, "body_sealed", lambda r: r.disclosure_id,
        lambda r: f"/disclosures/{r.disclosure_id}", lambda a: a,
        lambda r: f"/disclosures/{r.disclosure_id}",
    ),
    "disclosure step": Damage(
        DisclosureEvent, "note_sealed", lambda r: DisclosureEvent.disclosure_id == r.disclosure_id,
        lambda r: f"/disclosures/{r.disclosure_id}", lambda a: a["history"][0],
        lambda r: f"/disclosures/{r.disclosure_id}",
    ),
    "notification result": Damage(
        NotificationResult, "body_sealed",
        lambda r: NotificationResult.disclosure_id == r.notification_id,
        lambda r: f"/disclosures/{r.notification_id}",
        lambda a: a["notification"]["results"][0],
        lambda r: f"/disclosures/{r.notification_id}",
    ),
}


@pytest.mark.parametrize("damage", list(DAMAGES.values()), ids=list(DAMAGES))
def test_a_damaged_sealed_field_is_flagged_in_the_api_and_on_the_page(
    cast: Cast, recorded: Recorded, api_as: Any, browser_as: Any, damage: Damage
) -> None:
    _flip(damage.model, damage.row_id(recorded), damage.column)

    answer = api_as(cast.lea).get(damage.api(recorded))
    page = browser_as(cast.lea).get(damage.page(recorded))

    assert answer.status_code == 200, answer.text
    assert damage.flagged(answer.get_json())["integrity"] == "failed"
    assert page.status_code == 200
    assert damage.notice in page.text


# --- verify-integrity -------------------------------------------------------------------------


def _verify(app: Flask) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=["network", "verify-integrity"])
    return result.exit_code, result.output


def test_verify_integrity_opens_every_sealed_value_of_a_clean_database(
    app: Flask, cast: Cast, recorded: Recorded
) -> None:
    stored = sum(
        1
        for table in db.metadata.sorted_tables
        for column in table.columns
        if column.name.endswith("_sealed")
        for (value,) in db.session.execute(select(column))
        if value
    )
    files = db.session.scalar(select(func.count(Attachment.id)))

    code, output = _verify(app)

    assert code == 0, output
    assert output == f"integrity whole: {stored + files} sealed values opened\n"


def test_verify_integrity_names_a_damaged_message_and_file_and_exits_1(
    app: Flask, cast: Cast, recorded: Recorded, folder: Path
) -> None:
    message = _first(Message, Message.channel_id == recorded.channel_id)
    _flip(Message, message, "body_sealed")
    stored = next(folder.rglob(recorded.attachment.stored_name))
    content = bytearray(stored.read_bytes())
    content[60] ^= 0x01
    stored.write_bytes(bytes(content))

    code, output = _verify(app)

    assert code == 1
    lines = output.strip().splitlines()
    assert f"messages {message} body: does not open (altered, moved, or the wrong key)" in lines
    assert any(line.startswith(f"attachments {recorded.attachment.id} content: ") for line in lines)
    assert lines[-1].startswith("error: 2 sealed values failed their integrity check")
    assert "The statement is attached." not in output
