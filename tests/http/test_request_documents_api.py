"""A request's signed copy and annexes: filed by its parties, read by them only, kept."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from network.assistance import requests
from network.assistance.models import AssistanceRequest
from network.audit.models import AuditRecord
from network.core import clock
from network.extensions import db
from network.messages import attachments
from network.messages.models import Attachment
from tests.conftest import Cast, csrf_from
from tests.stories import Story, open_story

SIGNED = b"%PDF-1.7\n" + b"signed by the central authority\n" * 200


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return {"ATTACHMENT_MAX_BYTES": 200_000}


@pytest.fixture
def story(cast: Cast) -> Story:
    return open_story(cast)


@pytest.fixture
def request_to_switzerland(cast: Cast, story: Story) -> AssistanceRequest:
    request = requests.create_request(
        cast.amina,
        story.case.id,
        kind="mla",
        requested_state="CHE",
        legal_basis="uncac",
        transmission_channel="central_authority",
        now=clock.now(),
    )
    db.session.commit()
    return request


def _file(client: Any, request_id: int, kind: str | None, content: bytes, name: str) -> Any:
    data: dict[str, Any] = {} if kind is None else {"kind": kind}
    data["file"] = (io.BytesIO(content), name)
    return client.post(
        f"/requests/{request_id}/documents", data=data, content_type="multipart/form-data"
    )


def _stored_files(app: Flask) -> int:
    folder = Path(app.config["ATTACHMENT_DIR"])
    return len([p for p in folder.rglob("*") if p.is_file()]) if folder.exists() else 0


def test_the_signed_request_is_filed_and_read_by_both_parties_only(
    cast: Cast, request_to_switzerland: AssistanceRequest, api_as: Any
) -> None:
    request_id = request_to_switzerland.id

    filed = _file(api_as(cast.amina), request_id, "signed_request", SIGNED, "requête signée.pdf")

    assert filed.status_code == 201, filed.text
    body = filed.get_json()
    assert body["kind"] == "signed_request"
    assert body["filename"] == "requête signée.pdf"
    assert body["sha256"] == hashlib.sha256(SIGNED).hexdigest()
    assert body["added_by"]["state"] == "CIV"
    listed = api_as(cast.lea).get(f"/requests/{request_id}/documents")
    assert [each["id"] for each in listed.get_json()] == [body["id"]]
    download = api_as(cast.lea).get(f"/attachments/{body['id']}")
    assert download.status_code == 200
    assert download.data == SIGNED
    # France is a requested State of the same case, but not of this request.
    for outsider in (cast.camille, cast.chen):
        assert api_as(outsider).get(f"/requests/{request_id}/documents").status_code == 404
        assert api_as(outsider).get(f"/attachments/{body['id']}").status_code == 404
        assert _file(api_as(outsider), request_id, "annex", b"x", "x.txt").status_code == 404
    audited = db.session.scalar(
        select(func.count()).where(
            AuditRecord.action == "request.document_filed", AuditRecord.target_id == request_id
        )
    )
    assert audited == 1


def test_the_requested_side_files_annexes_but_not_the_signed_request(
    cast: Cast, request_to_switzerland: AssistanceRequest, api_as: Any, app: Flask
) -> None:
    lea = api_as(cast.lea)

    refused = _file(lea, request_to_switzerland.id, "signed_request", SIGNED, "copy.pdf")
    annex = _file(lea, request_to_switzerland.id, "annex", b"bank statement", "statement.txt")

    assert refused.status_code == 403
    assert annex.status_code == 201, annex.text
    assert annex.get_json()["kind"] == "annex"
    assert _stored_files(app) == 1


@pytest.mark.parametrize("kind", [None, "affidavit"])
def test_a_file_without_a_known_kind_is_refused_and_nothing_is_kept(
    cast: Cast, request_to_switzerland: AssistanceRequest, api_as: Any, app: Flask, kind: Any
) -> None:
    answer = _file(api_as(cast.amina), request_to_switzerland.id, kind, SIGNED, "signed.pdf")

    assert answer.status_code == 422
    assert "kind" in answer.get_json()["errors"]
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0
    assert _stored_files(app) == 0


def test_filed_documents_survive_the_clean_up_of_unsent_uploads(
    cast: Cast, story: Story, request_to_switzerland: AssistanceRequest, api_as: Any
) -> None:
    filed = _file(api_as(cast.amina), request_to_switzerland.id, "annex", b"annex", "annex.txt")
    unsent = api_as(cast.amina).post(
        f"/channels/{story.che.id}/attachments",
        data={"file": (io.BytesIO(b"never sent"), "draft.txt")},
        content_type="multipart/form-data",
    )

    later = clock.now() + timedelta(days=30)
    attachments.forget_unattached(later, later)
    db.session.commit()

    kept = db.session.scalars(select(Attachment.id)).all()
    assert kept == [filed.get_json()["id"]]
    assert unsent.get_json()["id"] not in kept


def test_a_filed_document_cannot_also_be_sent_in_a_message(
    cast: Cast, story: Story, request_to_switzerland: AssistanceRequest, api_as: Any
) -> None:
    filed = _file(api_as(cast.amina), request_to_switzerland.id, "annex", b"annex", "annex.txt")

    sent = api_as(cast.amina).post(
        f"/channels/{story.che.id}/messages",
        json={
            "client_id": "c-1",
            "body": "see the annex",
            "handling_code": "H0",
            "attachment_ids": [filed.get_json()["id"]],
        },
    )

    assert sent.status_code == 422


def test_a_browser_files_a_document_only_with_the_csrf_header(
    cast: Cast, request_to_switzerland: AssistanceRequest, browser_as: Any
) -> None:
    browser = browser_as(cast.amina)
    page = browser.get(f"/requests/{request_to_switzerland.id}")
    assert "No document filed yet" in page.text
    url = f"/api/v1/requests/{request_to_switzerland.id}/documents"

    def post(**headers: str) -> Any:
        return browser.post(
            url,
            data={"kind": "annex", "file": (io.BytesIO(b"annex"), "annex.txt")},
            content_type="multipart/form-data",
            headers=headers,
        )

    assert post().status_code == 400
    assert post(**{"X-CSRFToken": csrf_from(page.text)}).status_code == 201
    shown = browser.get(f"/requests/{request_to_switzerland.id}")
    assert "annex.txt" in shown.text
    assert "No document filed yet" not in shown.text


def test_a_declared_size_goes_with_the_kind(
    cast: Cast, request_to_switzerland: AssistanceRequest, api_as: Any
) -> None:
    answer = api_as(cast.amina).post(
        f"/requests/{request_to_switzerland.id}/documents",
        data={"kind": "annex", "size": "5", "file": (io.BytesIO(b"annex"), "annex.txt")},
        content_type="multipart/form-data",
    )

    assert answer.status_code == 201, answer.text
