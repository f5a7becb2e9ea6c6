"""Specifications for attachments kept in PostgreSQL (ARNET_ATTACHMENT_STORE=database).

Against the real server: encrypted segments streamed in and out with flat memory, nothing
kept of a refused upload, the clean-up, the integrity check, and a second app on the same
database (no shared directory) serving what the first one stored.
"""

from __future__ import annotations

import hashlib
import io
import tracemalloc
from collections.abc import Iterator
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select, update

from network import create_app
from network.assistance import requests
from network.cli.uploads import clean_uploads
from network.core import clock
from network.core.errors import InvalidInput
from network.crypto import SEGMENT_SIZE
from network.extensions import db
from network.messages import attachments
from network.messages.attachments import AttachmentTooLarge
from network.messages.models import Attachment, AttachmentSegment
from network.messages.segments import DatabaseStore
from network.sealing.integrity import verify
from network.wiring import attachment_store
from tests.conftest import ApiClient, Cast, IsolatedClient, token_for
from tests.stories import DISTINCTIVE, Story, open_story

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
MiB = 1024 * 1024
LIMIT = 300_000


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return {"ATTACHMENT_STORE": "database", "ATTACHMENT_MAX_BYTES": 16 * MiB}


@pytest.fixture
def story(cast: Cast) -> Story:
    return open_story(cast)


class Pattern:
    """A file of ``size`` bytes made as it is read, so the test itself holds none of it."""

    def __init__(self, size: int) -> None:
        self.left = size
        self.digest = hashlib.sha256()

    def read(self, size: int, /) -> bytes:
        chunk = (b"Quillfeather ledger line " * (size // 25 + 1))[: min(size, self.left)]
        self.left -= len(chunk)
        self.digest.update(chunk)
        return chunk


def _upload(
    cast: Cast,
    story: Story,
    source: Any,
    *,
    declared: int | None = None,
    max_bytes: int = LIMIT,
    days_ago: int = 0,
) -> attachments.AttachmentView:
    view = attachments.store_attachment(
        cast.amina,
        story.che.id,
        filename="ledger.txt",
        stream=source,
        declared_size=declared,
        store=attachment_store(),
        max_bytes=max_bytes,
        now=clock.now() - timedelta(days=days_ago),
    )
    db.session.commit()
    return view


def _segments(stored_name: str | None = None) -> int:
    query = select(func.count()).select_from(AttachmentSegment)
    if stored_name is not None:
        query = query.where(AttachmentSegment.stored_name == stored_name)
    return int(db.session.scalar(query) or 0)


def _stored_name(attachment_id: int) -> str:
    return str(db.session.scalar(select(Attachment.stored_name).filter_by(id=attachment_id)))


def _download(cast: Cast, attachment_id: int) -> Iterator[bytes]:
    _view, chunks = attachments.open_attachment(
        cast.amina, attachment_id, store=attachment_store(), now=clock.now()
    )
    db.session.commit()
    return chunks


def test_a_file_goes_into_the_database_encrypted_and_comes_back_whole(
    app: Flask, cast: Cast, story: Story
) -> None:
    content = DISTINCTIVE.encode() * 9000  # about 3 segments
    stored = _upload(cast, story, io.BytesIO(content))
    name = _stored_name(stored.id)
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    # The header, then one row per sealed segment; no plaintext in any of them.
    assert _segments(name) == 1 + -(-len(content) // SEGMENT_SIZE)
    for data in db.session.scalars(select(AttachmentSegment.data)):
        assert DISTINCTIVE.encode() not in data
        assert b"Quillfeather" not in data
    back = b"".join(_download(cast, stored.id))
    assert back == content
    assert hashlib.sha256(back).hexdigest() == stored.sha256
    folder = Path(app.config["ATTACHMENT_DIR"])
    assert not folder.exists() or not any(p.is_file() for p in folder.rglob("*"))


def test_memory_stays_flat_uploading_and_downloading_a_large_file(
    app: Flask, cast: Cast, story: Story
) -> None:
    size = 8 * MiB
    source = Pattern(size)
    tracemalloc.start()
    try:
        stored = _upload(cast, story, source, max_bytes=16 * MiB)
        _current, upload_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        digest, length = hashlib.sha256(), 0
        for chunk in _download(cast, stored.id):
            digest.update(chunk)
            length += len(chunk)
        _current, download_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert stored.sha256 == source.digest.hexdigest()
    assert (length, digest.hexdigest()) == (size, stored.sha256)
    assert upload_peak < 2 * MiB, upload_peak
    assert download_peak < 2 * MiB, download_peak


def test_an_oversized_upload_leaves_no_segments(cast: Cast, story: Story) -> None:
    with pytest.raises(AttachmentTooLarge):
        _upload(cast, story, io.BytesIO(b"x" * (LIMIT + 1)))
    db.session.commit()  # even a caller that goes on and commits keeps nothing of it
    assert _segments() == 0
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_a_truncated_upload_leaves_no_segments(cast: Cast, story: Story) -> None:
    with pytest.raises(InvalidInput):
        _upload(cast, story, io.BytesIO(b"y" * 100_000), declared=150_000)
    db.session.commit()
    assert _segments() == 0
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_clean_uploads_removes_the_segments_of_abandoned_uploads(
    app: Flask, cast: Cast, story: Story
) -> None:
    abandoned = _upload(cast, story, io.BytesIO(b"never attached"), days_ago=2)
    recent = _upload(cast, story, io.BytesIO(b"uploaded a moment ago"))
    # Segments no row names: a clean-up cut off between its two commits.
    db.session.add(AttachmentSegment(stored_name="f" * 40, number=0, data=b"orphan"))
    db.session.commit()
    cleaned = clean_uploads()
    assert (cleaned.unattached, cleaned.partial) == (1, 1)
    assert db.session.get(Attachment, abandoned.id) is None
    assert _segments("f" * 40) == 0
    assert _segments(_stored_name(recent.id)) > 0
    assert b"".join(_download(cast, recent.id)) == b"uploaded a moment ago"


def test_verify_integrity_streams_segments_and_names_a_tampered_one(
    app: Flask, cast: Cast, story: Story
) -> None:
    stored = _upload(cast, story, io.BytesIO(b"a bank statement " * 10_000))
    store = DatabaseStore(db.session(), db.engine)
    report = verify(partial(attachments.verify_files, store))
    assert report.failures == []
    name = _stored_name(stored.id)
    data = db.session.scalar(select(AttachmentSegment.data).filter_by(stored_name=name, number=1))
    assert data is not None
    flipped = bytes([data[0] ^ 1]) + data[1:]
    db.session.execute(
        update(AttachmentSegment).filter_by(stored_name=name, number=1).values(data=flipped)
    )
    db.session.commit()
    report = verify(partial(attachments.verify_files, store))
    assert [(f.table, f.row_id, f.field) for f in report.failures] == [
        ("attachments", stored.id, "content")
    ]
    db.session.rollback()


def test_a_second_machine_serves_what_the_first_stored(
    app: Flask, cast: Cast, story: Story, tmp_path: Path
) -> None:
    """Two apps on one database, each with its own (empty) attachment directory."""
    other = create_app(
        {
            "ENV_NAME": "testing",
            "DATABASE_URL": app.config["DATABASE_URL"],
            "INSTANCE_PATH": str(tmp_path / "second"),
            "KEYRING": app.config["KEYRING"],
            "ATTACHMENT_DIR": str(tmp_path / "second" / "attachments"),
            "ATTACHMENT_STORE": "database",
        }
    )
    other.test_client_class = IsolatedClient
    token = token_for(cast.amina)
    db.session.commit()
    first, second = ApiClient(app.test_client(), token), ApiClient(other.test_client(), token)
    content = b"%PDF-1.7 " + DISTINCTIVE.encode() * 5000
    uploaded = first.post(
        f"/channels/{story.che.id}/attachments",
        data={"file": (io.BytesIO(content), "statement.pdf")},
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 201, uploaded.text
    served = second.get(f"/attachments/{uploaded.get_json()['id']}")
    assert served.status_code == 200, served.text
    assert served.data == content
    assert served.headers["X-Content-SHA256"] == hashlib.sha256(content).hexdigest()
    for folder in (Path(app.config["ATTACHMENT_DIR"]), tmp_path / "second" / "attachments"):
        assert not folder.exists() or not any(p.is_file() for p in folder.rglob("*"))
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def test_a_signed_request_filed_with_a_request_is_kept_in_the_database(
    app: Flask, cast: Cast, story: Story, api_as: Any
) -> None:
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
    signed = b"%PDF-1.7\n" + DISTINCTIVE.encode() * 3000
    filed = api_as(cast.amina).post(
        f"/requests/{request.id}/documents",
        data={"kind": "signed_request", "file": (io.BytesIO(signed), "requête signée.pdf")},
        content_type="multipart/form-data",
    )
    assert filed.status_code == 201, filed.text
    document_id = filed.get_json()["id"]
    assert _segments(_stored_name(document_id)) > 1
    download = api_as(cast.lea).get(f"/attachments/{document_id}")
    assert download.status_code == 200
    assert download.data == signed


def test_a_backup_holds_no_attachment_files_and_restores_only_where_they_are_in_the_database(
    app: Flask, cast: Cast, story: Story, tmp_path: Path
) -> None:
    _upload(cast, story, io.BytesIO(b"kept in the dump"))
    runner = app.test_cli_runner()
    taken = runner.invoke(
        args=["network", "backup", str(tmp_path / "backup")], input="Backup-Passphrase-42\n"
    )
    assert taken.exit_code == 0, taken.output
    assert "attachments within it" in taken.output
    assert not (tmp_path / "backup" / "attachments").exists()
    app.config["ATTACHMENT_STORE"] = "filesystem"
    refused = runner.invoke(
        args=["network", "restore", str(tmp_path / "backup")], input="Backup-Passphrase-42\n"
    )
    assert refused.exit_code == 1
    assert "the backup keeps attachments in the database, this deployment in the filesystem" in (
        refused.output
    )
